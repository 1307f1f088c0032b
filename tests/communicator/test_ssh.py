"""The SSH communicator against real OpenSSH and dropbear servers."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import time
from pathlib import Path

import pytest

from kiln.communicator.config import CommunicatorConfig
from kiln.communicator.ssh import SSHAuthenticationFailed, SSHCommunicator, SSHTimeout, Target, wait_for_ssh
from kiln.sdk.communicator import CommunicatorError, ConnectionLost, RemoteCommand

pytestmark = pytest.mark.timeout(60)


def make_config(server, **changes) -> CommunicatorConfig:
    config = CommunicatorConfig(
        ssh_host=server.host,
        ssh_port=server.port,
        ssh_username=server.username,
        ssh_private_key_file=str(server.private_key_file),
    )
    for name, value in changes.items():
        setattr(config, name, value)
    return config


async def connect(server, **changes) -> SSHCommunicator:
    config = make_config(server, **changes)
    connection, client, bastion = await wait_for_ssh(
        Target(server.host, server.port, config), lambda text: None
    )
    return SSHCommunicator(connection, client, config, bastion=bastion)


async def run(communicator, command: str, **options):
    output: list[str] = []
    errors: list[str] = []
    result = await communicator.start(
        RemoteCommand(command, on_stdout=output.append, on_stderr=errors.append, **options)
    )
    return result, "".join(output), "".join(errors)


def test_command_output_and_status(ssh_server):
    async def scenario():
        communicator = await connect(ssh_server)
        try:
            result, output, errors = await run(communicator, "echo out; echo err >&2; exit 3")
        finally:
            await communicator.close()
        assert result.exit_status == 3
        assert output == "out\n"
        assert errors == "err\n"

    asyncio.run(scenario())


def test_command_stdin_and_environment(ssh_server):
    async def scenario():
        communicator = await connect(ssh_server)
        try:
            result, output, _ = await run(
                communicator,
                'cat; echo "$GREETING"',
                stdin=b"from stdin\n",
                environment={"GREETING": "it's me"},
            )
        finally:
            await communicator.close()
        assert result.exit_status == 0
        assert output == "from stdin\nit's me\n"

    asyncio.run(scenario())


def test_command_killed_by_signal(ssh_server):
    async def scenario():
        communicator = await connect(ssh_server)
        try:
            result, _, _ = await run(communicator, "kill -TERM $$")
        finally:
            await communicator.close()
        # OpenSSH reports the signal; dropbear reports the shell's status without it.
        assert (result.exit_status, result.signal) in {(None, "TERM"), (143, None), (None, None)}

    asyncio.run(scenario())


def test_pty_requested(sshd_server):
    async def scenario():
        communicator = await connect(sshd_server, ssh_pty=True)
        try:
            result, output, _ = await run(communicator, "tty >/dev/null && echo tty; echo $TERM; stty size")
        finally:
            await communicator.close()
        assert result.exit_status == 0
        assert output.split() == ["tty", "xterm", "40", "80"]

    asyncio.run(scenario())


@pytest.mark.parametrize("method", ["scp", "sftp"])
def test_upload_and_download_file(ssh_server, tmp_path, method):
    payload = os.urandom(300_000)
    remote = str(tmp_path / "remote.bin")

    async def scenario():
        communicator = await connect(ssh_server, ssh_file_transfer_method=method)
        try:
            await communicator.upload(remote, io.BytesIO(payload), mode=0o600)
            received = io.BytesIO()
            await communicator.download(remote, received)
        finally:
            await communicator.close()
        return received.getvalue()

    assert asyncio.run(scenario()) == payload
    assert Path(remote).stat().st_mode & 0o777 == 0o600


def test_upload_unseekable_source(sshd_server, tmp_path):
    remote = tmp_path / "from-pipe"
    read_end, write_end = os.pipe()
    os.write(write_end, b"piped bytes")
    os.close(write_end)

    async def scenario():
        communicator = await connect(sshd_server)
        try:
            with os.fdopen(read_end, "rb", buffering=0) as source:
                await communicator.upload(str(remote), source)
        finally:
            await communicator.close()

    asyncio.run(scenario())
    assert remote.read_bytes() == b"piped bytes"


def test_download_missing_file_fails(sshd_server, tmp_path):
    async def scenario():
        communicator = await connect(sshd_server)
        try:
            with pytest.raises(CommunicatorError, match="missing"):
                await communicator.download(str(tmp_path / "missing"), io.BytesIO())
        finally:
            await communicator.close()

    asyncio.run(scenario())


def make_tree(root: Path) -> None:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "top.txt").write_text("top")
    (root / "sub" / "inner.txt").write_text("inner")
    (root / "sub" / "deeper" / "skip.log").write_text("excluded")
    (root / "run.sh").write_text("#!/bin/sh\n")
    (root / "run.sh").chmod(0o755)


@pytest.mark.parametrize("has_tar", [True, False], ids=["tar", "per-file"])
@pytest.mark.parametrize("method", ["scp", "sftp"])
def test_upload_dir_trailing_slash_rules(ssh_server, tmp_path, has_tar, method):
    source = tmp_path / "source"
    make_tree(source)
    with_name = tmp_path / "with-name"
    contents = tmp_path / "contents"

    async def scenario():
        communicator = await connect(ssh_server, ssh_file_transfer_method=method)
        communicator._has_tar = has_tar
        try:
            await communicator.upload_dir(str(with_name), source, exclude=["*.log"])
            await communicator.upload_dir(str(contents), str(source) + "/")
        finally:
            await communicator.close()

    asyncio.run(scenario())
    assert (with_name / "source" / "top.txt").read_text() == "top"
    assert (with_name / "source" / "sub" / "inner.txt").read_text() == "inner"
    assert not (with_name / "source" / "sub" / "deeper" / "skip.log").exists()
    assert os.access(with_name / "source" / "run.sh", os.X_OK)
    assert (contents / "top.txt").read_text() == "top"
    assert (contents / "sub" / "deeper" / "skip.log").read_text() == "excluded"


@pytest.mark.parametrize("method", ["scp", "sftp"])
def test_upload_dir_without_tar(ssh_server, tmp_path, method):
    """A machine without `tar` gets the files one by one, and later uploads skip the tar attempt."""
    source = tmp_path / "source"
    make_tree(source)
    target = tmp_path / "target"
    commands: list[str] = []

    async def scenario():
        communicator = await connect(ssh_server, ssh_file_transfer_method=method)
        create_process = communicator._connection.create_process

        def without_tar(command, *args, **kwargs):
            # Probe for a program that does not exist, as on a machine without tar.
            commands.append(command)
            return create_process(
                command.replace("command -v tar ", "command -v kiln-no-such-tar "), *args, **kwargs
            )

        communicator._connection.create_process = without_tar
        try:
            await communicator.upload_dir(str(target), source, exclude=["*.log"])
            await communicator.upload_dir(str(target), str(source) + "/")
        finally:
            await communicator.close()
        return communicator

    communicator = asyncio.run(scenario())
    assert communicator._has_tar is False
    assert sum("command -v tar" in command for command in commands) == 1
    assert (target / "source" / "top.txt").read_text() == "top"
    assert (target / "source" / "sub" / "inner.txt").read_text() == "inner"
    assert not (target / "source" / "sub" / "deeper" / "skip.log").exists()
    assert os.access(target / "source" / "run.sh", os.X_OK)
    assert (target / "top.txt").read_text() == "top"


@pytest.mark.parametrize("has_tar", [True, False], ids=["tar", "sftp"])
def test_download_dir(sshd_server, tmp_path, has_tar):
    source = tmp_path / "remote-tree"
    make_tree(source)
    local = tmp_path / "local"

    async def scenario():
        communicator = await connect(sshd_server)
        communicator._has_tar = has_tar
        try:
            await communicator.download_dir(str(source), local)
        finally:
            await communicator.close()

    asyncio.run(scenario())
    assert (local / "remote-tree" / "sub" / "inner.txt").read_text() == "inner"
    assert (local / "remote-tree" / "top.txt").read_text() == "top"


@pytest.mark.parametrize("method", ["scp", "sftp", "tar"])
def test_server_killed_mid_upload(ssh_server, tmp_path, method):
    class SlowSource(io.RawIOBase):
        """Yields bytes forever, slowly enough for the server to be killed meanwhile."""

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            buffer[: len(buffer)] = b"x" * len(buffer)
            return len(buffer)

    big_tree = tmp_path / "tree"
    big_tree.mkdir()
    # 600 MB of sparse files: far more than the connection moves before the kill.
    for index in range(60):
        with (big_tree / f"file{index}").open("wb") as handle:
            handle.truncate(10_000_000)

    async def scenario():
        communicator = await connect(
            ssh_server, ssh_file_transfer_method="sftp" if method == "sftp" else "scp"
        )
        if method == "tar":
            upload = communicator.upload_dir(str(tmp_path / "target"), big_tree)
        else:
            upload = communicator.upload(str(tmp_path / "big"), SlowSource(), size=10**12)
        task = asyncio.ensure_future(upload)
        await asyncio.sleep(0.3)
        assert not task.done()
        ssh_server.kill()
        try:
            with pytest.raises(ConnectionLost):
                await asyncio.wait_for(task, 20)
        finally:
            await communicator.close()

    asyncio.run(scenario())


def test_command_cancelled_stops_remote(sshd_server, tmp_path):
    marker = tmp_path / "still-running"

    async def scenario():
        communicator = await connect(sshd_server)
        try:
            task = asyncio.ensure_future(run(communicator, f"sleep 2; touch {marker}"))
            await asyncio.sleep(0.5)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            _, output, _ = await run(communicator, "echo alive")
        finally:
            await communicator.close()
        assert output == "alive\n"

    asyncio.run(scenario())


def test_agent_auth(sshd_server, tmp_path):
    socket_path = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(socket_path)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if socket_path.exists():
                break
            time.sleep(0.05)
        environment = {**os.environ, "SSH_AUTH_SOCK": str(socket_path)}
        subprocess.run(
            ["ssh-add", str(sshd_server.private_key_file)], env=environment, check=True, capture_output=True
        )

        async def scenario():
            os.environ["SSH_AUTH_SOCK"] = str(socket_path)
            communicator = await connect(sshd_server, ssh_private_key_file="", ssh_agent_auth=True)
            try:
                return await run(communicator, "echo agent")
            finally:
                await communicator.close()

        _, output, _ = asyncio.run(scenario())
    finally:
        agent.terminate()
        agent.wait()
        os.environ.pop("SSH_AUTH_SOCK", None)
    assert output == "agent\n"


def test_private_key_content(dropbear_server):
    async def scenario():
        communicator = await connect(
            dropbear_server,
            ssh_private_key_file="",
            ssh_private_key=dropbear_server.private_key_file.read_text(),
        )
        try:
            return await run(communicator, "echo content")
        finally:
            await communicator.close()

    _, output, _ = asyncio.run(scenario())
    assert output == "content\n"


def test_bastion_host(sshd_server, dropbear_server):
    # Reach dropbear through sshd; dropbear's key serves both hops.
    bastion_key = sshd_server.private_key_file

    async def scenario():
        communicator = await connect(
            dropbear_server,
            ssh_bastion_host=sshd_server.host,
            ssh_bastion_port=sshd_server.port,
            ssh_bastion_username="root",
            ssh_bastion_private_key_file=str(bastion_key),
        )
        try:
            return await run(communicator, "echo via bastion")
        finally:
            await communicator.close()

    _, output, _ = asyncio.run(scenario())
    assert output == "via bastion\n"
    assert "Accepted publickey for root" in sshd_server.log()


def test_rejected_auth_stops_after_attempts(sshd_server):
    messages: list[str] = []

    async def scenario():
        config = make_config(
            sshd_server, ssh_private_key_file="", ssh_password="wrong", ssh_handshake_attempts=2
        )
        await wait_for_ssh(Target(sshd_server.host, sshd_server.port, config), messages.append)

    with pytest.raises(SSHAuthenticationFailed, match="failed 2 times"):
        asyncio.run(scenario())
    assert messages == ["SSH not available after 0s: authentication rejected"]


def test_refused_port_times_out_naming_reason():
    from sshservers import free_port

    port = free_port()
    messages: list[str] = []

    async def scenario():
        config = CommunicatorConfig(ssh_username="root", ssh_password="x", ssh_timeout=1.5)
        await wait_for_ssh(Target("127.0.0.1", port, config), messages.append)

    with pytest.raises(SSHTimeout, match=r"after 1\.5s; last attempt: connection refused"):
        asyncio.run(scenario())
    assert messages[0] == "SSH not available after 0s: connection refused"


def test_silent_server_attempt_times_out(monkeypatch):
    import socket

    import kiln.communicator.ssh.connect as connect_module

    monkeypatch.setattr(connect_module, "MAX_ATTEMPT_SECONDS", 0.5)
    monkeypatch.setattr(connect_module, "BANNER_SECONDS", 0.5)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    async def scenario():
        config = CommunicatorConfig(ssh_username="root", ssh_password="x", ssh_timeout=1.2)
        await wait_for_ssh(Target("127.0.0.1", port, config), lambda text: None)

    try:
        with pytest.raises(SSHTimeout, match="last attempt: timed out"):
            asyncio.run(scenario())
    finally:
        listener.close()


def test_closed_before_handshake_reason():
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()

    # Like QEMU's user-mode port forward before the guest listens: accept, then close at once.
    def accept_and_close():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_close)
    thread.start()
    messages: list[str] = []

    async def scenario():
        config = CommunicatorConfig(ssh_username="root", ssh_password="x", ssh_timeout=1)
        await wait_for_ssh(Target("127.0.0.1", port, config), messages.append)

    try:
        with pytest.raises(SSHTimeout, match="connection closed during the handshake"):
            asyncio.run(scenario())
    finally:
        stop.set()
        thread.join()
        listener.close()


class StallingForward:
    """A TCP forward to `target_port` that stalls connections until `open()` is called.

    Like QEMU's user-mode network before the guest is up, it accepts each connection and sends
    nothing. Connections accepted while stalled stay stalled, and later ones are forwarded.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.forwarded = 0
        self.stalled = 0
        self.is_open = False
        self._held: list = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    def open(self) -> None:
        self.is_open = True

    async def _handle(self, reader, writer) -> None:
        if not self.is_open:
            self.stalled += 1
            self._held.append(writer)
            return
        self.forwarded += 1
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pump(source, sink) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pump(reader, upstream_writer), pump(upstream_reader, writer))

    async def close(self) -> None:
        for writer in self._held:
            writer.close()
        self.server.close()


