"""The qemu builder's parts that need no virtual machine: config checks, qemuargs, sources, HTTP, CD."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kiln.builtin.builders.qemu import source
from kiln.builtin.builders.qemu.cdrom import make_cd
from kiln.builtin.builders.qemu.config import QemuConfig, check_config
from kiln.builtin.builders.qemu.http import HTTPServer
from kiln.builtin.builders.qemu.run import default_arguments, merge_qemuargs
from kiln.communicator.config import CommunicatorConfig


def valid() -> QemuConfig:
    return QemuConfig(
        comm=CommunicatorConfig(ssh_username="root", ssh_password="x"),
        iso_url="disk.qcow2",
        iso_checksum="none",
        disk_image=True,
    )


def test_valid_config_defaults():
    config = valid()
    warnings, problems = check_config(config, "base")
    assert problems == []
    assert "checksum of 'none'" in warnings[0]
    assert config.output_directory == "output-base"
    assert config.vm_name == "packer-base"


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"iso_url": ""}, ("iso_url",)),
        ({"iso_urls": ["a"]}, ("iso_urls",)),
        ({"iso_checksum": ""}, ("iso_checksum",)),
        ({"format": "vmdk"}, ("format",)),
        ({"disk_size": "10 GB"}, ("disk_size",)),
        ({"disk_additional_size": ["1G", "x"]}, ("disk_additional_size", 1)),
        ({"disk_interface": "nvme"}, ("disk_interface",)),
        ({"accelerator": "kvm2"}, ("accelerator",)),
        ({"host_port_min": 5000, "host_port_max": 4000}, ("host_port_min",)),
        ({"boot_command": ["<wait0>"]}, ("boot_command",)),
        ({"http_directory": "/nonexistent-dir"}, ("http_directory",)),
        ({"use_backing_file": True, "format": "raw"}, ("use_backing_file",)),
        ({"qemuargs": [[]]}, ("qemuargs", 0)),
        ({"iso_checksum": "sha256:xyz"}, ("iso_checksum",)),
        ({"floppy_files": ["a.cfg"]}, ("floppy_files",)),
    ],
    ids=[
        "no-url", "both-urls", "no-checksum", "format", "disk-size", "additional-size", "interface",
        "accelerator", "ports", "boot-command", "http-dir", "backing-raw", "empty-qemuarg", "bad-checksum",
        "floppy",
    ],
)  # fmt: skip
def test_problem_at_option_path(changes, path):
    config = valid()
    for name, value in changes.items():
        setattr(config, name, value)
    _, problems = check_config(config, "base")
    assert [problem.path for problem in problems] == [path]


def test_raw_format_skips_compaction():
    config = valid()
    config.format = "raw"
    check_config(config, "base")
    assert config.skip_compaction


def test_qemuargs_replace_defaults_per_flag():
    defaults = [
        ["-m", "512M"],
        ["-device", "virtio-net,netdev=user.0"],
        ["-device", "other"],
        ["-name", "vm"],
    ]
    user = [["-m", "1G"], ["-device", "e1000,netdev=user.0"], ["-serial", "file:x"]]
    assert merge_qemuargs(defaults, user) == [
        "-name", "vm", "-m", "1G", "-device", "e1000,netdev=user.0", "-serial", "file:x",
    ]  # fmt: skip


def test_default_arguments_forward_ssh_on_loopback(tmp_path):
    config = valid()
    check_config(config, "base")
    paths = {"disks": [tmp_path / "d"], "cdroms": [], "boot_cdrom": False, "qmp_socket": tmp_path / "q"}
    flat = [part for entry in default_arguments(config, paths, "tcg", 2345) for part in entry]
    assert "user,id=user.0,hostfwd=tcp:127.0.0.1:2345-:22" in flat
    assert "type=pc,accel=tcg" in flat
    assert f"file={tmp_path / 'd'},if=virtio,cache=writeback,discard=ignore,format=qcow2" in flat
    assert flat[flat.index("-m") + 1] == "512M"
    assert flat[flat.index("-boot") + 1] == "c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sha256:" + "AB" * 32, "sha256:" + "ab" * 32),
        ("a" * 32, "md5:" + "a" * 32),
        ("b" * 40, "sha1:" + "b" * 40),
        ("none", None),
    ],
    ids=["typed", "bare-md5", "bare-sha1", "none"],
)
def test_parse_checksum(text, expected):
    parsed = source.parse_checksum(text, "x.iso", Path("."))
    assert (str(parsed) if parsed else None) == expected


def test_checksum_file_gnu_and_bsd(tmp_path):
    (tmp_path / "SHA256SUMS").write_text(f"{'c' * 64}  other.iso\n{'d' * 64} *image.iso\n")
    (tmp_path / "BSD").write_text(f"SHA256 (image.iso) = {'e' * 64}\n")
    gnu = source.parse_checksum(f"file:{tmp_path}/SHA256SUMS", "http://host/path/image.iso", tmp_path)
    bsd = source.parse_checksum("file:BSD", "image.iso", tmp_path)
    assert str(gnu) == "sha256:" + "d" * 64
    assert str(bsd) == "sha256:" + "e" * 64


def test_checksum_file_over_http(tmp_path):
    sums = f"{'f' * 64}  image.iso\n"
    server = HTTPServer("", {"/SHA256SUMS": sums}, "127.0.0.1", 8000, 9000)
    try:
        url = f"http://127.0.0.1:{server.port}/SHA256SUMS"
        parsed = source.parse_checksum(f"file:{url}", "http://host/image.iso", tmp_path)
    finally:
        server.close()
    assert str(parsed) == "sha256:" + "f" * 64


def test_checksum_mismatch_rejected(tmp_path):
    image = tmp_path / "image.iso"
    image.write_bytes(b"content")
    with pytest.raises(source.SourceError, match="Checksum did not match"):
        source.verify(image, source.Checksum("sha256", "0" * 64))
    source.verify(image, source.Checksum("sha256", hashlib.sha256(b"content").hexdigest()))


def test_cache_key_is_sha1_of_checksum(monkeypatch, tmp_path):
    monkeypatch.setenv("PACKER_CACHE_DIR", str(tmp_path))
    target = source.cache_target("sha256:abc", ["http://x/a.iso"], "ISO")
    assert target == tmp_path / (hashlib.sha1(b"sha256:abc").hexdigest() + ".iso")
    by_url = source.cache_target("none", ["http://x/a.iso"], "iso")
    assert by_url.name == hashlib.sha1(b"http://x/a.iso").hexdigest() + ".iso"


def test_http_content_serves_and_suggests():
    server = HTTPServer("", {"/ks.cfg": "kickstart", "preseed.cfg": "seed"}, "127.0.0.1", 8000, 9000)
    try:
        base = f"http://127.0.0.1:{server.port}"
        assert 8000 <= server.port <= 9000
        assert urllib.request.urlopen(f"{base}/ks.cfg").read() == b"kickstart"
        assert urllib.request.urlopen(f"{base}/./preseed.cfg").read() == b"seed"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/ks.cf")
        assert missing.value.code == 404
        assert 'Did you mean "/ks.cfg"' in missing.value.reason
    finally:
        server.close()


def test_http_directory_serves_files(tmp_path):
    (tmp_path / "hello.txt").write_text("hello")
    server = HTTPServer(str(tmp_path), {}, "127.0.0.1", 8000, 9000)
    try:
        assert urllib.request.urlopen(f"http://127.0.0.1:{server.port}/hello.txt").read() == b"hello"
    finally:
        server.close()


def test_cd_has_files_content_and_label(tmp_path):
    import io

    import pycdlib

    (tmp_path / "tree" / "sub").mkdir(parents=True)
    (tmp_path / "tree" / "sub" / "nested.txt").write_text("nested")
    (tmp_path / "single.cfg").write_text("single")
    target = tmp_path / "cd.iso"
    make_cd([str(tmp_path / "single.cfg"), str(tmp_path / "tree")], {"meta-data": "m"}, "cidata", target)

    iso = pycdlib.PyCdlib()
    iso.open(str(target))
    try:
        read = {}
        for rr_path in ("/single.cfg", "/tree/sub/nested.txt", "/meta-data"):
            buffer = io.BytesIO()
            iso.get_file_from_iso_fp(buffer, rr_path=rr_path)
            read[rr_path] = buffer.getvalue()
        label = iso.pvd.volume_identifier.decode().strip()
    finally:
        iso.close()
    assert read == {"/single.cfg": b"single", "/tree/sub/nested.txt": b"nested", "/meta-data": b"m"}
    assert label == "cidata"


class RecordingUi:
    """A real Ui over the sdk's recording sink, with its lines as `kind: text`."""

    def __init__(self) -> None:
        from kiln.sdk.testing.ui import RecordingSink
        from kiln.sdk.ui import Ui

        self.sink = RecordingSink()
        self.ui = Ui(self.sink, build="test")

    @property
    def lines(self) -> list[str]:
        return [f"{event.kind}: {event.text}" for event in self.sink.events]


