"""The SCP wire protocol over an exec channel running `scp -t` (sink) or `scp -f` (source).

Each message is one line (`C0644 SIZE NAME`, `D0755 0 NAME`, `E`), acknowledged by one byte: 0 for
success, 1 for a warning or 2 for an error, the latter two followed by a message line.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import asyncssh

from kiln.sdk.communicator import CommunicatorError

CHUNK = 64 * 1024

Excluded = Callable[[str], bool]


class SCPError(CommunicatorError):
    """The remote scp reported an error."""


async def _read_ack(process: asyncssh.SSHClientProcess) -> None:
    code = await process.stdout.readexactly(1)
    if code == b"\0":
        return
    message = (await process.stdout.readline()).decode(errors="replace").strip()
    raise SCPError(f"scp: {message or 'remote scp failed'}")


async def send_file(
    process: asyncssh.SSHClientProcess, name: str, source: BinaryIO, size: int, mode: int
) -> None:
    """Send one file's header and bytes to a sink; `size` must be exact."""
    process.stdin.write(f"C{mode & 0o7777:04o} {size} {name}\n".encode())
    await _read_ack(process)
    remaining = size
    while remaining:
        chunk = source.read(min(CHUNK, remaining))
        if not chunk:
            raise CommunicatorError(f"Source for {name} ended {remaining} bytes early")
        process.stdin.write(chunk)
        await process.stdin.drain()
        remaining -= len(chunk)
    process.stdin.write(b"\0")
    await _read_ack(process)


async def send_tree(
    process: asyncssh.SSHClientProcess, directory: Path, prefix: str, excluded: Excluded
) -> None:
    """Send the entries of `directory` to a sink, recursing with D/E messages."""
    for entry in sorted(directory.iterdir()):
        relative = f"{prefix}{entry.name}"
        if excluded(relative):
            continue
        info = entry.stat()
        if entry.is_dir():
            process.stdin.write(f"D{stat.S_IMODE(info.st_mode):04o} 0 {entry.name}\n".encode())
            await _read_ack(process)
            await send_tree(process, entry, relative + "/", excluded)
            process.stdin.write(b"E\n")
            await _read_ack(process)
        elif entry.is_file():
            with entry.open("rb") as handle:
                await send_file(process, entry.name, handle, info.st_size, stat.S_IMODE(info.st_mode))


async def receive_file(process: asyncssh.SSHClientProcess, destination: BinaryIO) -> None:
    """Receive one file from a source (`scp -f`) into `destination`."""
    process.stdin.write(b"\0")
    header = await process.stdout.readline()
    if header[:1] in (b"\x01", b"\x02"):
        raise SCPError(f"scp: {header[1:].decode(errors='replace').strip()}")
    if not header.startswith(b"C"):
        raise SCPError(f"scp: unexpected message {header[:80]!r}")
    _mode, size_text, _name = header[1:].decode().rstrip("\n").split(" ", 2)
    process.stdin.write(b"\0")
    remaining = int(size_text)
    while remaining:
        chunk = await process.stdout.read(min(CHUNK, remaining))
        if not chunk:
            raise CommunicatorError("scp: connection ended before the whole file arrived")
        destination.write(chunk)
        remaining -= len(chunk)
    await _read_ack(process)
    process.stdin.write(b"\0")


def measure(source: BinaryIO) -> int:
    """Return the bytes left in a seekable `source` from its current position."""
    position = source.tell()
    end = source.seek(0, os.SEEK_END)
    source.seek(position)
    return end - position
