"""The exec output stream of DockerCommunicator against a scripted engine on a Unix socket.

The scripted engine responds to `exec start` with the response headers and every output frame
in one write, so the client receives them in one read. That also happens with a real engine
on a loaded host when the command prints before the client has read the headers. The docker
SDK's own stream reader loses those frames because they land in http.client's read buffer.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiln.communicator.docker import DockerCommunicator
from kiln.communicator.docker.communicator import read_frames
from kiln.sdk.communicator import RemoteCommand

CONTAINER_ID = "0123456789ab"
EXEC_ID = "exec-1"


def frame(stream: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxL", stream, len(payload)) + payload


# "é" is split across two frames, one frame is empty and the last chunk has no newline.
FRAMES = b"".join(
    [
        frame(1, b"Welcome to kiln.\n"),
        frame(2, b"warning: caf\xc3"),
        frame(1, b""),
        frame(2, b"\xa9\n"),
        frame(1, b"built by kiln\nno newline"),
    ]
)


class ScriptedEngine:
    """Serves the three requests of one exec: create, start (with FRAMES) and inspect."""

    def __init__(self, path: Path, exit_code: int) -> None:
        self.exit_code = exit_code
        self.requests: list[str] = []
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(str(path))
        self.server.listen()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as reader:
            while True:
                request_line = reader.readline().decode()
                if not request_line:
                    return
                headers = {}
                while (line := reader.readline().decode().strip()) != "":
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                reader.read(int(headers.get("content-length", "0")))
                method, path, _ = request_line.split(" ", 2)
                self.requests.append(f"{method} {path}")
                if path.endswith(f"/exec/{EXEC_ID}/start"):
                    connection.sendall(
                        b"HTTP/1.1 101 UPGRADED\r\n"
                        b"Content-Type: application/vnd.docker.multiplexed-stream\r\n"
                        b"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n" + FRAMES
                    )
                    return
                if path.endswith(f"/containers/{CONTAINER_ID}/exec"):
                    self._send_json(connection, 201, {"Id": EXEC_ID})
                elif path.endswith(f"/exec/{EXEC_ID}/json"):
                    self._send_json(connection, 200, {"Running": False, "ExitCode": self.exit_code})
                else:
                    self._send_json(connection, 404, {"message": f"no route for {path}"})

    @staticmethod
    def _send_json(connection: socket.socket, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        connection.sendall(head.encode() + data)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[tuple[ScriptedEngine, Path]]:
    path = tmp_path / "engine.sock"
    scripted = ScriptedEngine(path, exit_code=7)
    try:
        yield scripted, path
    finally:
        scripted.close()


def test_output_sent_with_headers(engine):
    import docker

    scripted, path = engine
    client = docker.DockerClient(base_url=f"unix://{path}", version="1.41")
    stdout: list[str] = []
    stderr: list[str] = []
    remote = RemoteCommand("cat /etc/motd", on_stdout=stdout.append, on_stderr=stderr.append)
    try:
        result = asyncio.run(DockerCommunicator(client, CONTAINER_ID).start(remote))
    finally:
        client.close()

    assert "".join(stdout) == "Welcome to kiln.\nbuilt by kiln\nno newline"
    assert "".join(stderr) == "warning: café\n"
    assert result.exit_status == 7
    assert scripted.requests == [
        f"POST /v1.41/containers/{CONTAINER_ID}/exec",
        f"POST /v1.41/exec/{EXEC_ID}/start",
        f"GET /v1.41/exec/{EXEC_ID}/json",
    ]


def test_read_frames_in_order():
    frames = list(read_frames(io.BytesIO(FRAMES)))

    assert frames == [
        (1, b"Welcome to kiln.\n"),
        (2, b"warning: caf\xc3"),
        (2, b"\xa9\n"),
        (1, b"built by kiln\nno newline"),
    ]


def test_read_frames_truncated_stream():
    truncated_payload = frame(1, b"whole\n") + frame(2, b"cut off here")[:-4]
    truncated_header = frame(1, b"whole\n") + b"\x01\x00\x00"

    assert list(read_frames(io.BytesIO(truncated_payload))) == [(1, b"whole\n"), (2, b"cut off ")]
    assert list(read_frames(io.BytesIO(truncated_header))) == [(1, b"whole\n")]
