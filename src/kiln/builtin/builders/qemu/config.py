"""Options of the `qemu` builder and the checks `prepare` applies to them.

config = QemuConfig(iso_url="disk.qcow2", iso_checksum="none", disk_image=True, ...)
warnings, problems = check_config(config, build_name="base")
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiln.communicator.config import CommunicatorConfig, check_communicator_config
from kiln.sdk.config import ConfigProblem, Duration, option

ISO = "ISO and disk source"
DISK = "Disk"
MACHINE = "Machine"
BOOT = "Boot"
HTTP = "HTTP server"
CD = "CD"
SHUTDOWN = "Shutdown"

DISK_SIZE = re.compile(r"^\d+[bkmgtBKMGT]?$")
DISK_INTERFACES = ("ide", "sata", "scsi", "sd", "virtio", "virtio-scsi")
DISK_CACHES = ("writethrough", "writeback", "none", "unsafe", "directsync")
DISK_DISCARDS = ("unmap", "ignore")
DISK_DETECT_ZEROES = ("unmap", "on", "off")
DEFAULT_SHUTDOWN_TIMEOUT = 300.0
DEFAULT_BOOT_WAIT = 10.0


class Accelerator(StrEnum):
    NONE = "none"
    KVM = "kvm"
    TCG = "tcg"
    XEN = "xen"
    HAX = "hax"
    HVF = "hvf"
    WHPX = "whpx"


class DiskFormat(StrEnum):
    QCOW2 = "qcow2"
    RAW = "raw"


@dataclass
class QemuImgArgs:
    """Extra arguments for the qemu-img commands the builder runs."""

    convert: list[str] = option(default_factory=list, doc="Added to `qemu-img convert`.")
    create: list[str] = option(default_factory=list, doc="Added to `qemu-img create`.")
    resize: list[str] = option(default_factory=list, doc="Added to `qemu-img resize`.")


@dataclass
class QemuConfig:
    """Configuration of the `qemu` builder."""

    comm: CommunicatorConfig = option(
        default_factory=CommunicatorConfig, squash=True, doc="How to reach the machine."
    )

    iso_url: str = option(
        default="", doc="ISO or, with `disk_image`, disk image to boot: a path or URL.", docs_section=ISO
    )
    iso_urls: list[str] = option(
        default_factory=list, doc="URLs tried in order; exclusive with `iso_url`.", docs_section=ISO
    )
    iso_checksum: str = option(
        default="",
        doc="`sha256:HEX` (also md5, sha1, sha512, or bare hex), `file:PATH_OR_URL` of a checksum file, or `none`.",
        docs_section=ISO,
    )
    iso_target_path: str = option(
        default="", doc="Where to store the download instead of the cache.", docs_section=ISO
    )
    iso_target_extension: str = option(
        default="iso", doc="Extension of the cached download.", docs_section=ISO
    )
    iso_skip_cache: bool = option(
        default=False, doc="Do not verify or cache; implies `iso_checksum = none`.", docs_section=ISO
    )
    disk_image: bool = option(
        default=False, doc="`iso_url` is a disk image to boot instead of an ISO.", docs_section=ISO
    )
    use_backing_file: bool = option(
        default=False,
        doc="With `disk_image` and qcow2: use the image as a backing file instead of copying it.",
        docs_section=ISO,
    )

    format: str = option(default="qcow2", doc="Output disk format: `qcow2` or `raw`.", docs_section=DISK)
    disk_size: str = option(
        default="40960M", doc="Disk size, in MiB or with a b/k/m/g/t suffix.", docs_section=DISK
    )
    disk_additional_size: list[str] = option(
        default_factory=list,
        doc="Sizes of further disks, named `VM_NAME-1`, `VM_NAME-2`...",
        docs_section=DISK,
    )
    skip_resize_disk: bool = option(
        default=False, doc="Do not resize a `disk_image` to `disk_size`.", docs_section=DISK
    )
    disk_interface: str = option(
        default="virtio", doc="ide, sata, scsi, sd, virtio or virtio-scsi.", docs_section=DISK
    )
    disk_cache: str = option(default="writeback", doc="QEMU drive cache mode.", docs_section=DISK)
    disk_discard: str = option(default="ignore", doc="`unmap` or `ignore`.", docs_section=DISK)
    disk_detect_zeroes: str = option(default="off", doc="`unmap`, `on` or `off`.", docs_section=DISK)
    skip_compaction: bool = option(
        default=False, doc="Do not rewrite the qcow2 disk at the end.", docs_section=DISK
    )
    disk_compression: bool = option(
        default=False, doc="Compress the qcow2 disk when compacting it.", docs_section=DISK
    )
    qemu_img_args: QemuImgArgs = option(
        default_factory=QemuImgArgs, doc="Extra qemu-img arguments.", docs_section=DISK
    )

    accelerator: str = option(
        default="",
        doc="kvm, tcg, xen, hax, hvf, whpx or none. Default: kvm when it runs a guest here, else tcg.",
        docs_section=MACHINE,
    )
    machine_type: str = option(default="pc", doc="QEMU machine type.", docs_section=MACHINE)
    qemu_binary: str = option(default="qemu-system-x86_64", doc="QEMU program to run.", docs_section=MACHINE)
    cpu_model: str = option(default="", doc="QEMU `-cpu` model.", docs_section=MACHINE)
    memory: int = option(default=512, doc="Memory in MiB; values under 10 mean 512.", docs_section=MACHINE)
    cpus: int = option(default=1, doc="Virtual CPUs.", docs_section=MACHINE)
    sockets: int = option(default=0, doc="CPU sockets for `-smp`.", docs_section=MACHINE)
    cores: int = option(default=0, doc="Cores per socket for `-smp`.", docs_section=MACHINE)
    threads: int = option(default=0, doc="Threads per core for `-smp`.", docs_section=MACHINE)
    net_device: str = option(default="virtio-net", doc="Network device model.", docs_section=MACHINE)
    net_bridge: str = option(
        default="", doc="Bridge to attach to instead of user networking.", docs_section=MACHINE
    )
    host_port_min: int = option(
        default=2222, doc="Lowest host port for the SSH forward.", docs_section=MACHINE
    )
    host_port_max: int = option(
        default=4444, doc="Highest host port for the SSH forward.", docs_section=MACHINE
    )
    ssh_host_port_min: int = option(default=0, deprecated="host_port_min", doc="Old name of host_port_min.")
    ssh_host_port_max: int = option(default=0, deprecated="host_port_max", doc="Old name of host_port_max.")
    skip_nat_mapping: bool = option(
        default=False, doc="Do not forward a host port to the guest.", docs_section=MACHINE
    )
    headless: bool = option(default=False, doc="Run without a display window.", docs_section=MACHINE)
    display: str = option(default="", doc="QEMU `-display` backend.", docs_section=MACHINE)
    use_default_display: bool = option(default=False, doc="Pass no `-display` at all.", docs_section=MACHINE)
    vga: str = option(default="", doc="QEMU `-vga` card.", docs_section=MACHINE)
    vnc_bind_address: str = option(
        default="127.0.0.1", doc="Accepted for compatibility; keys go through QMP."
    )
    vnc_port_min: int = option(default=5900, doc="Accepted for compatibility; kiln starts no VNC server.")
    vnc_port_max: int = option(default=6000, doc="Accepted for compatibility; kiln starts no VNC server.")
    vnc_use_password: bool = option(
        default=False, doc="Accepted for compatibility; kiln starts no VNC server."
    )
    vnc_password: str = option(default="", sensitive=True, doc="Accepted for compatibility.")
    qemuargs: list[list[str]] = option(
        default_factory=list,
        doc="Extra QEMU arguments; a flag given here replaces kiln's default for it.",
        docs_section=MACHINE,
    )
    firmware: str = option(
        default="", doc="BIOS file passed as `-bios` (or pflash with `use_pflash`).", docs_section=MACHINE
    )
    use_pflash: bool = option(default=False, doc="Load `firmware` as a pflash drive.", docs_section=MACHINE)
    efi_boot: bool = option(
        default=False, doc="Boot with UEFI firmware through pflash.", docs_section=MACHINE
    )
    efi_firmware_code: str = option(
        default="/usr/share/OVMF/OVMF_CODE.fd", doc="UEFI code file.", docs_section=MACHINE
    )
    efi_firmware_vars: str = option(
        default="/usr/share/OVMF/OVMF_VARS.fd", doc="UEFI variables template.", docs_section=MACHINE
    )
    efi_drop_efivars: bool = option(
        default=False, doc="Do not copy the EFI variables file to the output.", docs_section=MACHINE
    )
    cdrom_interface: str = option(
        default="", doc="Interface of CD drives: ide, scsi, virtio...", docs_section=MACHINE
    )
    qmp_enable: bool = option(
        default=False, doc="Keep the QMP socket; kiln always uses QMP itself.", docs_section=MACHINE
    )
    qmp_socket_path: str = option(
        default="", doc="QMP socket path; default `OUTPUT/VM_NAME.monitor`.", docs_section=MACHINE
    )

    output_directory: str = option(
        default="", doc="Output folder; default `output-BUILDNAME`.", docs_section=DISK
    )
    vm_name: str = option(default="", doc="Disk file name; default `packer-BUILDNAME`.", docs_section=DISK)

    boot_command: list[str] = option(
        default_factory=list, doc="Keys to type after `boot_wait`.", docs_section=BOOT
    )
    boot_steps: list[list[str]] = option(
        default_factory=list, doc="Like boot_command, as [keys, description] pairs.", docs_section=BOOT
    )
    boot_wait: Duration | None = option(doc="Wait this long before typing; default `10s`.", docs_section=BOOT)
    boot_key_interval: Duration | None = option(
        doc="Pause between keys; default PACKER_KEY_INTERVAL or `100ms`.", docs_section=BOOT
    )
    boot_keygroup_interval: Duration | None = option(doc="Accepted for compatibility.", docs_section=BOOT)
    disable_vnc: bool = option(
        default=False, doc="Accepted for compatibility; kiln starts no VNC server.", docs_section=BOOT
    )

    http_directory: str = option(
        default="", doc="Folder served to the guest at `{{ .HTTPIP }}:{{ .HTTPPort }}`.", docs_section=HTTP
    )
    http_content: dict[str, str] = option(
        default_factory=dict, doc="Paths and contents to serve.", docs_section=HTTP
    )
    http_port_min: int = option(default=8000, doc="Lowest port of the HTTP server.", docs_section=HTTP)
    http_port_max: int = option(default=9000, doc="Highest port of the HTTP server.", docs_section=HTTP)
    http_bind_address: str = option(
        default="127.0.0.1", doc="Address the HTTP server binds.", docs_section=HTTP
    )

    cd_files: list[str] = option(
        default_factory=list, doc="Files and folders put on an extra CD.", docs_section=CD
    )
    cd_content: dict[str, str] = option(
        default_factory=dict, doc="Paths and contents put on the extra CD.", docs_section=CD
    )
    cd_label: str = option(default="", doc="Volume label of the extra CD.", docs_section=CD)

    floppy_files: list[str] = option(
        default_factory=list, doc="Not supported yet; use `cd_files`.", docs_section=CD
    )
    floppy_dirs: list[str] = option(
        default_factory=list, doc="Not supported yet; use `cd_files`.", docs_section=CD
    )
    floppy_content: dict[str, str] = option(
        default_factory=dict, doc="Not supported yet; use `cd_content`.", docs_section=CD
    )
    floppy_label: str = option(default="", doc="Not supported yet; use `cd_label`.", docs_section=CD)
    vtpm: bool = option(default=False, doc="Not supported yet: attach a software TPM.", docs_section=MACHINE)
    use_tpm1: bool = option(
        default=False, doc="Not supported yet: emulate TPM 1.2 instead of 2.0.", docs_section=MACHINE
    )
    tpm_device_type: str = option(
        default="", doc="Not supported yet: the TPM device model.", docs_section=MACHINE
    )

    shutdown_command: str = option(
        default="", doc="Command that powers the machine off.", docs_section=SHUTDOWN
    )
    shutdown_timeout: Duration | None = option(
        doc="Wait this long for the machine to stop; default `5m`.", docs_section=SHUTDOWN
    )

    packer_build_name: str = option(
        default="", doc="Set by kiln: the build's source name.", docs_section="Set by kiln"
    )
    packer_force: bool = option(
        default=False, doc="Set by kiln: `-force` was given.", docs_section="Set by kiln"
    )

    def boot_wait_seconds(self) -> float:
        # Packer waits its default when boot_wait is unset or zero, so 0s does not skip the wait.
        return float(self.boot_wait) if self.boot_wait else DEFAULT_BOOT_WAIT

    def shutdown_timeout_seconds(self) -> float:
        return float(self.shutdown_timeout) if self.shutdown_timeout else DEFAULT_SHUTDOWN_TIMEOUT

    def memory_mib(self) -> int:
        return self.memory if self.memory >= 10 else 512


def check_config(config: QemuConfig, build_name: str) -> tuple[list[str], list[ConfigProblem]]:
    """Fill defaults that depend on the build and return (warnings, problems)."""
    warnings: list[str] = []
    problems = list(check_communicator_config(config.comm))

    if not config.output_directory:
        config.output_directory = f"output-{build_name}"
    if not config.vm_name:
        config.vm_name = f"packer-{build_name}"
    if config.ssh_host_port_min:
        config.host_port_min = config.ssh_host_port_min
    if config.ssh_host_port_max:
        config.host_port_max = config.ssh_host_port_max
    if config.iso_skip_cache:
        config.iso_checksum = "none"

    problems += _check_source(config, warnings)
    problems += _check_disk(config)
    problems += _check_machine(config)
    problems += _check_boot_and_http(config)
    return warnings, problems


def _check_source(config: QemuConfig, warnings: list[str]) -> list[ConfigProblem]:
    problems = []
    if config.iso_url and config.iso_urls:
        problems.append(ConfigProblem(("iso_urls",), "Only one of iso_url or iso_urls may be specified."))
    if not config.iso_url and not config.iso_urls:
        problems.append(ConfigProblem(("iso_url",), "One of iso_url or iso_urls must be specified."))
    if not config.iso_checksum:
        problems.append(ConfigProblem(("iso_checksum",), "An iso_checksum must be specified (or `none`)."))
    elif config.iso_checksum.lower() == "none":
        warnings.append(
            "A checksum of 'none' was specified. Since ISO files are so big,\na checksum is highly recommended."
        )
    elif config.iso_checksum.lower().endswith(".iso"):
        problems.append(
            ConfigProblem(("iso_checksum",), "Error parsing checksum: iso_checksum must not be an ISO file.")
        )
    elif not config.iso_checksum.startswith("file:"):
        from kiln.builtin.builders.qemu.source import SourceError, parse_checksum

        try:
            parse_checksum(config.iso_checksum, config.iso_url, Path.cwd())
        except SourceError as error:
            problems.append(ConfigProblem(("iso_checksum",), str(error)))
    if config.use_backing_file and not (config.disk_image and config.format == DiskFormat.QCOW2):
        problems.append(
            ConfigProblem(
                ("use_backing_file",),
                "use_backing_file can only be enabled for QCOW2 images and when disk_image is true.",
            )
        )
    return problems


def _check_disk(config: QemuConfig) -> list[ConfigProblem]:
    problems = []
    if config.format not in tuple(DiskFormat):
        problems.append(
            ConfigProblem(("format",), f'Invalid format "{config.format}": only qcow2 and raw are supported.')
        )
    for path, value in [(("disk_size",), config.disk_size)] + [
        (("disk_additional_size", index), size) for index, size in enumerate(config.disk_additional_size)
    ]:
        if not DISK_SIZE.match(value):
            problems.append(
                ConfigProblem(
                    path,
                    f'Invalid disk size "{value}": expected a number with an optional b, k, m, g or t suffix.',
                )
            )
    for name, allowed in (
        ("disk_interface", DISK_INTERFACES),
        ("disk_cache", DISK_CACHES),
        ("disk_discard", DISK_DISCARDS),
        ("disk_detect_zeroes", DISK_DETECT_ZEROES),
    ):
        value = getattr(config, name)
        if value not in allowed:
            problems.append(
                ConfigProblem(
                    (name,), f'Unrecognized {name} "{value}": expected one of {", ".join(allowed)}.'
                )
            )
    if config.format == DiskFormat.RAW or config.use_backing_file:
        config.skip_compaction = True
    return problems


def _check_machine(config: QemuConfig) -> list[ConfigProblem]:
    problems = []
    if config.accelerator and config.accelerator not in tuple(Accelerator):
        problems.append(
            ConfigProblem(
                ("accelerator",),
                f'Invalid accelerator "{config.accelerator}": expected one of {", ".join(Accelerator)}.',
            )
        )
    if config.host_port_min > config.host_port_max:
        problems.append(
            ConfigProblem(("host_port_min",), "host_port_min must be less than or equal to host_port_max.")
        )
    if config.host_port_min < 0:
        problems.append(ConfigProblem(("host_port_min",), "host_port_min must be positive."))
    for index, argument in enumerate(config.qemuargs):
        if not argument:
            problems.append(ConfigProblem(("qemuargs", index), "Each qemuargs entry needs at least a flag."))
    if config.efi_boot and config.firmware:
        problems.append(ConfigProblem(("efi_boot",), "efi_boot and firmware cannot be used together."))
    if config.cpus < 1:
        problems.append(ConfigProblem(("cpus",), "cpus must be at least 1."))
    return problems


def _check_boot_and_http(config: QemuConfig) -> list[ConfigProblem]:
    from kiln.builtin.builders.qemu.bootcommand import BootCommandError, parse_boot_command

    problems = []
    if config.boot_command and config.boot_steps:
        problems.append(
            ConfigProblem(("boot_steps",), "boot_command and boot_steps cannot be used together.")
        )
    try:
        parse_boot_command("".join(config.boot_command))
    except BootCommandError as error:
        problems.append(ConfigProblem(("boot_command",), f"Error parsing boot_command: {error}"))
    if config.http_directory and config.http_content:
        problems.append(
            ConfigProblem(("http_content",), "Only one of http_directory or http_content may be specified.")
        )
    if config.http_directory and not Path(config.http_directory).is_dir():
        problems.append(
            ConfigProblem(("http_directory",), f"http_directory {config.http_directory!r} is not a folder.")
        )
    if config.http_port_min > config.http_port_max:
        problems.append(
            ConfigProblem(("http_port_min",), "http_port_min must be less than or equal to http_port_max.")
        )
    for index, path in enumerate(config.cd_files):
        if not any(char in path for char in "*?[") and not os.path.exists(path):
            problems.append(ConfigProblem(("cd_files", index), f"cd_files: {path!r} not found."))
    # TODO: support floppies once kiln can write FAT images, and vtpm once it runs swtpm.
    for name in ("floppy_files", "floppy_dirs", "floppy_content", "vtpm"):
        if getattr(config, name):
            problems.append(
                ConfigProblem((name,), f"{name} is not supported by kiln yet; use cd_files or cd_content.")
            )
    if config.shutdown_timeout is not None and config.shutdown_timeout < 0:
        problems.append(ConfigProblem(("shutdown_timeout",), "shutdown_timeout must not be negative."))
    return problems
