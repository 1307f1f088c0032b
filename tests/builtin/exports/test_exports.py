"""Export post-processors checked with the tools that consume their formats."""

import asyncio
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from kiln.builtin.exports.disk import ExportError
from kiln.builtin.exports.hyperv import HypervExportConfig, HypervExportPostProcessor
from kiln.builtin.exports.vagrant import VagrantConfig, VagrantPostProcessor
from kiln.builtin.exports.virtualbox import VirtualBoxExportConfig, VirtualBoxExportPostProcessor
from kiln.builtin.exports.vmware import VMwareExportConfig, VMwareExportPostProcessor, render_vmx
from kiln.sdk.artifact import BasicArtifact
from kiln.sdk.component import BuildInfo, PostProcessContext
from kiln.sdk.config import ConfigProblems
from kiln.sdk.testing import recording_ui

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")

OVF = "{http://schemas.dmtf.org/ovf/envelope/1}"


def raw_digest(path: Path) -> str:
    """Return the SHA256 of the disk's guest-visible content, whatever its format."""
    raw = path.with_suffix(".check.raw")
    subprocess.run(["qemu-img", "convert", "-O", "raw", str(path), str(raw)], check=True)
    digest = hashlib.sha256(raw.read_bytes()).hexdigest()
    raw.unlink()
    return digest


def qemu_info(path: Path) -> dict:
    return json.loads(subprocess.run(["qemu-img", "info", "--output=json", str(path)], check=True, capture_output=True).stdout)


@pytest.fixture
def source_image(tmp_path) -> Path:
    """A 64 MiB qcow2 with recognisable data at a few offsets."""
    raw = tmp_path / "src.raw"
    with raw.open("wb") as stream:
        stream.truncate(64 * 1024 * 1024)
        for offset in (0, 5 * 1024 * 1024, 63 * 1024 * 1024):
            stream.seek(offset)
            stream.write(hashlib.sha256(str(offset).encode()).digest() * 1000)
    image = tmp_path / "input" / "disk.qcow2"
    image.parent.mkdir()
    subprocess.run(["qemu-img", "convert", "-O", "qcow2", str(raw), str(image)], check=True)
    raw.unlink()
    return image


def qemu_artifact(image: Path) -> BasicArtifact:
    return BasicArtifact(
        "transcend.qemu",
        files=[str(image)],
        id="base",
        states={"diskName": image.name, "diskType": "qcow2", "domainType": "tcg"},
    )


def run_post_processor(component, config, artifact, build_name="base", force=False):
    component.prepare(config)
    ui, sink = recording_ui(build_name)
    context = PostProcessContext(ui=ui, info=BuildInfo(build_name=build_name, builder_type="qemu", force=force))
    result = asyncio.run(component.post_process(context, artifact))
    return result, sink


