"""qemu-img work: create, copy, resize and compact disks."""

from __future__ import annotations

import asyncio
import errno
import logging
import os
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


class QemuImgError(Exception):
    """qemu-img failed; the message quotes its command line and error output."""


async def qemu_img(*arguments: str) -> None:
    command = ["qemu-img", *arguments]
    log.debug("running %s", " ".join(command))
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        _, errors = await process.communicate()
    except asyncio.CancelledError:
        process.kill()
        await process.wait()
        raise
    if process.returncode != 0:
        raise QemuImgError(f"{' '.join(command)} failed: {errors.decode(errors='replace').strip()}")


def size_argument(size: str) -> str:
    """Convert a disk size to qemu-img's form: a bare number is MiB, as in Packer."""
    return size + "M" if size.isdigit() else size.upper()


async def create(path: Path, disk_format: str, size: str, extra: list[str]) -> None:
    await qemu_img("create", "-f", disk_format, *extra, str(path), size_argument(size))


async def copy(source: Path, target: Path, disk_format: str, extra: list[str]) -> None:
    await qemu_img("convert", "-O", disk_format, *extra, str(source), str(target))


def refers_to_other_files(path: Path) -> bool:
    """Return whether `path` is a qcow2 image whose header names a backing file or a data file."""
    with open(path, "rb") as handle:
        header = handle.read(80)
    if header[:4] != b"QFI\xfb":
        return False
    # The qcow2 header is big-endian: magic, version (4 bytes), then the offset of the backing
    # file name (8 bytes, 0 for none). Version 3 adds incompatible feature bits at offset 72,
    # and bit 2 of them marks an external data file.
    version = int.from_bytes(header[4:8], "big")
    backing_offset = int.from_bytes(header[8:16], "big")
    incompatible = int.from_bytes(header[72:80], "big") if version >= 3 and len(header) >= 80 else 0
    return backing_offset != 0 or bool(incompatible & (1 << 2))


def copy_file(source: Path, target: Path) -> None:
    """Copy a disk image byte for byte, keeping holes in the source as holes in the target."""
    with open(source, "rb") as reader, open(target, "wb") as writer:
        size = os.fstat(reader.fileno()).st_size
        for start, end in _data_extents(reader.fileno(), size):
            _copy_range(reader.fileno(), writer.fileno(), start, end)
        writer.truncate(size)


def _data_extents(fd: int, size: int) -> Iterator[tuple[int, int]]:
    if not hasattr(os, "SEEK_DATA"):
        yield 0, size
        return
    position = 0
    while position < size:
        try:
            start = os.lseek(fd, position, os.SEEK_DATA)
        except OSError as error:
            if error.errno == errno.ENXIO:  # no data after `position`
                return
            if error.errno == errno.EINVAL:  # the file system cannot report holes
                yield position, size
                return
            raise
        end = os.lseek(fd, start, os.SEEK_HOLE)
        yield start, end
        position = end


def _copy_range(reader: int, writer: int, start: int, end: int) -> None:
    position = start
    if hasattr(os, "copy_file_range"):
        try:
            while position < end:
                copied = os.copy_file_range(reader, writer, end - position, position, position)
                if copied == 0:
                    break
                position += copied
        except OSError as error:
            # Not supported between these files (another file system, an old kernel).
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    while position < end:
        chunk = os.pread(reader, min(end - position, 1 << 20), position)
        if not chunk:
            break
        os.pwrite(writer, chunk, position)
        position += len(chunk)


async def create_backed(source: Path, target: Path, source_format: str, extra: list[str]) -> None:
    await qemu_img(
        "create", "-f", "qcow2", "-b", str(source.absolute()), "-F", source_format, *extra, str(target)
    )


async def resize(path: Path, disk_format: str, size: str, extra: list[str]) -> None:
    await qemu_img("resize", "-f", disk_format, *extra, str(path), size_argument(size))


async def detect_format(path: Path) -> str:
    process = await asyncio.create_subprocess_exec(
        "qemu-img",
        "info",
        "--output=json",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    output, errors = await process.communicate()
    if process.returncode != 0:
        raise QemuImgError(f"qemu-img info {path} failed: {errors.decode(errors='replace').strip()}")
    import json

    return str(json.loads(output)["format"])


async def compact(path: Path, compress: bool, extra: list[str]) -> None:
    """Rewrite a qcow2 disk without unused clusters (compressed when asked), in place."""
    rewritten = path.with_name(path.name + ".compacting")
    arguments = ["convert", "-O", "qcow2", *(["-c"] if compress else []), *extra, str(path), str(rewritten)]
    try:
        await qemu_img(*arguments)
    except BaseException:
        rewritten.unlink(missing_ok=True)
        raise
    rewritten.replace(path)
