"""Rows: compressing and converting a 1 GiB disk image, kiln against the tool it drives.

kiln runs a `null` build whose post-processor chain starts with `artifice` (the image as the
artifact) and then `compress` (zstd) or `vmware-export` (qemu-img convert to a
streamOptimized VMDK). The baselines are `zstd -T0` and `qemu-img convert` alone on the same
file; the target is at least 0.8 times their throughput, a time ratio of at most 1.25.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

from rows import Commands, Row, kiln_command, quiet_env

SIZE = 1024**3
BLOCK = 4096  # every extent starts on a 4 KiB block, as files on ext4 do
MAX_EXTENT = 8 << 20
# Shares of the image by kind of content. Random data takes the place of files that are
# already compressed (packages, archives, media), of which a real disk has many.
SHARES = {"library": 0.35, "share": 0.30, "random": 0.20, "zeros": 0.15}
SOURCES = {"library": Path("/usr/lib"), "share": Path("/usr/share")}


def _file_contents(root: Path, generator: random.Random) -> Iterator[bytes]:
    """Yield the first 8 MiB of each regular file under `root` in a seeded random order, forever.

    The random order samples the whole tree rather than the folders that sort first.
    """
    paths = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        paths.extend(Path(folder, name) for name in sorted(names))
    generator.shuffle(paths)
    while True:
        found = False
        for path in paths:
            if path.is_symlink() or not path.is_file():
                continue
            try:
                with path.open("rb") as stream:
                    data = stream.read(MAX_EXTENT)
            except OSError:
                continue
            if data:
                found = True
                yield data
        if not found:
            raise RuntimeError(f"no readable files under {root}")


def make_image(path: Path) -> None:
    """Write a 1 GiB raw image laid out like a populated disk.

    The image is a series of extents, each padded with zeros to a 4 KiB block as a file
    system stores a file. An extent holds the contents of a file from /usr/lib (shared
    libraries, executables, Python modules) or from /usr/share (documentation, locales,
    icons), random bytes, or zeros. Each next extent is of the kind furthest below its share
    in SHARES, and random and zero extents have seeded random sizes of up to 8 MiB.
    """
    generator = random.Random(7)
    streams = {kind: _file_contents(root, generator) for kind, root in SOURCES.items()}
    written_by_kind = dict.fromkeys(SHARES, 0)
    written = 0
    with path.open("wb") as output:
        while written < SIZE:
            kind = max(SHARES, key=lambda name: SHARES[name] * (written + MAX_EXTENT) - written_by_kind[name])
            if kind in streams:
                data = next(streams[kind])
            elif kind == "random":
                data = generator.randbytes(generator.randrange(BLOCK, MAX_EXTENT))
            else:
                data = bytes(generator.randrange(BLOCK, MAX_EXTENT))
            extent = data + bytes(-len(data) % BLOCK)
            extent = extent[: SIZE - written]
            output.write(extent)
            written += len(extent)
            written_by_kind[kind] += len(extent)


def _template(folder: Path, post_processor: dict) -> None:
    template = {
        "builders": [{"type": "null", "communicator": "none"}],
        "post-processors": [[{"type": "artifice", "files": ["disk.raw"]}, post_processor]],
    }
    (folder / "export.json").write_text(json.dumps(template, indent=2))


def prepare_compress(folder: Path) -> Commands:
    make_image(folder / "disk.raw")
    _template(folder, {"type": "compress", "output": "kiln.raw.zst", "compression_level": 3, "keep_input_artifact": True})

    def reset() -> None:
        for name in ("kiln.raw.zst", "zstd.raw.zst"):
            (folder / name).unlink(missing_ok=True)

    return Commands(
        kiln_command() + ["build", "export.json"],
        ["zstd", "-q", "-T0", "-3", "-f", "disk.raw", "-o", "zstd.raw.zst"],
        quiet_env(),
        baseline_name="zstd -T0",
        between_runs=reset,
    )


def prepare_convert(folder: Path) -> Commands:
    make_image(folder / "disk.raw")
    _template(folder, {"type": "vmware-export", "output_directory": "vmware", "keep_input_artifact": True})

    def reset() -> None:
        shutil.rmtree(folder / "vmware", ignore_errors=True)
        (folder / "plain.vmdk").unlink(missing_ok=True)

    return Commands(
        kiln_command() + ["build", "export.json"],
        ["qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=streamOptimized", "disk.raw", "plain.vmdk"],
        quiet_env(),
        baseline_name="qemu-img",
        between_runs=reset,
    )


ROWS = [
    Row("compress: 1 GiB image to zstd", prepare_compress, target=1.25, repeats=3),
    Row("vmware-export: 1 GiB image to VMDK", prepare_convert, target=1.25, repeats=3),
]

