"""Starting and stopping QEMU: the command line, the accelerator check and QMP.

The command line follows Packer's defaults; `qemuargs` replace the default values of each
flag they name and add the rest. Keys are typed through QMP, so kiln starts no VNC server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiln.builtin.builders.qemu.config import QemuConfig

log = logging.getLogger(__name__)

# The host's address on QEMU's user-mode network, as the guest reaches it.
GUEST_HOST_ADDRESS = "10.0.2.2"
# How long a KVM probe guest must run without a KVM error before KVM counts as usable.
KVM_PROBE_SECONDS = 2.0
_kvm_verdicts: dict[tuple[str, str], str | None] = {}


def merge_qemuargs(defaults: list[list[str]], user: list[list[str]], net_device: str = "") -> list[str]:
    """Merge default flag/value pairs with qemuargs into one argv tail, with Packer's rules.

    A qemuargs entry is a flag and parts joined into one value (no parts: the flag alone).
    Every flag qemuargs names drops all default entries of that flag. When the `-device`
    entries then lack `net_device`, the default network device is appended to them.
    """
    user_values: dict[str, list[str]] = {}
    for entry in user:
        values = user_values.setdefault(entry[0], [])
        if "".join(entry[1:]):
            values.append("".join(entry[1:]))

    merged: dict[str, list[str]] = {}
    for entry in defaults:
        if entry[0] not in user_values:
            merged.setdefault(entry[0], []).append(entry[1])
    merged.update(user_values)
    devices = merged.get("-device")
    if net_device and devices is not None and net_device not in "".join(devices):
        devices.append(f"{net_device},netdev=user.0")

    argv: list[str] = []
    for flag, values in merged.items():
        if not values:
            argv.append(flag)
        for value in values:
            argv.extend([flag, value])
    return argv


def default_arguments(
    config: QemuConfig, paths: Mapping[str, Any], accelerator: str, ssh_port: int | None
) -> list[list[str]]:
    """Return kiln's default QEMU flags for `config` as [flag, value] entries."""
    entries: list[list[str]] = [["-name", config.vm_name]]
    machine = f"type={config.machine_type},accel={accelerator}"
    entries.append(["-machine", machine])
    if config.cpu_model:
        entries.append(["-cpu", config.cpu_model])

    if config.net_bridge:
        entries.append(["-netdev", f"bridge,id=user.0,br={config.net_bridge}"])
    elif ssh_port is not None:
        entries.append(
            ["-netdev", f"user,id=user.0,hostfwd=tcp:127.0.0.1:{ssh_port}-:{config.comm.ssh_port}"]
        )
    else:
        entries.append(["-netdev", "user,id=user.0"])
    entries.append(["-device", f"{config.net_device},netdev=user.0"])

    for index, disk in enumerate(paths["disks"]):
        entries.extend(_drive(config, disk, index))
    for cdrom in paths["cdroms"]:
        interface = f",if={config.cdrom_interface}" if config.cdrom_interface else ""
        entries.append(["-drive", f"file={cdrom},media=cdrom{interface}"])
    entries.append(["-boot", "once=d" if paths["boot_cdrom"] else "c"])

    entries.append(["-m", f"{config.memory_mib()}M"])
    entries.append(["-smp", _smp(config)])
    entries.extend(_display(config))
    entries.extend(_firmware(config, paths))
    entries.append(["-qmp", f"unix:{paths['qmp_socket']},server=on,wait=off"])
    return entries


def _drive(config: QemuConfig, disk: Path, index: int) -> list[list[str]]:
    options = f"cache={config.disk_cache},discard={config.disk_discard},format={config.format}"
    if config.disk_detect_zeroes != "off":
        options += f",detect-zeroes={config.disk_detect_zeroes}"
    if config.disk_interface == "virtio-scsi":
        entries = [
            ["-drive", f"if=none,file={disk},id=drive{index},{options}"],
            ["-device", f"scsi-hd,bus=scsi0.0,drive=drive{index}"],
        ]
        if index == 0:
            entries.insert(0, ["-device", "virtio-scsi-pci,id=scsi0"])
        return entries
    return [["-drive", f"file={disk},if={config.disk_interface},{options}"]]


def _smp(config: QemuConfig) -> str:
    parts = [str(config.cpus)]
    for name in ("sockets", "cores", "threads"):
        value = getattr(config, name)
        if value:
            parts.append(f"{name}={value}")
    return ",".join(parts)


def _display(config: QemuConfig) -> list[list[str]]:
    entries = []
    if config.vga:
        entries.append(["-vga", config.vga])
    if config.headless:
        entries.append(["-display", "none"])
    elif config.display and config.display != "none":
        entries.append(["-display", config.display])
    elif not config.use_default_display:
        entries.append(["-display", "gtk"])
    return entries


