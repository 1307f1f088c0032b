"""Disk steps of the qemu builder with the real qemu-img: copy, backing file, resize, extra disks, compaction."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kiln.builtin.builders.qemu.config import QemuConfig, check_config
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


def run_disk_steps(tmp_path: Path, **changes) -> tuple[QemuState, QemuConfig]:
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
    context = BuildContext(Ui(RecordingSink(), build="t"), hook=None, info=BuildInfo())  # type: ignore[arg-type]
    staging = tmp_path / "staging"
    staging.mkdir()
    state = QemuState(staging_dir=staging, source_path=make_source(tmp_path))

    async def run() -> None:
        await StepMakeDisks(context, config).run(state)
        await StepCompactDisk(context, config).run(state)

    asyncio.run(run())
    return state, config


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
