"""The qemu builder booting real guests under TCG through `kiln build`.

Each default test costs at most one short boot of the tiny test image. That boot took 15 s
on a 2-core machine under light load (more when busy), so longer scenarios are marked slow.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(400)


def source_block(body: str, vm_name: str) -> str:
    return f"""
source "qemu" "t" {{
  accelerator      = "tcg"
  headless         = true
  memory           = 256
  vm_name          = "{vm_name}"
  output_directory = "out"
{body}
}}
"""


def disk_source(image: Path, vm_name: str, extra: str = "") -> str:
    return source_block(
        f"""
  iso_url              = "{image}/disk.qcow2"
  iso_checksum         = "none"
  disk_image           = true
  disk_size            = "256M"
  ssh_username         = "root"
  ssh_private_key_file = "{image}/id_ed25519"
  ssh_timeout          = "3m"
  boot_wait            = "1ms"
  shutdown_command     = "poweroff"
{extra}""",
        vm_name,
    )


def read_guest_file(disk: Path, path: str, work: Path) -> str:
    """Read a file from the ext4 partition (at 1 MiB) of a qcow2 disk with debugfs."""
    raw = work / "disk.raw"
    subprocess.run(["qemu-img", "convert", "-O", "raw", str(disk), str(raw)], check=True)
    try:
        result = subprocess.run(
            ["debugfs", "-R", f"cat {path}", f"{raw}?offset=1048576"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        raw.unlink()
    return result.stdout


def qemu_processes(vm_name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if vm_name.encode() in command and b"qemu-system" in command:
                found.append(int(entry.name))
    return found


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_disk_image_provisioned_end_to_end(test_image, run_kiln, tmp_path):
    vm_name = f"kiln-e2e-{uuid.uuid4().hex[:8]}"
    (tmp_path / "http").mkdir()
    (tmp_path / "http" / "hello.txt").write_text("served over http\n")
    (tmp_path / "cd").mkdir()
    (tmp_path / "cd" / "on-cd.txt").write_text("read from the cd\n")
    (tmp_path / "upload").mkdir()
    (tmp_path / "upload" / "note.txt").write_text("uploaded by the file provisioner\n")
    extra = f"""
  http_directory = "{tmp_path / "http"}"
  cd_files       = ["{tmp_path / "cd" / "on-cd.txt"}"]
  cd_label       = "kilncd"
"""
    template = (
        disk_source(test_image, vm_name, extra)
        + """
build {
  sources = ["source.qemu.t"]
  provisioner "file" {
    source      = "upload"
    destination = "/root"
  }
  provisioner "shell" {
    inline = [
      "wget -q -O /root/from-http http://$PACKER_HTTP_ADDR/hello.txt",
      "mkdir -p /mnt/cd && mount -t iso9660 -o ro /dev/sr0 /mnt/cd && cp /mnt/cd/on-cd.txt /root/from-cd",
      "umount /mnt/cd",
      "sync",
    ]
  }
}
"""
    )
    result = run_kiln(template)
    assert result.returncode == 0, result.stdout + result.stderr
    disk = tmp_path / "out" / vm_name
    assert disk.is_file()
    assert "VM files in directory: out" in result.stdout
    assert "Connected to SSH!" in result.stdout
    assert read_guest_file(disk, "/root/upload/note.txt", tmp_path) == "uploaded by the file provisioner\n"
    assert read_guest_file(disk, "/root/from-http", tmp_path) == "served over http\n"
    assert read_guest_file(disk, "/root/from-cd", tmp_path) == "read from the cd\n"
    assert qemu_processes(vm_name) == []


def test_boot_command_reaches_iso_guest(test_image, run_kiln, tmp_path):
    vm_name = f"kiln-keys-{uuid.uuid4().hex[:8]}"
    body = f"""
  iso_url          = "{test_image}/boot.iso"
  iso_checksum     = "none"
  disk_size        = "16M"
  communicator     = "none"
  boot_wait        = "5s"
  boot_command     = ["tiny kiln.marker=typed-by-qmp kiln.http={{{{ .HTTPIP }}}}:{{{{ .HTTPPort }}}}<enter>"]
  http_content     = {{ "/ks.cfg" = "unused" }}
  shutdown_timeout = "3m"
  qemuargs         = [["-serial", "file:{{{{ .OutputDir }}}}/serial.log"]]
"""
    template = source_block(body, vm_name) + 'build {\n  sources = ["source.qemu.t"]\n}\n'
    result = run_kiln(template)
    assert result.returncode == 0, result.stdout + result.stderr
    serial = (tmp_path / "out" / "serial.log").read_text(errors="replace")
    assert "kiln.marker=typed-by-qmp" in serial
    port = result.stdout.split("Starting HTTP server on port ", 1)[1].split()[0]
    assert f"kiln.http=10.0.2.2:{port}" in serial


def test_ssh_never_reachable_names_last_reason(test_image, run_kiln, tmp_path):
    vm_name = f"kiln-nossh-{uuid.uuid4().hex[:8]}"
    body = f"""
  iso_url      = "{test_image}/boot.iso"
  iso_checksum = "none"
  disk_size    = "16M"
  ssh_username = "root"
  ssh_password = "unused"
  ssh_timeout  = "6s"