def test_fetch_downloads_once_then_reuses(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKER_CACHE_DIR", str(tmp_path / "cache"))
    served = tmp_path / "served"
    served.mkdir()
    (served / "image.iso").write_bytes(b"iso bytes")
    checksum = source.Checksum("sha256", hashlib.sha256(b"iso bytes").hexdigest())
    server = HTTPServer(str(served), {}, "127.0.0.1", 8000, 9000)
    try:
        url = f"http://127.0.0.1:{server.port}/image.iso"
        target = source.cache_target(str(checksum), [url], "iso")
        ui = RecordingUi()
        first = source.fetch(url, target, checksum, ui.ui)
        (served / "image.iso").write_bytes(b"changed on the server")
        second = source.fetch(url, target, checksum, ui.ui)
    finally:
        server.close()
    assert first == second == target
    assert target.read_bytes() == b"iso bytes"
    assert ui.lines == [f"say: {url} => {target}"]


def test_fetch_mismatch_removes_download(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "image.iso").write_bytes(b"tampered")
    server = HTTPServer(str(served), {}, "127.0.0.1", 8000, 9000)
    target = tmp_path / "cache" / "x.iso"
    ui = RecordingUi()
    try:
        with pytest.raises(source.SourceError, match="Checksum did not match"):
            source.fetch(
                f"http://127.0.0.1:{server.port}/image.iso",
                target,
                source.Checksum("sha256", "0" * 64),
                ui.ui,
            )
    finally:
        server.close()
    assert not target.exists()
    assert [path.name for path in (tmp_path / "cache").iterdir()] == ["x.iso.lock"]
    assert ui.lines[-1].startswith("error: Checksum did not match, removing")


def test_kvm_probe_reports_qemu_abort(tmp_path, monkeypatch):
    import asyncio
    import os

    from kiln.builtin.builders.qemu import run

    fake = tmp_path / "fake-qemu"
    fake.write_text("#!/bin/sh\necho 'kvm: failed to set MSR 0x10a' >&2\nexit 134\n")
    fake.chmod(0o755)
    monkeypatch.setattr(run, "_kvm_verdicts", {})
    verdict = asyncio.run(run.kvm_usable(str(fake), "pc"))
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        assert verdict == "/dev/kvm is not available"
    else:
        assert verdict == "QEMU exited with status 134: kvm: failed to set MSR 0x10a"


def test_kvm_probe_rejects_stalled_firmware(tmp_path, monkeypatch):
    import asyncio
    import os

    from kiln.builtin.builders.qemu import run

    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        pytest.skip("/dev/kvm is not available")
    fake = tmp_path / "fake-qemu"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(run, "_kvm_verdicts", {})
    monkeypatch.setattr(run, "KVM_PROBE_SECONDS", 0.5)
    assert asyncio.run(run.kvm_usable(str(fake), "pc")) == "the firmware did not finish within 0.5s"
