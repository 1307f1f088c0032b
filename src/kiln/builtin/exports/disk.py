"""Disk images for the export post-processors: finding the disk, converting it, staging output.

Exports turn the disk of a VM artifact (the qemu builder's qcow2 or raw image) into another
platform's format with `qemu-img convert`. They write into a staging folder that is renamed into place
only when everything in it is complete, so an interrupted export never looks like a result.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiln.sdk.artifact import Artifact
from kiln.sdk.ui import Ui

_DISK_SUFFIXES = (".qcow2", ".img", ".raw", ".vmdk", ".vhdx", ".vdi", ".vhd")
_PROGRESS = re.compile(rb"\((\d+(?:\.\d+)?)/100%\)")


class ExportError(Exception):
    """An export failed; the message is shown as the post-processor's error."""


@dataclass(frozen=True, slots=True)
class DiskInfo:
    path: Path
    format: str  # qemu-img's name: qcow2, raw, vmdk ...
    virtual_size: int  # the disk size the guest has, in bytes
    actual_size: int  # bytes the file takes


def find_disk(artifact: Artifact) -> Path:
    """Return the artifact's disk image: the file its `diskName` state names, else the first disk-like file."""
    files = [Path(name) for name in artifact.files]
    disk_name = artifact.state("diskName")
    for path in files:
        if disk_name and path.name == disk_name:
            return path
    for path in files:
        if path.suffix in _DISK_SUFFIXES or not path.suffix:
            if path.is_file():
                return path
    raise ExportError(
        f"The artifact of {artifact.builder_id!r} has no disk image to export "
        f"(files: {', '.join(map(str, files)) or 'none'})."
    )


async def run_tool(arguments: Sequence[str]) -> bytes:
    """Run a command, returning its standard output; raise ExportError with its stderr on failure."""
    try:
        process = await asyncio.create_subprocess_exec(
            *arguments, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except FileNotFoundError as exc:
        raise ExportError(f"{arguments[0]} is not installed: {exc}") from exc
    try:
        stdout, stderr = await process.communicate()
    except asyncio.CancelledError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise
    if process.returncode != 0:
        raise ExportError(f"{' '.join(arguments)} failed (exit {process.returncode}): {stderr.decode(errors='replace').strip()}")
    return stdout


async def disk_info(path: Path) -> DiskInfo:
    output = await run_tool(["qemu-img", "info", "--output=json", str(path)])
    data = json.loads(output)
    return DiskInfo(path, data["format"], int(data["virtual-size"]), int(data.get("actual-size", 0)))


async def convert(ui: Ui, source: DiskInfo, destination: Path, output_format: str, options: Sequence[str] = ()) -> None:
    """Convert `source` to `destination` in `output_format` with qemu-img, showing progress."""
    arguments = ["qemu-img", "convert", "-p", "-f", source.format, "-O", output_format]
    for option in options:
        arguments += ["-o", option]
    arguments += [str(source.path), str(destination)]
    process = await asyncio.create_subprocess_exec(*arguments, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    done = 0
    with ui.progress(f"Converting {source.path.name} to {output_format}", source.virtual_size) as progress:
        try:
            while chunk := await process.stdout.read(4096):
                for match in _PROGRESS.finditer(chunk):
                    reached = int(float(match.group(1)) / 100 * source.virtual_size)
                    progress.advance(max(reached - done, 0))
                    done = max(done, reached)
            stderr = await process.stderr.read()
            await process.wait()
        except asyncio.CancelledError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
    if process.returncode != 0:
        raise ExportError(f"qemu-img convert to {output_format} failed: {stderr.decode(errors='replace').strip()}")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@contextlib.asynccontextmanager
async def staged_directory(final: Path, force: bool) -> AsyncIterator[Path]:
    """Yield a staging folder beside `final`; rename it to `final` only if the block succeeds.

    An existing `final` is an error unless `force` is set, as with Packer's output directories.
    """
    if final.exists() and not force:
        raise ExportError(f"Output directory exists: {final}. Use -force to overwrite it.")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}.kiln-partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if final.exists():
        shutil.rmtree(final)
    staging.rename(final)
