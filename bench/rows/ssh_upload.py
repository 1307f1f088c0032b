"""Row: the file provisioner uploading 2,000 files (24 MB) over SSH with 20 ms round trips.

A local OpenSSH sshd is reached through a TCP proxy in this process that holds every chunk
10 ms in each direction (a delay line, so throughput is not capped, only latency added). Both
tools run the same legacy JSON template: a `null` builder with the SSH communicator and one
`file` provisioner uploading the folder.
"""

from __future__ import annotations

import json
import queue
import random
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

from rows import REPO, Commands, Row, kiln_command, packer_command, quiet_env

sys.path.insert(0, str(REPO / "tests"))

DELAY = 0.010  # seconds each way


def make_payload(folder: Path, files: int = 2000, size: int = 12 * 1024) -> None:
    generator = random.Random(1234)
    for index in range(files):
        sub = folder / f"d{index % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{index:04d}.bin").write_bytes(generator.randbytes(size))


class DelayProxy:
    """Forward 127.0.0.1:port to a target, delivering each chunk DELAY seconds after it arrived."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for source, destination in ((client, upstream), (upstream, client)):
                line: queue.Queue = queue.Queue()
                threading.Thread(target=self.read, args=(source, line), daemon=True).start()
                threading.Thread(target=self.write, args=(destination, line), daemon=True).start()

    @staticmethod
    def read(source: socket.socket, line: queue.Queue) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            line.put((time.monotonic() + DELAY, data))
            if not data:
                return

    @staticmethod
    def write(destination: socket.socket, line: queue.Queue) -> None:
        while True:
            due, data = line.get()
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if not data:
                try:
                    destination.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            try:
                destination.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self.closed = True
        self.listener.close()


def prepare(folder: Path) -> Commands:
    from sshservers import start_sshd

    make_payload(folder / "payload")
    server = start_sshd(folder / "sshd")
    proxy = DelayProxy(server.port)
    destination = Path(f"/tmp/kiln-bench-upload-{proxy.port}")
    template = {
        "builders": [
            {
                "type": "null",
                "ssh_host": "127.0.0.1",
                "ssh_port": proxy.port,
                "ssh_username": server.username,
                "ssh_private_key_file": str(server.private_key_file),
            }
        ],
        "provisioners": [{"type": "file", "source": "payload/", "destination": f"{destination}/"}],
    }
    (folder / "upload.json").write_text(json.dumps(template, indent=2))

    def reset() -> None:
        shutil.rmtree(destination, ignore_errors=True)
        destination.mkdir()

    def stop() -> None:
        proxy.close()
        server.kill()
        shutil.rmtree(destination, ignore_errors=True)

    return Commands(
        kiln_command() + ["build", "upload.json"],
        packer_command() + ["build", "upload.json"],
        quiet_env(),
        cleanup=stop,
        between_runs=reset,
    )


ROWS = [Row("file provisioner: 2,000 files over 20 ms RTT SSH", prepare, target=0.1, repeats=3)]