def test_stalled_probes_do_not_delay_login(sshd_server):
    import kiln.communicator.ssh.connect as connect_module

    stall_seconds = 1.0

    async def scenario():
        forward = StallingForward(sshd_server.port)
        port = await forward.start()
        asyncio.get_running_loop().call_later(stall_seconds, forward.open)
        config = make_config(sshd_server, ssh_host="127.0.0.1", ssh_port=port)
        started = time.monotonic()
        connection, _, _ = await wait_for_ssh(Target("127.0.0.1", port, config), lambda text: None)
        elapsed = time.monotonic() - started
        result = await connection.run("echo connected", check=True)
        connection.close()
        await forward.close()
        return elapsed, result.stdout, forward

    elapsed, output, forward = asyncio.run(scenario())
    assert output == "connected\n"
    assert forward.stalled >= 2
    # A single probe would wait out BANNER_SECONDS on its stalled connection first.
    assert elapsed < connect_module.BANNER_SECONDS
    # The probe that saw the version line carries the login: one forwarded connection.
    assert forward.forwarded == 1


def test_address_cache_reuses_lookup(monkeypatch):
    import kiln.communicator.ssh.connect as connect_module

    async def scenario():
        loop = asyncio.get_running_loop()
        real_getaddrinfo = loop.getaddrinfo
        lookups: list[str] = []

        async def counting_getaddrinfo(host, *args, **kwargs):
            lookups.append(host)
            return await real_getaddrinfo(host, *args, **kwargs)

        loop.getaddrinfo = counting_getaddrinfo  # type: ignore[method-assign]
        cache = connect_module.AddressCache("localhost", 22)
        first = await cache.addresses()
        second = await cache.addresses()
        lookups_before_expiry = len(lookups)
        monkeypatch.setattr(connect_module, "RESOLVE_SECONDS", 0.0)
        await cache.addresses()
        return first, second, lookups_before_expiry, len(lookups)

    first, second, lookups_before_expiry, lookups_after_expiry = asyncio.run(scenario())
    assert first
    assert second == first
    assert lookups_before_expiry == 1
    assert lookups_after_expiry == 2


