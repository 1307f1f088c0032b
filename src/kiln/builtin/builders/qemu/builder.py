"""The `qemu` builder: boots an ISO or disk image in QEMU, provisions it, keeps the disk.

Steps: prepare output → resolve source → extra CD → disks → HTTP server → temporary key →
run QEMU → boot command → connect → provision → shutdown → compact → publish output.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kiln.builtin.builders.qemu.config import QemuConfig, check_config
from kiln.builtin.builders.qemu.steps import (
    QemuState,
    StepCompactDisk,
    StepHTTPServer,
    StepMakeCD,
    StepMakeDisks,
    StepPrepareOutputDir,
    StepPublishOutput,
    StepResolveSource,
    StepRunQemu,
    StepShutdown,
    StepTypeBootCommand,
)
from kiln.communicator.step import StepCleanupTemporaryKeys, StepConnect, StepTemporaryKeyPair
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import BuildContext, Builder
from kiln.sdk.config import ConfigProblems
from kiln.sdk.step import Step, run_steps
from kiln.sdk.steps import StepProvision

BUILDER_ID = "transcend.qemu"


class QemuBuilder(Builder[QemuConfig]):
    config_class = QemuConfig
    builder_id = BUILDER_ID
    # Rendered by the builder itself, with data that exists only while it runs.
    render_exclude = frozenset({"boot_command", "boot_steps", "qemuargs"})

    def prepare(self, config: QemuConfig) -> list[str]:
        self.config = config
        warnings, problems = check_config(config, config.packer_build_name or "qemu")
        errors = [problem for problem in problems if problem.severity == "error"]
        warnings += [problem.message for problem in problems if problem.severity != "error"]
        if errors:
            raise ConfigProblems(errors)
        return warnings

    async def run(self, context: BuildContext) -> Artifact | None:
        config = self.config
        state = QemuState()
        await run_steps(self._steps(context), state, context.step_policy)
        if state.error is not None:
            raise state.error
        assert state.output_dir is not None
        return _artifact(config, state.output_dir, context)

    def _steps(self, context: BuildContext) -> list[Step[Any]]:
        config = self.config
        return [
            StepPrepareOutputDir(context, config),
            StepResolveSource(context, config),
            StepMakeCD(context, config),
            StepMakeDisks(context, config),
            StepHTTPServer(context, config),
            StepTemporaryKeyPair(context, config.comm),
            StepRunQemu(context, config),
            StepTypeBootCommand(context, config),
            StepConnect(context, config.comm, host=lambda state: "127.0.0.1", port=_ssh_port(config)),
            StepProvision(context),
            StepCleanupTemporaryKeys(context, config.comm),
            StepShutdown(context, config),
            StepCompactDisk(context, config),
            StepPublishOutput(context, config),
        ]


def _ssh_port(config: QemuConfig) -> Any:
    def port(state: QemuState) -> int:
        if config.skip_nat_mapping or state.ssh_port is None:
            return config.comm.ssh_port
        return state.ssh_port

    return port


def _artifact(config: QemuConfig, output: Path, context: BuildContext) -> Artifact:
    # Paths as the configuration names the folder (relative stays relative), as Packer lists them.
    files = sorted(
        str(Path(config.output_directory) / path.relative_to(output))
        for path in output.rglob("*")
        if path.is_file()
    )
    generated = context.generated.template_data(context.info.run_uuid)
    return BasicArtifact(
        BUILDER_ID,
        files=files,
        id="VM",
        string=f"VM files in directory: {config.output_directory}",
        states={
            "generated_data": generated,
            "diskName": config.vm_name,
            "diskType": config.format,
            "diskSize": config.disk_size,
            "domainType": config.accelerator or "",
        },
        on_destroy=lambda: shutil.rmtree(output, ignore_errors=True),
    )