def test_vmware_export_is_stream_optimized_and_same_content(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, sink = run_post_processor(VMwareExportPostProcessor(), VMwareExportConfig(cpus=2, memory=512), qemu_artifact(source_image))

    vmx, vmdk = (Path(name) for name in result.artifact.files)
    assert result.artifact.builder_id == "mitchellh.vmware"
    assert vmdk == Path("output-base-vmware/base.vmdk")
    info = qemu_info(vmdk)
    assert info["format"] == "vmdk"
    assert info["format-specific"]["data"]["create-type"] == "streamOptimized"
    assert subprocess.run(["qemu-img", "check", str(vmdk)], capture_output=True).returncode == 0
    assert raw_digest(vmdk) == raw_digest(source_image)
    entries = dict(line.split(" = ", 1) for line in vmx.read_text().splitlines())
    assert entries["numvcpus"] == '"2"'
    assert entries["memsize"] == '"512"'
    assert entries["scsi0:0.fileName"] == '"base.vmdk"'
    assert sink.progresses and sink.progresses[0].closed


def test_vmx_data_overrides_generated_entries():
    text = render_vmx(VMwareExportConfig(vmx_data={"memsize": "2048", "uuid.action": "create"}), "vm", "vm.vmdk")
    assert 'memsize = "2048"\n' in text
    assert 'memsize = "1024"' not in text
    assert text.endswith('uuid.action = "create"\n')


def test_virtualbox_ovf_references_sizes_and_digests(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, _ = run_post_processor(VirtualBoxExportPostProcessor(), VirtualBoxExportConfig(), qemu_artifact(source_image))

    ovf_path, disk_path, manifest_path = (Path(name) for name in result.artifact.files)
    envelope = ElementTree.parse(ovf_path).getroot()
    (file_element,) = envelope.iter(f"{OVF}File")
    assert file_element.get(f"{OVF}href") == disk_path.name
    assert int(file_element.get(f"{OVF}size")) == disk_path.stat().st_size
    (disk_element,) = envelope.iter(f"{OVF}Disk")
    assert int(disk_element.get(f"{OVF}capacity")) == 64 * 1024 * 1024
    assert disk_element.get(f"{OVF}fileRef") == file_element.get(f"{OVF}id")
    manifest = dict(line.split("= ") for line in manifest_path.read_text().splitlines())
    for path in (ovf_path, disk_path):
        assert manifest[f"SHA256({path.name})"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert raw_digest(disk_path) == raw_digest(source_image)


def test_virtualbox_ova_member_order(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, _ = run_post_processor(VirtualBoxExportPostProcessor(), VirtualBoxExportConfig(format="ova"), qemu_artifact(source_image))

    (ova,) = result.artifact.files
    with tarfile.open(ova) as archive:
        names = archive.getnames()
        assert names == ["base.ovf", "base.mf", "base-disk001.vmdk"]
        assert {member.mtime for member in archive.getmembers()} == {0}


def test_hyperv_export_is_vhdx(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, _ = run_post_processor(HypervExportPostProcessor(), HypervExportConfig(), qemu_artifact(source_image))

    (vhdx,) = (Path(name) for name in result.artifact.files)
    assert vhdx == Path("output-base-hyperv/Virtual Hard Disks/base.vhdx")
    assert qemu_info(vhdx)["format"] == "vhdx"
    assert subprocess.run(["qemu-img", "check", str(vhdx)], capture_output=True).returncode == 0
    assert raw_digest(vhdx) == raw_digest(source_image)


def test_existing_output_needs_force(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output-base-hyperv").mkdir()
    with pytest.raises(ExportError, match="Output directory exists"):
        run_post_processor(HypervExportPostProcessor(), HypervExportConfig(), qemu_artifact(source_image))
    result, _ = run_post_processor(HypervExportPostProcessor(), HypervExportConfig(), qemu_artifact(source_image), force=True)
    assert Path(result.artifact.files[0]).exists()
    assert not list(tmp_path.glob(".output-base-hyperv.kiln-partial-*"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def box_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers() if member.isfile()}


def test_vagrant_libvirt_box(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, _ = run_post_processor(VagrantPostProcessor(), VagrantConfig(architecture="amd64"), qemu_artifact(source_image))

    (box,) = result.artifact.files
    assert box == "packer_base_libvirt_amd64.box"
    assert Path(box).stat().st_mode & 0o777 == 0o666 & ~_umask()
    with open(box, "rb") as stream:
        assert stream.read(2) == b"\x1f\x8b"  # gzip
    members = box_members(Path(box))
    assert sorted(members) == ["Vagrantfile", "box.img", "metadata.json"]
    assert json.loads(members["metadata.json"]) == {"architecture": "amd64", "format": "qcow2", "provider": "libvirt", "virtual_size": 1}
    assert b'libvirt.driver = "qemu"' in members["Vagrantfile"]
    assert hashlib.sha256(members["box.img"]).hexdigest() == hashlib.sha256(source_image.read_bytes()).hexdigest()


def test_vagrant_box_is_reproducible(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first, _ = run_post_processor(VagrantPostProcessor(), VagrantConfig(output="one.box"), qemu_artifact(source_image))
    second, _ = run_post_processor(VagrantPostProcessor(), VagrantConfig(output="two.box"), qemu_artifact(source_image))
    assert Path("one.box").read_bytes() == Path("two.box").read_bytes()


def test_vagrant_virtualbox_box_from_ova(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exported, _ = run_post_processor(VirtualBoxExportPostProcessor(), VirtualBoxExportConfig(format="ova"), qemu_artifact(source_image))
    result, _ = run_post_processor(VagrantPostProcessor(), VagrantConfig(output="{{ .Provider }}.box", compression_level=0), exported.artifact)

    assert result.artifact.files == ["virtualbox.box"]
    with open("virtualbox.box", "rb") as stream:
        assert stream.read(2) != b"\x1f\x8b"  # level 0 is a plain tar
    members = box_members(Path("virtualbox.box"))
    assert {"box.ovf", "base-disk001.vmdk", "base.mf", "metadata.json", "Vagrantfile"} <= set(members)
    assert b'config.vm.base_mac = "080027' in members["Vagrantfile"]


def test_vagrant_rejects_unknown_artifact_and_bad_options(tmp_path):
    with pytest.raises(ExportError, match="Unknown artifact type, can't build box: example.unknown"):
        run_post_processor(VagrantPostProcessor(), VagrantConfig(), BasicArtifact("example.unknown"))
    with pytest.raises(ConfigProblems, match="compression_level must be between 0 and 9"):
        VagrantPostProcessor().prepare(VagrantConfig(compression_level=11))
    with pytest.raises(ConfigProblems, match="provider_override nope is not valid"):
        VagrantPostProcessor().prepare(VagrantConfig(provider_override="nope"))


def test_vagrant_hyperv_rejects_disk_only_export(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exported, _ = run_post_processor(HypervExportPostProcessor(), HypervExportConfig(), qemu_artifact(source_image))

    with pytest.raises(ExportError) as raised:
        run_post_processor(VagrantPostProcessor(), VagrantConfig(output="hyperv.box"), exported.artifact)

    message = str(raised.value)
    assert message.startswith("Cannot make a 'hyperv' box from the artifact of MSOpenTech.hyperv, because")
    assert "VM configuration (.vmcx or .xml) in a 'Virtual Machines' folder" in message
    assert "Artifact files: output-base-hyperv/Virtual Hard Disks/base.vhdx." in message
    assert "or make a libvirt, virtualbox or vmware box" in message
    assert not Path("hyperv.box").exists()


def test_vagrant_hyperv_requires_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    configuration = tmp_path / "export" / "Virtual Machines" / "vm.vmcx"
    configuration.parent.mkdir(parents=True)
    configuration.write_bytes(b"vmcx")
    artifact = BasicArtifact("MSOpenTech.hyperv", files=[str(configuration)])

    with pytest.raises(ExportError, match=r"none of its files is a disk \(\.vhd or \.vhdx\) in a 'Virtual Hard Disks'"):
        run_post_processor(VagrantPostProcessor(), VagrantConfig(output="hyperv.box"), artifact)


def test_vagrant_hyperv_box_keeps_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "export"
    files = {
        "Virtual Machines/0A1B.vmcx": b"configuration",
        "Virtual Machines/0A1B.vmrs": b"runtime state",
        "Virtual Hard Disks/base.vhdx": b"disk",
    }
    for name, data in files.items():
        (export / name).parent.mkdir(parents=True, exist_ok=True)
        (export / name).write_bytes(data)
    artifact = BasicArtifact("MSOpenTech.hyperv", files=[str(export / name) for name in files])

    result, _ = run_post_processor(VagrantPostProcessor(), VagrantConfig(output="hyperv.box", architecture="amd64"), artifact)

    members = box_members(Path("hyperv.box"))
    assert result.artifact.files == ["hyperv.box"]
    assert {name: members[name] for name in files} == files
    assert json.loads(members["metadata.json"]) == {"architecture": "amd64", "provider": "hyperv"}


@pytest.mark.skipif(shutil.which("vagrant") is None, reason="vagrant is not installed")
def test_vagrant_box_add_accepts_box(tmp_path, source_image, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, _ = run_post_processor(VagrantPostProcessor(), VagrantConfig(output="test.box"), qemu_artifact(source_image))
    environment = {"VAGRANT_HOME": str(tmp_path / "vagrant-home"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    added = subprocess.run(
        ["vagrant", "box", "add", "--name", "kiln-test", "test.box"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert added.returncode == 0, added.stdout + added.stderr
    listed = subprocess.run(["vagrant", "box", "list"], env=environment, capture_output=True, text=True, timeout=60)
    assert "kiln-test" in listed.stdout
    assert "libvirt" in listed.stdout