def _firmware(config: QemuConfig, paths: Mapping[str, Any]) -> list[list[str]]:
    if config.efi_boot:
        return [
            ["-drive", f"file={config.efi_firmware_code},if=pflash,unit=0,format=raw,readonly=on"],
            ["-drive", f"file={paths['efi_vars']},if=pflash,unit=1,format=raw"],
        ]
    if config.firmware and config.use_pflash:
        return [["-drive", f"file={config.firmware},if=pflash,format=raw,readonly=on"]]
    if config.firmware:
        return [["-bios", config.firmware]]
    return []


async def kvm_usable(qemu_binary: str, machine_type: str) -> str | None:
    """Return None when QEMU runs a guest with KVM here, else the reason it cannot.

    /dev/kvm can exist and open while QEMU still fails: the guest aborts at once or stops in
    `internal-error` with no output. So a guest without disks (its firmware runs) is started
    with KVM and watched for KVM_PROBE_SECONDS. The verdict is kept for the process.
    """
    key = (qemu_binary, machine_type)
    if key in _kvm_verdicts:
        return _kvm_verdicts[key]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        verdict: str | None = "/dev/kvm is not available"
    else:
        verdict = await _probe_kvm(qemu_binary, machine_type)
    _kvm_verdicts[key] = verdict
    return verdict


async def _probe_kvm(qemu_binary: str, machine_type: str) -> str | None:
    # SeaBIOS logs to the debug console port 0x402. With a working KVM it reaches "No bootable
    # device" well within a second; where KVM is broken it stalls early or QEMU aborts.
    with tempfile.TemporaryDirectory(prefix="kiln-kvm-") as folder:
        log_path = os.path.join(folder, "firmware.log")
        process = await asyncio.create_subprocess_exec(
            qemu_binary, "-machine", f"type={machine_type},accel=kvm", "-nodefaults", "-display", "none",
            "-m", "64M", "-debugcon", f"file:{log_path}", "-global", "isa-debugcon.iobase=0x402",
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            deadline = asyncio.get_running_loop().time() + KVM_PROBE_SECONDS
            while asyncio.get_running_loop().time() < deadline:
                if process.returncode is not None:
                    errors = (await process.stderr.read()).decode(errors="replace").strip()  # type: ignore[union-attr]
                    last = errors.splitlines()[-1] if errors else "no output"
                    return f"QEMU exited with status {process.returncode}: {last}"
                if _firmware_finished(log_path):
                    return None
                await asyncio.sleep(0.1)
            return f"the firmware did not finish within {KVM_PROBE_SECONDS:g}s"
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


def _firmware_finished(log_path: str) -> bool:
    try:
        with open(log_path, "rb") as handle:
            text = handle.read()
    except OSError:
        return False
    return b"No bootable device" in text or b"Booting from" in text


def _die_with_parent() -> None:
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


class QemuProcess:
    """A running QEMU with its QMP connection; `stop` ends it however it is doing."""

    def __init__(self, process: asyncio.subprocess.Process, stderr_file: Path, qmp: Any) -> None:
        self.process = process
        self.stderr_file = stderr_file
        self.qmp = qmp

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    def errors(self) -> str:
        return self.stderr_file.read_text(errors="replace").strip() if self.stderr_file.exists() else ""

    async def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for QEMU to exit; return whether it did."""
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        """Quit through QMP, then terminate, then kill; always leaves QEMU ended."""
        if self.running and self.qmp is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.qmp.execute("quit"), 2)
            await self.wait(3)
        if self.running:
            self.process.terminate()
            if not await self.wait(5):
                self.process.kill()
                await self.process.wait()
        if self.qmp is not None:
            with contextlib.suppress(Exception):
                await self.qmp.disconnect()
            self.qmp = None


async def start_qemu(argv: list[str], qmp_socket: Path, stderr_file: Path) -> QemuProcess:
    """Start QEMU and connect to its QMP socket; raise RuntimeError if QEMU exits first."""
    from qemu.qmp import QMPClient

    log.debug("starting %s", " ".join(argv))
    # QEMU gets its own session, so a terminal's Ctrl-C reaches only kiln, which stops QEMU in
    # its cleanup. The parent-death signal ends QEMU even when kiln itself is killed.
    with stderr_file.open("wb") as errors:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=errors,
            stderr=errors,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    qemu = QemuProcess(process, stderr_file, None)
    try:
        client = QMPClient("kiln")
        for _ in range(200):
            if not qemu.running:
                raise RuntimeError(
                    f"QEMU exited with status {process.returncode}: {qemu.errors() or 'no output'}"
                )
            if qmp_socket.exists():
                with contextlib.suppress(OSError, Exception):
                    await client.connect(str(qmp_socket))
                    qemu.qmp = client
                    return qemu
            await asyncio.sleep(0.05)
        raise RuntimeError(f"QEMU did not open its QMP socket {qmp_socket}")
    except BaseException:
        await qemu.stop()
        raise


def reserve_port(port_min: int, port_max: int, host: str = "127.0.0.1") -> int:
    """Return a port in [port_min, port_max] that is free on `host` right now."""
    ports = list(range(port_min, port_max + 1))
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise OSError(f"No free port between {port_min} and {port_max} on {host}")
