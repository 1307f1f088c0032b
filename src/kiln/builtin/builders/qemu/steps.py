"""The steps of a QEMU build, in the order `QemuBuilder.run` lists them."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiln.builtin.builders.qemu import disk, source
from kiln.builtin.builders.qemu.bootcommand import parse_boot_command, type_actions
from kiln.builtin.builders.qemu.config import Accelerator, QemuConfig
from kiln.builtin.builders.qemu.run import (
    GUEST_HOST_ADDRESS,
    QemuProcess,
    default_arguments,
    kvm_usable,
    merge_qemuargs,
    reserve_port,
    start_qemu,
)
from kiln.communicator.config import CommunicatorType
from kiln.sdk.communicator import CommunicatorError, RemoteCommand
from kiln.sdk.component import BuildContext
from kiln.sdk.config import format_duration
from kiln.sdk.interpolate.packer import Context, render
from kiln.sdk.step import Step, StepAction
from kiln.sdk.steps import MachineState

if TYPE_CHECKING:
    from kiln.builtin.builders.qemu.http import HTTPServer

log = logging.getLogger(__name__)


class BuildFailed(Exception):
    """A step failed for a reason the message states fully; shown without a traceback."""


@dataclass
class QemuState(MachineState):
    staging_dir: Path | None = None  # becomes output_directory when the build succeeds
    work_dir: Path | None = None  # QMP socket and logs, outside the output
    source_path: Path | None = None
    disks: list[Path] = field(default_factory=list)
    cdroms: list[Path] = field(default_factory=list)
    http: HTTPServer | None = None
    ssh_port: int | None = None
    qemu: QemuProcess | None = None
    output_dir: Path | None = None


class QemuStep(Step[QemuState]):
    def __init__(self, context: BuildContext, config: QemuConfig) -> None:
        self.context = context
        self.config = config

    @property
    def ui(self):
        return self.context.ui


class StepPrepareOutputDir(QemuStep):
    """Check the output directory and make a staging folder beside it.

    Everything is written to the staging folder, renamed to `output_directory` only when the
    build succeeded, so a failed or cancelled build never leaves a half-made output behind.
    """

    writes = ("staging_dir", "work_dir")

    async def run(self, state: QemuState) -> StepAction:
        output = Path(self.config.output_directory)
        if output.exists() and not (self.context.info.force or self.config.packer_force):
            raise BuildFailed(
                f"Output directory exists: {output}\n\nUse the force flag to delete it prior to building."
            )

        output.absolute().parent.mkdir(parents=True, exist_ok=True)
        state.staging_dir = Path(
            tempfile.mkdtemp(prefix=f".{output.name}.partial-", dir=output.absolute().parent)
        )
        state.work_dir = Path(tempfile.mkdtemp(prefix="kiln-qemu-"))
        return StepAction.CONTINUE

    async def cleanup(self, state: QemuState) -> None:
        if state.staging_dir is not None and state.staging_dir.exists():
            shutil.rmtree(state.staging_dir, ignore_errors=True)
        if state.work_dir is not None:
            shutil.rmtree(state.work_dir, ignore_errors=True)


class StepResolveSource(QemuStep):
    """Find or download the ISO or disk image and verify its checksum before anything boots."""

    writes = ("source_path",)

    async def run(self, state: QemuState) -> StepAction:
        urls = self.config.iso_urls or [self.config.iso_url]
        base = Path.cwd()
        self.ui.say("Retrieving ISO" if not self.config.disk_image else "Retrieving disk image")
        errors = []
        for url in urls:
            self.ui.say(f"Trying {url}")
            try:
                state.source_path = await asyncio.to_thread(self._resolve, url, urls, base)
                return StepAction.CONTINUE
            except (source.SourceError, OSError) as error:
                errors.append(f"{url}: {error}")
        raise BuildFailed("Error downloading ISO: " + "; ".join(errors))

    def _resolve(self, url: str, urls: list[str], base: Path) -> Path:
        checksum = source.parse_checksum(self.config.iso_checksum, url, base)
        if not source.is_remote(url):
            path = source.local_path(url, base)
            if not path.is_file():
                raise source.SourceError(f"file {path} not found")
            source.verify(path, checksum)
            return path
        key = (
            str(checksum)
            if checksum is not None and not self.config.iso_checksum.startswith("file:")
            else self.config.iso_checksum
        )
        target = source.cache_target(key, urls, self.config.iso_target_extension)
        if self.config.iso_target_path:
            # As in Packer: a path without an extension names a folder for the cache file name.
            configured = Path(self.config.iso_target_path)
            target = configured if configured.suffix else configured / target.name
        return source.fetch(url, target, checksum, self.ui)


class StepMakeCD(QemuStep):
    """Build the `cd_files`/`cd_content` CD, when there is one."""

    writes = ("cdroms",)

    async def run(self, state: QemuState) -> StepAction:
        if not self.config.cd_files and not self.config.cd_content:
            return StepAction.CONTINUE

        from kiln.builtin.builders.qemu.cdrom import make_cd

        assert state.work_dir is not None
        target = state.work_dir / "cd.iso"
        self.ui.say("Creating CD disk...")
        await asyncio.to_thread(
            make_cd, self.config.cd_files, self.config.cd_content, self.config.cd_label, target
        )
        state.cdroms.append(target)
        return StepAction.CONTINUE


class StepMakeDisks(QemuStep):
    """Create the main disk (empty, copied from the image, or backed by it) and any extra disks."""

    reads = ("staging_dir", "source_path")
    writes = ("disks",)

    async def run(self, state: QemuState) -> StepAction:
        assert state.staging_dir is not None and state.source_path is not None
        config = self.config
        main = state.staging_dir / config.vm_name
        extra = config.qemu_img_args

        if not config.disk_image:
            self.ui.say("Creating required virtual machine disks")
            await disk.create(main, config.format, config.disk_size, extra.create)
            state.cdroms.insert(0, state.source_path)
        elif config.use_backing_file:
            self.ui.say("Creating disk with a backing file")
            source_format = await disk.detect_format(state.source_path)
            await disk.create_backed(state.source_path, main, source_format, extra.create)
        elif self._plain_copy_fits(state.source_path):
            # As Packer does: an image whose extension names the output format is copied as is.
            self.ui.message(
                "File extension already matches desired output format. Skipping qemu-img convert step"
            )
            await asyncio.to_thread(disk.copy_file, state.source_path, main)
        else:
            self.ui.say("Copying hard drive...")
            await disk.copy(state.source_path, main, config.format, extra.convert)
        state.disks.append(main)

        if config.disk_image and not config.skip_resize_disk:
            self.ui.say(f"Resizing hard drive to {config.disk_size}")
            await disk.resize(main, config.format, config.disk_size, extra.resize)
        for index, size in enumerate(config.disk_additional_size, start=1):
            path = state.staging_dir / f"{config.vm_name}-{index}"
            await disk.create(path, config.format, size, extra.create)
            state.disks.append(path)
        return StepAction.CONTINUE

    def _plain_copy_fits(self, source_path: Path) -> bool:
        # Unlike Packer, kiln still converts a qcow2 image with a backing file or a data file,
        # because a copy would name that file by a path that may not resolve from the output.
        return (
            source_path.suffix[1:] == self.config.format
            and not self.config.qemu_img_args.convert
            and not disk.refers_to_other_files(source_path)
        )


class StepHTTPServer(QemuStep):
    """Serve `http_directory` or `http_content` to the guest."""

    writes = ("http",)

    async def run(self, state: QemuState) -> StepAction:
        config = self.config
        if not config.http_directory and not config.http_content:
            return StepAction.CONTINUE

        # Imported here: http.server loads http.client and email, which most builds never need.
        from kiln.builtin.builders.qemu.http import HTTPServer

        state.http = HTTPServer(
            config.http_directory,
            config.http_content,
            config.http_bind_address,
            config.http_port_min,
            config.http_port_max,
        )
        self.ui.say(f"Starting HTTP server on port {state.http.port}")
        self.context.generated.http_ip = GUEST_HOST_ADDRESS
        self.context.generated.http_port = state.http.port
        return StepAction.CONTINUE

    async def cleanup(self, state: QemuState) -> None:
        if state.http is not None:
            await asyncio.to_thread(state.http.close)
            state.http = None


class StepRunQemu(QemuStep):
    """Pick the accelerator and the SSH port, render qemuargs and start QEMU with QMP."""

    reads = ("work_dir", "disks")
    writes = ("qemu", "ssh_port")

    async def run(self, state: QemuState) -> StepAction:
        assert state.work_dir is not None and state.staging_dir is not None
        accelerator = await self._accelerator()
        want_forward = (
            self.config.comm.communicator != CommunicatorType.NONE and not self.config.skip_nat_mapping
        )

        last_error: Exception | None = None
        for _attempt in range(3):
            # A port found free can be taken before QEMU binds it; another port is tried then.
            if want_forward:
                state.ssh_port = reserve_port(self.config.host_port_min, self.config.host_port_max)
                self.ui.say(f"Found port for communicator (SSH, WinRM, etc): {state.ssh_port}.")
            argv = self._argv(state, accelerator)
            self.ui.say(
                "Starting VM, booting " + ("from CD-ROM" if not self.config.disk_image else "disk image")
            )
            try:
                state.qemu = await start_qemu(argv, state.work_dir / "qmp", state.work_dir / "qemu.log")
                return StepAction.CONTINUE
            except RuntimeError as error:
                last_error = error
                if "hostfwd" not in str(error) and "forwarding" not in str(error):
                    break
        raise BuildFailed(f"Error launching VM: {last_error}")

    async def _accelerator(self) -> str:
        if self.config.accelerator:
            return self.config.accelerator
        reason = await kvm_usable(self.config.qemu_binary, self.config.machine_type)
        if reason is None:
            return Accelerator.KVM
        if reason != "/dev/kvm is not available":
            self.ui.say(f"Warning: KVM cannot run guests here ({reason}); using TCG, which is much slower.")
        return Accelerator.TCG

    def _argv(self, state: QemuState, accelerator: str) -> list[str]:
        assert state.work_dir is not None and state.staging_dir is not None
        paths = {
            "disks": state.disks,
            "cdroms": state.cdroms,
            "boot_cdrom": not self.config.disk_image,
            "qmp_socket": state.work_dir / "qmp",
            "efi_vars": state.staging_dir / "efivars.fd",
        }
        if self.config.efi_boot and not (state.staging_dir / "efivars.fd").exists():
            shutil.copyfile(self.config.efi_firmware_vars, state.staging_dir / "efivars.fd")
        defaults = default_arguments(self.config, paths, accelerator, state.ssh_port)
        data = {
            "HTTPIP": GUEST_HOST_ADDRESS,
            "HTTPPort": state.http.port if state.http else "",
            "HTTPDir": self.config.http_directory,
            "HTTPContent": self.config.http_content,
            "OutputDir": str(state.staging_dir),
            "Name": self.config.vm_name,
            "SSHHostPort": state.ssh_port or "",
        }
        context = Context(
            data=data,
            user_variables=self.context.info.user_variables,
            build_name=self.context.info.build_name,
        )
        user = [[render(part, context) for part in entry] for entry in self.config.qemuargs]
        if user:
            self.ui.say("Overriding default Qemu arguments with qemuargs template option...")
        return [self.config.qemu_binary, *merge_qemuargs(defaults, user, self.config.net_device)]

    async def cleanup(self, state: QemuState) -> None:
        if state.qemu is not None:
            if state.qemu.running:
                self.ui.say("Stopping the virtual machine...")
            await state.qemu.stop()
            state.qemu = None


class StepTypeBootCommand(QemuStep):
    """Wait `boot_wait`, then type `boot_command` (or each of `boot_steps`) through QMP."""

    reads = ("qemu",)

    async def run(self, state: QemuState) -> StepAction:
        config = self.config
        steps = [[command, ""] for command in (["".join(config.boot_command)] if config.boot_command else [])]
        steps += [[entry[0], entry[1] if len(entry) > 1 else ""] for entry in config.boot_steps]
        if not steps:
            return StepAction.CONTINUE

        wait = config.boot_wait_seconds()
        self.ui.say(f"Waiting {format_duration(wait)} for boot...")
        await asyncio.sleep(wait)
        self.ui.say("Typing the boot command over QMP...")
        data = {
            "HTTPIP": self.context.generated.http_ip or GUEST_HOST_ADDRESS,
            "HTTPPort": self.context.generated.http_port or "",
            "Name": config.vm_name,
            "SSHPublicKey": config.comm.ssh_public_key,
        }
        context = Context(
            data=data,
            user_variables=self.context.info.user_variables,
            build_name=self.context.info.build_name,
        )
        for command, description in steps:
            if description:
                self.ui.say(f"Typing boot command for: {description}")
            actions = parse_boot_command(render(command, context))
            assert state.qemu is not None
            await type_actions(state.qemu.qmp, actions, _key_interval(config))
        return StepAction.CONTINUE


def _key_interval(config: QemuConfig) -> float:
    if config.boot_key_interval:
        return float(config.boot_key_interval)
    configured = os.environ.get("PACKER_KEY_INTERVAL")
    if configured:
        from kiln.sdk.config import Duration

        return float(Duration.parse(configured))
    return 0.1


class StepShutdown(QemuStep):
    """Stop the machine: `shutdown_command` and a wait, else an ACPI power-down through QMP."""

    reads = ("qemu",)

    async def run(self, state: QemuState) -> StepAction:
        assert state.qemu is not None
        config = self.config
        timeout = config.shutdown_timeout_seconds()
        if config.shutdown_command and state.communicator is not None:
            self.ui.say("Gracefully halting virtual machine...")
            await self._run_shutdown_command(state)
            if not await state.qemu.wait(timeout):
                raise BuildFailed(
                    f"Timeout while waiting for machine to shut down (shutdown_timeout = {format_duration(timeout)})."
                )
        else:
            self.ui.say("Halting the virtual machine...")
            await self._acpi_powerdown(state.qemu, timeout)
        await state.qemu.stop()
        return StepAction.CONTINUE

    async def _run_shutdown_command(self, state: QemuState) -> None:
        assert state.communicator is not None
        output: list[str] = []
        try:
            result = await state.communicator.start(
                RemoteCommand(self.config.shutdown_command, on_stdout=output.append, on_stderr=output.append)
            )
            log.debug("shutdown command ended: %s; output %r", result, "".join(output))
        except CommunicatorError as error:
            # Powering off often drops the connection before the command reports a status.
            log.debug("shutdown command: %s", error)
        await state.communicator.close()
        state.communicator = None

    async def _acpi_powerdown(self, qemu: QemuProcess, timeout: float) -> None:
        from qemu.qmp import QMPError

        try:
            await qemu.qmp.execute("system_powerdown")
        except (QMPError, OSError) as error:  # QMP is gone when QEMU already exited
            log.debug("system_powerdown failed: %s", error)
        if not await qemu.wait(timeout):
            log.warning(
                "the guest ignored the ACPI power-down for %s; stopping QEMU", format_duration(timeout)
            )


class StepCompactDisk(QemuStep):
    """Rewrite the qcow2 disk without unused space, unless `skip_compaction`."""

    reads = ("disks",)

    async def run(self, state: QemuState) -> StepAction:
        if self.config.skip_compaction:
            return StepAction.CONTINUE
        self.ui.say("Converting hard drive...")
        for path in state.disks:
            await disk.compact(path, self.config.disk_compression, self.config.qemu_img_args.convert)
        return StepAction.CONTINUE


class StepPublishOutput(QemuStep):
    """Move the staging folder to `output_directory`; with -force, replace an existing one."""

    reads = ("staging_dir",)
    writes = ("output_dir",)

    async def run(self, state: QemuState) -> StepAction:
        assert state.staging_dir is not None
        output = Path(self.config.output_directory).absolute()
        if output.exists():
            if not (self.context.info.force or self.config.packer_force):
                raise BuildFailed(f"Output directory exists: {output}")
            # Renamed aside first, so the old output disappears and the new one appears at once.
            aside = output.with_name(f".{output.name}.old-{uuid.uuid4().hex[:8]}")
            output.rename(aside)
            shutil.rmtree(aside, ignore_errors=True)
        state.staging_dir.rename(output)
        state.staging_dir = None
        state.output_dir = output
        return StepAction.CONTINUE
