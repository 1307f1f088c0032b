"""Disk steps of the qemu builder with the real qemu-img: copy, backing file, resize, extra disks, compaction."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kiln.builtin.builders.qemu import disk
from kiln.builtin.builders.qemu.config import QemuConfig, QemuImgArgs, check_config
from kiln.builtin.builders.qemu.steps import QemuState, StepCompactDisk, StepMakeDisks
from kiln.communicator.config import CommunicatorConfig
from kiln.sdk.component import BuildContext, BuildInfo
from kiln.sdk.testing.ui import RecordingSink
from kiln.sdk.ui import Ui

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")


def image_info(path: Path) -> dict:
    output = subprocess.run(["qemu-img", "info", "--output=json", str(path)], capture_output=True, check=True)
    return json.loads(output.stdout)


def make_source(tmp_path: Path) -> Path:
    source = tmp_path / "base.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(source), "64M"], check=True)
    return source


def run_disk_steps(tmp_path: Path, source: Path | None = None, **changes) -> tuple[QemuState, QemuConfig]:
    state, config, _ = run_disk_steps_recorded(tmp_path, source, **changes)
    return state, config


def run_disk_steps_recorded(
    tmp_path: Path, source: Path | None = None, **changes
) -> tuple[QemuState, QemuConfig, RecordingSink]:
    config = QemuConfig(
        comm=CommunicatorConfig(communicator="none"),
        iso_url="base.qcow2",
        iso_checksum="none",
        disk_image=True,
        disk_size="128M",
        vm_name="disk",
    )
    for name, value in changes.items():
        setattr(config, name, value)
    _, problems = check_config(config, "t")
    assert problems == []
    sink = RecordingSink()
    context = BuildContext(Ui(sink, build="t"), hook=None, info=BuildInfo())  # type: ignore[arg-type]
    staging = tmp_path / "staging"
    staging.mkdir()
    state = QemuState(staging_dir=staging, source_path=source or make_source(tmp_path))

    async def run() -> None:
        await StepMakeDisks(context, config).run(state)
        await StepCompactDisk(context, config).run(state)

    asyncio.run(run())
    return state, config, sink


def test_copy_resize_and_extra_disks(tmp_path):
    state, _ = run_disk_steps(tmp_path, disk_additional_size=["8M", "1G"])
    main, first, second = state.disks
    assert [path.name for path in state.disks] == ["disk", "disk-1", "disk-2"]
    assert image_info(main)["virtual-size"] == 128 * 1024 * 1024
    assert "backing-filename" not in image_info(main)
    assert image_info(first)["virtual-size"] == 8 * 1024 * 1024
    assert image_info(second)["virtual-size"] == 1024**3
    assert not list(main.parent.glob("*.compacting"))


def test_backing_file_keeps_base(tmp_path):
    state, config = run_disk_steps(tmp_path, use_backing_file=True)
    info = image_info(state.disks[0])
    assert info["backing-filename"] == str(tmp_path / "base.qcow2")
    assert config.skip_compaction


def test_skip_resize_keeps_source_size(tmp_path):
    state, _ = run_disk_steps(tmp_path, skip_resize_disk=True, format="raw")
    info = image_info(state.disks[0])
    assert info["format"] == "raw"
    assert info["virtual-size"] == 64 * 1024 * 1024


SKIP_CONVERT = "File extension already matches desired output format. Skipping qemu-img convert step"


def write_pattern(image: Path, offset: str) -> None:
    subprocess.run(
        ["qemu-io", "-f", "qcow2", "-c", f"write -P 0x5a {offset} 64k", str(image)],
        check=True,
        capture_output=True,
    )


def test_matching_extension_copies_as_is(tmp_path):
    source = make_source(tmp_path)
    write_pattern(source, "1M")
    state, _, sink = run_disk_steps_recorded(tmp_path, source, skip_resize_disk=True, skip_compaction=True)
    assert SKIP_CONVERT in [event.text for event in sink.events]
    assert "Copying hard drive..." not in [event.text for event in sink.events]
    assert state.disks[0].read_bytes() == source.read_bytes()


def test_backing_file_source_is_flattened(tmp_path):
    base = make_source(tmp_path)
    write_pattern(base, "2M")
    overlay = tmp_path / "overlay.qcow2"
    subprocess.run(
        ["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(base), "-F", "qcow2", str(overlay)], check=True
    )
    state, _, sink = run_disk_steps_recorded(tmp_path, overlay, skip_compaction=True)
    texts = [event.text for event in sink.events]
    assert "Copying hard drive..." in texts
    assert SKIP_CONVERT not in texts
    assert "backing-filename" not in image_info(state.disks[0])
    compared = subprocess.run(
        ["qemu-img", "compare", "-s", str(base), str(state.disks[0])], capture_output=True, check=False
    )
    assert compared.returncode == 1  # only the size differs: 64M of content, resized to 128M
    compared = subprocess.run(
        ["qemu-img", "compare", str(base), str(state.disks[0])], capture_output=True, check=False
    )
    assert compared.returncode == 0


def test_convert_arguments_force_convert(tmp_path):
    state, _, sink = run_disk_steps_recorded(
        tmp_path, skip_compaction=True, qemu_img_args=QemuImgArgs(convert=["-c"])
    )
    texts = [event.text for event in sink.events]
    assert "Copying hard drive..." in texts
    assert SKIP_CONVERT not in texts
    assert image_info(state.disks[0])["format"] == "qcow2"


def test_copy_file_keeps_holes(tmp_path):
    source = tmp_path / "sparse.raw"
    with source.open("wb") as handle:
        handle.truncate(256 * 1024 * 1024)
        handle.seek(100 * 1024 * 1024)
        handle.write(b"kiln" * 1024)
    target = tmp_path / "copy.raw"
    disk.copy_file(source, target)
    assert target.stat().st_size == source.stat().st_size
    assert target.read_bytes() == source.read_bytes()
    # The source contains 4 KiB of data. A copy that wrote the holes would use 256 MiB.
    assert target.stat().st_blocks * 512 <= 1024 * 1024


def test_refers_to_other_files(tmp_path):
    base = make_source(tmp_path)
    overlay = tmp_path / "overlay.qcow2"
    subprocess.run(
        ["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(base), "-F", "qcow2", str(overlay)], check=True
    )
    with_data_file = tmp_path / "external.qcow2"
    subprocess.run(
        ["qemu-img", "create", "-q", "-f", "qcow2", "-o", f"data_file={tmp_path / 'external.raw'}",
         str(with_data_file), "64M"],
        check=True,
    )  # fmt: skip
    raw = tmp_path / "plain.raw"
    raw.write_bytes(b"\0" * 4096)
    assert disk.refers_to_other_files(base) is False
    assert disk.refers_to_other_files(overlay) is True
    assert disk.refers_to_other_files(with_data_file) is True
    assert disk.refers_to_other_files(raw) is False