def test_local_tunnel_forwards_port(sshd_server):
    import socket

    from kiln.communicator.ssh.connect import open_tunnels
    from sshservers import free_port

    local_port = free_port()
    target_listener = socket.socket()
    target_listener.bind(("127.0.0.1", 0))
    target_listener.listen()
    target_port = target_listener.getsockname()[1]

    async def scenario():
        communicator = await connect(sshd_server, ssh_local_tunnels=[f"{local_port}:127.0.0.1:{target_port}"])
        try:
            await open_tunnels(communicator._connection, communicator._config)
            reader, writer = await asyncio.open_connection("127.0.0.1", local_port)
            accepted, _ = await asyncio.to_thread(target_listener.accept)
            accepted.sendall(b"through the tunnel")
            data = await reader.readexactly(len(b"through the tunnel"))
            writer.close()
            accepted.close()
            return data
        finally:
            await communicator.close()

    try:
        assert asyncio.run(scenario()) == b"through the tunnel"
    finally:
        target_listener.close()


class Socks5Server:
    """A minimal SOCKS5 proxy on 127.0.0.1 requiring a user name and password."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username.encode()
        self.password = password.encode()
        self.connections = 0

    async def handle(self, reader, writer) -> None:
        try:
            _, count = await reader.readexactly(2)
            methods = await reader.readexactly(count)
            if 2 not in methods:
                writer.write(b"\x05\xff")
                return
            writer.write(b"\x05\x02")
            _, user_length = await reader.readexactly(2)
            user = await reader.readexactly(user_length)
            password = await reader.readexactly((await reader.readexactly(1))[0])
            if (user, password) != (self.username, self.password):
                writer.write(b"\x01\x01")
                return
            writer.write(b"\x01\x00")
            header = await reader.readexactly(5)
            host = (await reader.readexactly(header[4])).decode()
            port = int.from_bytes(await reader.readexactly(2), "big")
            upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
            self.connections += 1
            writer.write(b"\x05\x00\x00\x01" + bytes(4) + bytes(2))
            await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def pipe(reader, writer) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


@pytest.mark.parametrize("password", ["proxy-secret", "wrong"], ids=["accepted", "rejected"])
def test_socks5_proxy(dropbear_server, password):
    proxy = Socks5Server("kiln", "proxy-secret")

    async def scenario():
        server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            communicator = await connect(
                dropbear_server,
                ssh_proxy_host="127.0.0.1",
                ssh_proxy_port=port,
                ssh_proxy_username="kiln",
                ssh_proxy_password=password,
                ssh_timeout=2.0 if password == "wrong" else 30.0,
            )
            try:
                return await run(communicator, "echo via proxy")
            finally:
                await communicator.close()
        finally:
            server.close()

    if password == "wrong":
        with pytest.raises(SSHTimeout, match="rejected the ssh_proxy_username and ssh_proxy_password"):
            asyncio.run(scenario())
        return
    _, output, _ = asyncio.run(scenario())
    assert output == "via proxy\n"
    assert proxy.connections == 1


def test_binary_stdin_and_split_utf8_output(sshd_server):
    async def scenario():
        communicator = await connect(sshd_server)
        try:
            # printf writes the two bytes of "é" separately, so they arrive in one or two chunks.
            return await run(
                communicator, "od -An -tx1 | tr -d ' \\n'; printf '\\303'; printf '\\251'", stdin=b"\x00\xff"
            )
        finally:
            await communicator.close()

    result, output, _ = asyncio.run(scenario())
    assert result.exit_status == 0
    assert output == "00ffé"


def test_read_write_timeout_ends_command(sshd_server):
    async def scenario():
        communicator = await connect(sshd_server, ssh_read_write_timeout=0.5)
        try:
            with pytest.raises(
                CommunicatorError, match=r"did not end within ssh_read_write_timeout \(500ms\)"
            ):
                await run(communicator, "sleep 30")
            return await run(communicator, "echo still connected")
        finally:
            await communicator.close()

    _, output, _ = asyncio.run(scenario())
    assert output == "still connected\n"


def test_password_auth(ssh_server):
    async def scenario():
        communicator = await connect(ssh_server, ssh_private_key_file="", ssh_password=ssh_server.password)
        try:
            return await run(communicator, "echo password accepted")
        finally:
            await communicator.close()

    _, output, _ = asyncio.run(scenario())
    assert output == "password accepted\n"
