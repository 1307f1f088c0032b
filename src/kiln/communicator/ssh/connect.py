"""Open SSH connections and wait for a machine's SSH server to accept one.

`wait_for_ssh` retries until the server accepts a login, `ssh_timeout` passes, or
`ssh_handshake_attempts` authentications have been rejected. Each failed attempt has a reason
(connection refused, authentication rejected, timed out, closed during the handshake), which
is reported with the elapsed time while waiting and named in the final error.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncssh

from kiln.communicator.config import CommunicatorConfig
from kiln.communicator.ssh.socks import ProxyError
from kiln.sdk.communicator import CommunicatorError
from kiln.sdk.config import format_duration

log = logging.getLogger(__name__)

# The longest single connection attempt, so a server that accepts TCP but never responds is
# retried rather than waited on for the whole ssh_timeout.
MAX_ATTEMPT_SECONDS = 20.0
# How long one probe waits for the server's version line. QEMU's user-mode port forward
# accepts connections at once and then stalls while the guest's network is down. A listening
# server sends its version line right after accepting.
BANNER_SECONDS = 3.0
# While the newest probe has received nothing, another starts after this many seconds and the older
# ones keep waiting. A connection that stalled in QEMU's port forward often stays stalled after
# the guest's SSH server is up, but a new one gets through at once.
PROBE_INTERVAL = 0.1
# A probe that fails at once (refused, closed) is repeated after a pause that grows from
# FIRST_PROBE_DELAY to MAX_PROBE_DELAY, which is set equal to PROBE_INTERVAL.
FIRST_PROBE_DELAY = 0.05
MAX_PROBE_DELAY = 0.1
# Probes reuse the addresses a host name resolved to for this many seconds.
RESOLVE_SECONDS = 1.0
# Pauses between full connection attempts grow from the first to the last value, so a machine
# that has just started its SSH server is found quickly without hammering one that is still booting.
FIRST_RETRY_DELAY = 0.2
MAX_RETRY_DELAY = 2.0
# Repeat an unchanged reason at most this often while waiting.
REPORT_INTERVAL = 15.0


class SSHTimeout(CommunicatorError):
    """SSH did not become available within `ssh_timeout`."""


class SSHAuthenticationFailed(CommunicatorError):
    """The server rejected authentication `ssh_handshake_attempts` times."""


@dataclass
class Target:
    """The address to connect to, with `config` giving the credentials (key file, key text, password, agent)."""

    host: str
    port: int
    config: CommunicatorConfig

    @property
    def private_key_files(self) -> list[str]:
        return [self.config.ssh_private_key_file] if self.config.ssh_private_key_file else []


class _Client(asyncssh.SSHClient):
    """Records whether the connection has dropped, so errors can be raised as `ConnectionLost`."""

    def __init__(self) -> None:
        self.lost = False

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True


def _auth_options(
    config: CommunicatorConfig, key_files: list[str], password: str, agent: bool, key_text: str = ""
) -> dict[str, Any]:
    keys: list[Any] = [os.path.expanduser(path) for path in key_files if path]
    if key_text:
        keys.append(asyncssh.import_private_key(key_text))
    options: dict[str, Any] = {
        "client_keys": keys or (),
        "password": password or None,
        "agent_path": os.environ.get("SSH_AUTH_SOCK") if agent else None,
    }
    if config.ssh_certificate_file and keys:
        options["client_certs"] = [os.path.expanduser(config.ssh_certificate_file)]
    return options


def _host_key_preference() -> list[str]:
    # asyncssh prefers RSA host keys. Dropbear 2022.83 offers RSA even when it has loaded no
    # RSA key and then aborts the key exchange (`rsa.c: key != NULL`), so ed25519 and ECDSA
    # come first, as in OpenSSH's own order.
    from asyncssh.public_key import get_default_public_key_algs

    preferred = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]
    available = [alg.decode() for alg in get_default_public_key_algs()]
    return [alg for alg in preferred if alg in available] + [alg for alg in available if alg not in preferred]


def _connection_options(config: CommunicatorConfig, timeout: float) -> dict[str, Any]:
    options: dict[str, Any] = {
        "server_host_key_algs": _host_key_preference(),
        # Packer does not verify host keys of machines it builds: they are new for every build.
        "known_hosts": None,
        "connect_timeout": timeout,
        "login_timeout": timeout,
        "keepalive_interval": config.keep_alive_seconds(),
        "agent_forwarding": config.ssh_agent_auth and not config.ssh_disable_agent_forwarding,
    }
    if config.ssh_ciphers:
        options["encryption_algs"] = config.ssh_ciphers
    if config.ssh_key_exchange_algorithms:
        options["kex_algs"] = config.ssh_key_exchange_algorithms
    return options


async def _connect_bastion(target: Target, timeout: float) -> asyncssh.SSHClientConnection:
    config = target.config
    key_file = config.ssh_bastion_private_key_file or config.ssh_private_key_file
    key_files = [key_file] if key_file else []
    options = _connection_options(config, timeout)
    options.update(
        _auth_options(config, key_files, config.ssh_bastion_password, config.ssh_bastion_agent_auth)
    )
    options["kbdint_auth"] = config.ssh_bastion_interactive or bool(config.ssh_bastion_password)
    return await asyncssh.connect(
        config.ssh_bastion_host,
        config.ssh_bastion_port,
        username=config.ssh_bastion_username or config.ssh_username,
        **options,
    )


async def connect_once(
    target: Target, timeout: float, sock: socket.socket | None = None
) -> tuple[asyncssh.SSHClientConnection, _Client, Any]:
    """Make one connection attempt; return the connection, its client and the bastion connection.

    `sock`, a socket already connected to the target (see `probe_banner`), is used in place of
    a new connection, a bastion or a proxy. The attempt owns it and closes it when it fails.
    """
    config = target.config
    bastion = None
    try:
        if sock is None and config.ssh_bastion_host:
            bastion = await _connect_bastion(target, timeout)
        options = _connection_options(config, timeout)
        options.update(
            _auth_options(
                config,
                target.private_key_files,
                config.ssh_password,
                config.ssh_agent_auth,
                config.ssh_private_key,
            )
        )
        if sock is not None:
            options["sock"] = sock
        elif bastion is not None:
            options["tunnel"] = bastion
        elif config.ssh_proxy_host:
            options["sock"] = await _proxy_socket(target, timeout)
        client = _Client()
        connection = await asyncssh.connect(
            target.host,
            target.port,
            username=config.ssh_username,
            client_factory=lambda: client,
            **options,
        )
    except BaseException:
        if bastion is not None:
            bastion.close()
        if sock is not None:
            sock.close()
        raise
    return connection, client, bastion


async def open_tunnels(connection: asyncssh.SSHClientConnection, config: CommunicatorConfig) -> None:
    """Start the `ssh_local_tunnels` and `ssh_remote_tunnels` forwards, like `ssh -L` and `ssh -R`."""
    from kiln.communicator.config import parse_tunnel

    for text in config.ssh_local_tunnels:
        parsed = parse_tunnel(text)
        if parsed is not None:
            await connection.forward_local_port("127.0.0.1", parsed[0], parsed[1], parsed[2])
    for text in config.ssh_remote_tunnels:
        parsed = parse_tunnel(text)
        if parsed is not None:
            await connection.forward_remote_port("", parsed[0], parsed[1], parsed[2])


async def _proxy_socket(target: Target, timeout: float) -> Any:
    from kiln.communicator.ssh.socks import socks5_connect

    config = target.config
    proxy = (config.ssh_proxy_host, config.ssh_proxy_port)
    return await asyncio.to_thread(
        socks5_connect,
        proxy,
        (target.host, target.port),
        config.ssh_proxy_username,
        config.ssh_proxy_password,
        timeout,
    )


def describe_failure(error: BaseException) -> str:
    """Name why a connection attempt failed, in the words shown to the user."""
    if isinstance(error, asyncssh.PermissionDenied):
        return "authentication rejected"
    if isinstance(error, ProxyError):
        return str(error)
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, TimeoutError | asyncio.TimeoutError):
        return "timed out"
    if isinstance(error, asyncssh.ConnectionLost | asyncssh.DisconnectError | ConnectionResetError):
        detail = str(error).strip()
        return (
            f"connection closed during the handshake ({detail})"
            if detail
            else "connection closed during the handshake"
        )
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error) or type(error).__name__


class AddressCache:
    """The addresses of one host and port, looked up again once they are RESOLVE_SECONDS old."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._addresses: list[tuple[Any, ...]] = []
        self._resolved_at = 0.0

    async def addresses(self) -> list[tuple[Any, ...]]:
        loop = asyncio.get_running_loop()
        if not self._addresses or loop.time() - self._resolved_at >= RESOLVE_SECONDS:
            self._addresses = await loop.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
            self._resolved_at = loop.time()
        return self._addresses


