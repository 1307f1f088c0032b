"""Rows: compressing and converting a 1 GiB disk image, kiln against the tool it drives.

kiln runs a `null` build whose post-processor chain starts with `artifice` (the image as the
artifact) and then `compress` (zstd) or `vmware-export` (qemu-img convert to a
streamOptimized VMDK). The baselines are `zstd -T0` and `qemu-img convert` alone on the same
file; the target is at least 0.8 times their throughput, a time ratio of at most 1.25.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from rows import Commands, Row, kiln_command, quiet_env

SIZE = 1024**3


def make_image(path: Path) -> None:
    """Write a 1 GiB raw image: a quarter random data, a quarter text, the rest zeros."""
    generator = random.Random(7)
    text = (b"kiln builds identical machine images from one template. " * 20)[:1024]
    with path.open("wb") as stream:
        for index in range(SIZE // (1 << 20)):
            kind = index % 4
            if kind == 0:
                stream.write(generator.randbytes(1 << 20))
            elif kind == 1:
                stream.write(text * 1024)
            else:
                stream.write(bytes(1 << 20))


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

