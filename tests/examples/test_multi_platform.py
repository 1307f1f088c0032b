"""Build examples/multi-platform and check each output with the tool that consumes it.

The build boots kiln's tiny test image under QEMU and provisions a container in podman's
engine. It took 15 to 22 s under TCG on a lightly loaded 2-core machine. The module's tests
share one xdist group, so with `--dist loadgroup` (the project's default) one worker builds
the example once. The module is skipped when
qemu-system-x86_64 or qemu-img is missing, the test image cannot be built, or podman cannot
run containers here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from podman import BASE_IMAGE, PodmanEngine

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("multi-platform-example"),
    pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed"),
]

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "multi-platform"
CONTAINER_IMAGE = "localhost/kiln/multi-platform:latest"
MOTD = (EXAMPLE / "files" / "motd").read_text()
DISK_SIZE = 256 * 1024 * 1024
# The tiny image's root file system starts at sector 2048 (scripts/build-test-image).
ROOT_PARTITION_OFFSET = 2048 * 512
OVF_NAMESPACE = "{http://schemas.dmtf.org/ovf/envelope/1}"


@dataclass
class Build:
    """A finished `kiln build` of the example: its folder and the command's output."""

    folder: Path
    output: str
    podman_engine: PodmanEngine

    @property
    def out(self) -> Path:
        return self.folder / "output"


def _kiln_argv() -> list[str]:
    installed = REPO / ".venv" / "bin" / "kiln"
    return [str(installed)] if installed.exists() else ["kiln"]


