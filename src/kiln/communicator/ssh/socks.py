"""A SOCKS5 client handshake (RFC 1928, with RFC 1929 user/password) for `ssh_proxy_host`.

asyncssh has no SOCKS client, so the proxy connection is made here and handed to asyncssh
as an already-connected socket.
"""

from __future__ import annotations

import socket


class ProxyError(ConnectionRefusedError):
    """The SOCKS5 proxy rejected the login or could not reach the target."""


def _receive(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ProxyError("SOCKS5 proxy closed the connection during the handshake")
        data += chunk
    return data


def _login(connection: socket.socket, username: str, password: str) -> None:
    methods = [0x00, 0x02] if username else [0x00]
    connection.sendall(bytes([5, len(methods), *methods]))
    _, method = _receive(connection, 2)
    if method == 0x02:
        user, secret = username.encode(), password.encode()
        connection.sendall(bytes([1, len(user)]) + user + bytes([len(secret)]) + secret)
        if _receive(connection, 2)[1] != 0:
            raise ProxyError("SOCKS5 proxy rejected the ssh_proxy_username and ssh_proxy_password")
    elif method != 0x00:
        raise ProxyError("SOCKS5 proxy accepts none of the offered authentication methods")


def _request(connection: socket.socket, host: str, port: int) -> None:
    address = host.encode()
    connection.sendall(bytes([5, 1, 0, 3, len(address)]) + address + port.to_bytes(2, "big"))
    reply = _receive(connection, 4)
    if reply[1] != 0:
        raise ProxyError(f"SOCKS5 proxy could not connect to {host}:{port} (reply code {reply[1]})")
    address_length = {1: 4, 4: 16}.get(reply[3])
    if address_length is None:
        address_length = _receive(connection, 1)[0]
    _receive(connection, address_length + 2)


def socks5_connect(
    proxy: tuple[str, int], target: tuple[str, int], username: str, password: str, timeout: float
) -> socket.socket:
    """Return a non-blocking socket connected to `target` through the SOCKS5 `proxy`. Blocking."""
    connection = socket.create_connection(proxy, timeout)
    try:
        _login(connection, username, password)
        _request(connection, *target)
    except BaseException:
        connection.close()
        raise
    connection.setblocking(False)
    return connection