async def probe_banner(host: str, port: int, cache: AddressCache | None = None) -> socket.socket:
    """Connect to host:port and wait until the server sends data; return the socket, data unread.

    The caller bounds the wait. Raises OSError, or asyncssh.ConnectionLost when the server
    closes the connection before sending anything. The unread version line lets asyncssh run
    the SSH handshake on this same connection. `cache` supplies the addresses of host:port.
    """
    loop = asyncio.get_running_loop()
    cache = cache or AddressCache(host, port)
    last_error: OSError | None = None
    for family, kind, protocol, _, address in await cache.addresses():
        sock = socket.socket(family, kind, protocol)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, address)
        except OSError as error:
            sock.close()
            last_error = error
            continue
        except BaseException:
            sock.close()
            raise
        try:
            await _readable(loop, sock)
            first = sock.recv(256, socket.MSG_PEEK)
        except BaseException:
            sock.close()
            raise
        if not first:
            sock.close()
            raise asyncssh.ConnectionLost("closed before sending its version line")
        if not first.startswith(b"SSH-"):
            log.debug("%s:%d sent %r before its version line", host, port, first[:80])
        return sock
    raise last_error or OSError(f"no address found for {host}")


async def _readable(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> None:
    ready = loop.create_future()
    loop.add_reader(sock.fileno(), lambda: ready.done() or ready.set_result(None))
    try:
        await ready
    finally:
        loop.remove_reader(sock.fileno())


async def wait_for_banner(
    host: str, port: int, deadline: float, failed: Callable[[BaseException], None]
) -> socket.socket | None:
    """Probe host:port until a server sends its version line; return None if `deadline` passes first.

    Returns the connected socket from `probe_banner`. `deadline` is on the event loop's clock.
    Probes overlap: a new one starts every PROBE_INTERVAL while the older ones wait up to
    BANNER_SECONDS, and soon after one fails at once. `failed` receives each probe's error.
    Errors other than OSError, asyncssh.Error and TimeoutError are raised.
    """
    loop = asyncio.get_running_loop()
    cache = AddressCache(host, port)
    pending: set[asyncio.Task[socket.socket]] = set()
    winner: socket.socket | None = None
    next_start = loop.time()
    delay = FIRST_PROBE_DELAY
    try:
        while winner is None:
            now = loop.time()
            if now >= next_start and now < deadline:
                # Each probe ends by itself at the deadline, so the last failure is known then.
                probe = asyncio.wait_for(probe_banner(host, port, cache), min(BANNER_SECONDS, deadline - now))
                pending.add(asyncio.ensure_future(probe))
                next_start = now + PROBE_INTERVAL
            if not pending and now >= deadline:
                return None

            wake = None if now >= deadline else min(next_start, deadline) - now
            if not pending:
                await asyncio.sleep(wake or 0)
                continue
            done, pending = await asyncio.wait(pending, timeout=wake, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if error is None:
                    if winner is None:
                        winner = task.result()
                    else:
                        task.result().close()
                    continue
                if not isinstance(error, OSError | asyncssh.Error | TimeoutError):
                    raise error
                failed(error)
                next_start = min(next_start, loop.time() + delay)
                delay = min(delay * 2, MAX_PROBE_DELAY)
        return winner
    except BaseException:
        if winner is not None:
            winner.close()
        raise
    finally:
        for task in pending:
            task.cancel()
        for result in await asyncio.gather(*pending, return_exceptions=True):
            if isinstance(result, socket.socket):
                result.close()


class _Progress:
    """Reports failed attempts: each new reason at once, an unchanged one every REPORT_INTERVAL."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.last_reason = ""
        self.last_report = 0.0
        self.repeats = 0

    def failed(self, reason: str, elapsed: float) -> None:
        now = time.monotonic()
        if reason == self.last_reason and now - self.last_report < REPORT_INTERVAL:
            self.repeats += 1
            return
        suffix = f" ({self.repeats + 1} attempts)" if reason == self.last_reason and self.repeats else ""
        self.say(f"SSH not available after {format_duration(round(elapsed))}: {reason}{suffix}")
        self.last_reason = reason
        self.last_report = now
        self.repeats = 0


async def wait_for_ssh(
    target: Target, say: Callable[[str], None]
) -> tuple[asyncssh.SSHClientConnection, _Client, Any]:
    """Connect to `target`, retrying until it accepts or the configured limits are reached.

    Raises SSHTimeout or SSHAuthenticationFailed naming the last reason an attempt failed.
    """
    config = target.config
    timeout = config.ssh_timeout_seconds()
    allowed_rejections = config.handshake_attempts()
    started = time.monotonic()
    progress = _Progress(say)
    rejections = 0
    delay = FIRST_RETRY_DELAY
    reason = "no attempt finished"

    def failed(error: BaseException) -> None:
        nonlocal reason, rejections
        previous, reason = reason, describe_failure(error)
        # Probes can fail ten times a second while a machine boots, so only new reasons are logged.
        if reason != previous:
            log.debug("SSH attempt to %s:%d failed: %r", target.host, target.port, error)
        if isinstance(error, asyncssh.PermissionDenied):
            rejections += 1
            if rejections >= allowed_rejections:
                raise SSHAuthenticationFailed(
                    f"SSH authentication failed {rejections} times for user {config.ssh_username!r} "
                    f"on {target.host}:{target.port}; giving up (ssh_handshake_attempts = {allowed_rejections})."
                ) from error
        progress.failed(reason, time.monotonic() - started)

    while True:
        remaining = timeout - (time.monotonic() - started)
        if remaining <= 0:
            raise SSHTimeout(
                f"Timeout waiting for SSH after {format_duration(timeout)}; last attempt: {reason}."
            )
        sock = None
        if not config.ssh_bastion_host and not config.ssh_proxy_host:
            deadline = asyncio.get_running_loop().time() + remaining
            sock = await wait_for_banner(target.host, target.port, deadline, failed)
            if sock is None:
                continue
            log.debug("SSH server at %s:%d sent its version line", target.host, target.port)
            remaining = max(timeout - (time.monotonic() - started), 0.1)
        try:
            attempt = connect_once(target, min(remaining, MAX_ATTEMPT_SECONDS), sock)
            return await asyncio.wait_for(attempt, min(remaining, MAX_ATTEMPT_SECONDS) + 1)
        except (OSError, asyncssh.Error, TimeoutError) as error:
            failed(error)

        remaining = timeout - (time.monotonic() - started)
        await asyncio.sleep(max(0.0, min(delay, remaining)))
        delay = min(delay * 2, MAX_RETRY_DELAY)
