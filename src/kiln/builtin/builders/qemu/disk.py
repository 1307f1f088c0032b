"""qemu-img work: create, copy, resize and compact disks."""

from __future__ import annotations

import asyncio
import logging
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