def _test_image() -> Path:
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("qemu-system-x86_64 is not installed")
    completed = subprocess.run(
        [str(REPO / "scripts" / "build-test-image")], capture_output=True, text=True, timeout=900, check=False
    )
    if completed.returncode != 0:
        pytest.skip(f"scripts/build-test-image failed: {completed.stderr.strip()[-500:]}")
    return Path(completed.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def build(podman_engine: PodmanEngine, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Copy the example to a temporary folder and build it there once for the module."""
    image_dir = _test_image()
    folder = tmp_path_factory.mktemp("multi-platform") / "example"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("output"))
    environment = {
        **podman_engine.environment(),
        "DOCKER_HOST": podman_engine.docker_host,
        "PACKER_CACHE_DIR": str(folder / "cache"),
    }
    completed = subprocess.run(
        [*_kiln_argv(), "build", "-color=false", "-var", f"image_dir={image_dir}", "-var", f"base_image={BASE_IMAGE}", "."],
        cwd=folder, capture_output=True, text=True, timeout=540, env=environment, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    return Build(folder, completed.stdout, podman_engine)


def _qemu_img_info(path: Path) -> dict:
    completed = subprocess.run(
        ["qemu-img", "info", "--output=json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout)


def _qemu_img_check(path: Path, image_format: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["qemu-img", "check", "-f", image_format, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _read_guest_file(disk: Path, image_format: str, guest_path: str, scratch: Path) -> str:
    """Return a file from the disk's root file system, read with debugfs from a raw copy."""
    if shutil.which("debugfs") is None:
        pytest.skip("debugfs (e2fsprogs) is not installed")
    raw = scratch / f"{disk.name}.raw"
    subprocess.run(
        ["qemu-img", "convert", "-f", image_format, "-O", "raw", str(disk), str(raw)], timeout=120, check=True
    )
    try:
        completed = subprocess.run(
            ["debugfs", "-R", f"cat {guest_path}", f"{raw}?offset={ROOT_PARTITION_OFFSET}"],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
    finally:
        raw.unlink()
    return completed.stdout


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_sums(path: Path) -> dict[str, str]:
    """Map base names to digests from a checksum file of `HEXDIGEST<TAB>BASENAME` lines."""
    sums = {}
    for line in path.read_text().splitlines():
        digest, name = line.split("\t")
        sums[name] = digest
    return sums


def test_one_artifact_list_for_both(build):
    artifacts = build.output.split("The artifacts of successful builds are:\n")[1]

    assert "--> qemu.tiny: VM files in directory: output/qemu" in artifacts
    assert f"--> docker.tiny: Imported Docker image: {CONTAINER_IMAGE}" in artifacts
    assert (
        "--> qemu.tiny: Created artifact from files: output/vmware/tiny.vmx, output/vmware/tiny.vmdk"
        in artifacts
    )
    assert "--> qemu.tiny: 'libvirt' provider box: output/vagrant/tiny_libvirt.box" in artifacts


def test_provisioners_ran_on_both(build):
    for source in ("qemu.tiny", "docker.tiny"):
        lines = "\n".join(line for line in build.output.splitlines() if f"{source}:" in line)
        assert f"{source}: {MOTD.strip()}\n" in build.output, lines
        assert f"{source}: built by kiln for {source}\n" in build.output, lines


def test_qemu_disk(build, tmp_path):
    disk = build.out / "qemu" / "tiny.qcow2"
    info = _qemu_img_info(disk)
    checked = _qemu_img_check(disk, "qcow2")

    assert info["format"] == "qcow2"
    assert info["virtual-size"] == DISK_SIZE
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert _read_guest_file(disk, "qcow2", "/etc/kiln-release", tmp_path) == "built by kiln for qemu.tiny\n"
    assert _read_guest_file(disk, "qcow2", "/etc/motd", tmp_path) == MOTD


def test_vmware_export(build, tmp_path):
    folder = build.out / "vmware"
    disk = folder / "tiny.vmdk"
    info = _qemu_img_info(disk)
    checked = _qemu_img_check(disk, "vmdk")
    vmx = (folder / "tiny.vmx").read_text()

    assert info["format"] == "vmdk"
    assert info["format-specific"]["data"]["create-type"] == "streamOptimized"
    assert info["virtual-size"] == DISK_SIZE
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert 'scsi0:0.fileName = "tiny.vmdk"' in vmx
    assert 'memsize = "256"' in vmx
    assert _read_guest_file(disk, "vmdk", "/etc/kiln-release", tmp_path) == "built by kiln for qemu.tiny\n"


def test_virtualbox_ova(build, tmp_path):
    with tarfile.open(build.out / "virtualbox" / "tiny.ova") as archive:
        names = archive.getnames()
        members = {name: archive.extractfile(name).read() for name in names}
    descriptor = ElementTree.fromstring(members["tiny.ovf"])
    references = descriptor.findall(f"{OVF_NAMESPACE}References/{OVF_NAMESPACE}File")
    manifest = dict(
        line.removeprefix("SHA256(").split(")= ") for line in members["tiny.mf"].decode().splitlines()
    )
    disk = tmp_path / "tiny-disk001.vmdk"
    disk.write_bytes(members["tiny-disk001.vmdk"])
    checked = _qemu_img_check(disk, "vmdk")

    # DSP0243 puts the descriptor first and the manifest right after it.
    assert names == ["tiny.ovf", "tiny.mf", "tiny-disk001.vmdk"]
    assert manifest == {name: _sha256(members[name]) for name in ("tiny.ovf", "tiny-disk001.vmdk")}
    assert [reference.get(f"{OVF_NAMESPACE}href") for reference in references] == ["tiny-disk001.vmdk"]
    assert references[0].get(f"{OVF_NAMESPACE}size") == str(len(members["tiny-disk001.vmdk"]))
    assert _qemu_img_info(disk)["format-specific"]["data"]["create-type"] == "streamOptimized"
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_hyperv_vhdx(build, tmp_path):
    disk = build.out / "hyperv" / "Virtual Hard Disks" / "tiny.vhdx"
    info = _qemu_img_info(disk)
    checked = _qemu_img_check(disk, "vhdx")

    assert info["format"] == "vhdx"
    assert info["virtual-size"] == DISK_SIZE
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert _read_guest_file(disk, "vhdx", "/etc/kiln-release", tmp_path) == "built by kiln for qemu.tiny\n"


def test_vagrant_box_add(build, tmp_path):
    if shutil.which("vagrant") is None:
        pytest.skip("vagrant is not installed")
    box = build.out / "vagrant" / "tiny_libvirt.box"
    vagrant_home = tmp_path / "vagrant-home"
    environment = {**os.environ, "VAGRANT_HOME": str(vagrant_home), "VAGRANT_CHECKPOINT_DISABLE": "1"}

    added = subprocess.run(
        ["vagrant", "box", "add", "--name", "kiln/tiny", str(box)],
        capture_output=True, text=True, timeout=300, env=environment, check=False,
    )  # fmt: skip
    listed = subprocess.run(
        ["vagrant", "box", "list"], capture_output=True, text=True, timeout=120, env=environment, check=False
    )
    unpacked = next(vagrant_home.glob("boxes/kiln-VAGRANTSLASH-tiny/0/**/libvirt"))
    metadata = json.loads((unpacked / "metadata.json").read_text())

    assert added.returncode == 0, added.stdout + added.stderr
    assert "kiln/tiny (libvirt, 0" in listed.stdout
    assert metadata["provider"] == "libvirt"
    assert metadata["format"] == "qcow2"
    assert _qemu_img_info(unpacked / "box.img")["format"] == "qcow2"
    assert _qemu_img_check(unpacked / "box.img", "qcow2").returncode == 0


def test_checksum_files(build):
    folders = {
        "qemu": ["tiny.qcow2"],
        "vmware": ["tiny.vmx", "tiny.vmdk"],
        "virtualbox": ["tiny.ova"],
        "hyperv": ["Virtual Hard Disks/tiny.vhdx"],
        "vagrant": ["tiny_libvirt.box"],
    }
    for folder, files in folders.items():
        sums = _read_sums(build.out / folder / "SHA256SUMS")
        expected = {Path(file).name: _sha256((build.out / folder / file).read_bytes()) for file in files}
        assert sums == expected, folder


def test_manifest_lists_both(build):
    manifest = json.loads((build.out / "manifest.json").read_text())
    builds = {entry["builder_type"]: entry for entry in manifest["builds"]}

    assert sorted(builds) == ["docker", "qemu"]
    assert builds["qemu"]["files"] == [
        {"name": "output/qemu/tiny.qcow2", "size": (build.out / "qemu" / "tiny.qcow2").stat().st_size}
    ]
    assert builds["docker"]["artifact_id"].startswith("sha256:")
    assert {entry["packer_run_uuid"] for entry in manifest["builds"]} == {manifest["last_run_uuid"]}


def test_container_image_runs(build):
    default_output = build.podman_engine.podman("run", "--rm", CONTAINER_IMAGE)
    release = build.podman_engine.podman("run", "--rm", CONTAINER_IMAGE, "cat /etc/kiln-release")

    assert default_output.stdout == MOTD + "built by kiln for docker.tiny\n"
    assert release.stdout == "built by kiln for docker.tiny\n"