"""
    template = source_block(body, vm_name) + 'build {\n  sources = ["source.qemu.t"]\n}\n'
    result = run_kiln(template)
    assert result.returncode == 1
    assert "Timeout waiting for SSH after 6s; last attempt: timed out." in result.stdout
    assert not (tmp_path / "out").exists()
    assert qemu_processes(vm_name) == []


def test_checksum_mismatch_rejected_before_boot(test_image, run_kiln, tmp_path):
    vm_name = f"kiln-sum-{uuid.uuid4().hex[:8]}"
    body = f"""
  iso_url      = "{test_image}/boot.iso"
  iso_checksum = "sha256:{"0" * 64}"
  disk_size    = "16M"
  communicator = "none"
"""
    template = source_block(body, vm_name) + 'build {\n  sources = ["source.qemu.t"]\n}\n'
    result = run_kiln(template)
    assert result.returncode == 1
    assert "Checksum did not match" in result.stdout
    assert "Starting VM" not in result.stdout
    assert not (tmp_path / "out").exists()


def interrupt_when(process: subprocess.Popen[str], marker: str, timeout: float = 300) -> str:
    """Read the build's output until `marker` appears, send SIGINT, return all output."""
    assert process.stdout is not None
    output = ""
    deadline = time.monotonic() + timeout
    while marker not in output and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output += line
    assert marker in output, output
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=120)
    return output + rest


def ssh_port_of(output: str) -> int:
    marker = "Found port for communicator (SSH, WinRM, etc): "
    return int(output.split(marker, 1)[1].split(".", 1)[0])


def assert_nothing_left(tmp_path: Path, vm_name: str, port: int) -> None:
    assert qemu_processes(vm_name) == []
    assert not listening(port)
    assert not (tmp_path / "out").exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".out")] == []


def start_build(kiln_argv: list[str], tmp_path: Path, template: str) -> subprocess.Popen[str]:
    (tmp_path / "build.pkr.hcl").write_text(template)
    return subprocess.Popen(
        [*kiln_argv, "build", "."],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def test_cancel_during_boot_leaves_nothing(test_image, kiln_argv, tmp_path):
    vm_name = f"kiln-cancel-{uuid.uuid4().hex[:8]}"
    body = f"""
  iso_url      = "{test_image}/boot.iso"
  iso_checksum = "none"
  disk_size    = "16M"
  ssh_username = "root"
  ssh_password = "unused"
  ssh_timeout  = "5m"
"""
    template = source_block(body, vm_name) + 'build {\n  sources = ["source.qemu.t"]\n}\n'
    output = interrupt_when(start_build(kiln_argv, tmp_path, template), "Waiting for SSH to become available")
    assert "Build 'qemu.t' errored" in output or "Cancelling build" in output
    assert_nothing_left(tmp_path, vm_name, ssh_port_of(output))


@pytest.mark.slow
def test_cancel_during_provisioning_leaves_nothing(test_image, kiln_argv, tmp_path):
    vm_name = f"kiln-cancelp-{uuid.uuid4().hex[:8]}"
    template = (
        disk_source(test_image, vm_name)
        + """
build {
  sources = ["source.qemu.t"]
  provisioner "shell" {
    inline = ["sleep 600"]
  }
}
"""
    )
    output = interrupt_when(start_build(kiln_argv, tmp_path, template), "Provisioning with shell script")
    assert_nothing_left(tmp_path, vm_name, ssh_port_of(output))


def test_existing_output_rejected_without_force(test_image, run_kiln, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("old output")
    body = f"""
  iso_url      = "{test_image}/boot.iso"
  iso_checksum = "none"
  communicator = "none"
"""
    template = source_block(body, "kiln-exists") + 'build {\n  sources = ["source.qemu.t"]\n}\n'
    result = run_kiln(template)
    assert result.returncode == 1
    assert "Output directory exists: out" in result.stdout
    assert (tmp_path / "out" / "keep.txt").read_text() == "old output"


def test_iso_downloaded_into_cache(test_image, run_kiln, tmp_path):
    import hashlib

    from kiln.builtin.builders.qemu.http import HTTPServer

    digest = hashlib.sha256((test_image / "boot.iso").read_bytes()).hexdigest()
    server = HTTPServer(str(test_image), {}, "127.0.0.1", 8000, 9000)
    body = f"""
  iso_url          = "http://127.0.0.1:{server.port}/boot.iso"
  iso_checksum     = "sha256:{digest}"
  disk_size        = "16M"
  communicator     = "none"
  shutdown_timeout = "1s"
"""
    template = (
        source_block(body, f"kiln-dl-{uuid.uuid4().hex[:8]}") + 'build {\n  sources = ["source.qemu.t"]\n}\n'
    )
    try:
        result = run_kiln(template)
    finally:
        server.close()
    cached = tmp_path / "cache" / (hashlib.sha1(f"sha256:{digest}".encode()).hexdigest() + ".iso")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"=> {cached}" in result.stdout
    assert cached.read_bytes() == (test_image / "boot.iso").read_bytes()
    assert (tmp_path / "out").is_dir()
