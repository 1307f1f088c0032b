"""The `hyperv-export` post-processor: a VM artifact's disk as a dynamic VHDX.

The disk lands in `OUTPUT/Virtual Hard Disks/NAME.vhdx`, the folder layout Hyper-V's own
exports use, so it can be attached to a new Hyper-V VM. Hyper-V's VM configuration files
(`.vmcx`) are a binary format only Hyper-V writes, so none is produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiln.builtin.exports.disk import ExportError, convert, disk_info, find_disk, staged_directory
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

BUILDER_ID = "MSOpenTech.hyperv"


@dataclass
class HypervExportConfig:
    output_directory: str = option(default="", doc="Folder of the export. Defaults to `output-BUILDNAME-hyperv`.")
    vm_name: str = option(default="", doc="Name of the disk file. Defaults to the build name.")
    disk_subformat: str = option(default="dynamic", doc="`dynamic` (grows as written) or `fixed` (full size at once).")


class HypervExportPostProcessor(PostProcessor[HypervExportConfig]):
    config_class = HypervExportConfig

    def prepare(self, config: HypervExportConfig) -> list[str]:
        if config.disk_subformat not in ("dynamic", "fixed"):
            raise ConfigProblems(
                [ConfigProblem(("disk_subformat",), f'disk_subformat must be "dynamic" or "fixed", not "{config.disk_subformat}"')]
            )
        return super().prepare(config)

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        config = self.config
        vm_name = config.vm_name or context.info.build_name or "packer"
        output = Path(config.output_directory or f"output-{context.info.build_name or vm_name}-hyperv")
        source = await disk_info(find_disk(artifact))
        context.ui.say(f"Exporting {source.path.name} as a Hyper-V VHDX in {output}")
        relative = Path("Virtual Hard Disks") / f"{vm_name}.vhdx"
        try:
            async with staged_directory(output, context.info.force) as staging:
                (staging / relative.parent).mkdir()
                await convert(context.ui, source, staging / relative, "vhdx", [f"subformat={config.disk_subformat}"])
        except OSError as exc:
            raise ExportError(f"Writing the Hyper-V export failed: {exc}") from exc
        result = BasicArtifact(BUILDER_ID, files=[str(output / relative)], id=vm_name, string=f"VM files in directory: {output}")
        return PostProcessResult(result)
