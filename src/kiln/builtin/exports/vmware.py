"""The `vmware-export` post-processor: a VM artifact's disk as a VMDK with a `.vmx` beside it.

The disk is converted with `qemu-img` (streamOptimized by default, the subformat ESXi
imports and OVF packages carry; `monolithicSparse` opens directly in VMware Workstation).
The artifact carries the VMware builder's id, so a following `vagrant` post-processor makes a
`vmware_desktop` box from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiln.builtin.exports.disk import ExportError, convert, disk_info, find_disk, staged_directory
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

BUILDER_ID = "mitchellh.vmware"

_ADAPTERS = {"lsilogic", "lsisas1068", "buslogic", "pvscsi", "sata", "nvme", "ide"}
_SUBFORMATS = {"streamOptimized", "monolithicSparse", "monolithicFlat"}


@dataclass
class VMwareExportConfig:
    output_directory: str = option(
        default="", doc="Folder the VMX and VMDK are written to. Defaults to `output-BUILDNAME-vmware`."
    )
    vm_name: str = option(default="", doc="Name of the VM and its files. Defaults to the build name.")
    cpus: int = option(default=1, doc="Number of virtual CPUs in the `.vmx`.")
    memory: int = option(default=1024, doc="Memory of the VM in MiB.")
    guest_os_type: str = option(default="otherlinux-64", doc="VMware's guest OS identifier (`guestOS`).")
    hardware_version: int = option(default=14, doc="Virtual hardware version (`virtualHW.version`).")
    disk_adapter_type: str = option(
        default="lsilogic", doc="Disk controller: `lsilogic`, `lsisas1068`, `buslogic`, `pvscsi`, `sata`, `nvme` or `ide`."
    )
    network_adapter_type: str = option(default="e1000", doc="Network card model, e.g. `e1000` or `vmxnet3`.")
    network: str = option(default="nat", doc="Network connection type: `nat`, `bridged` or `hostonly`.")
    disk_subformat: str = option(
        default="streamOptimized", doc="VMDK subformat: `streamOptimized`, `monolithicSparse` or `monolithicFlat`."
    )
    vmx_data: dict[str, str] = option(default_factory=dict, doc="Extra `.vmx` entries; they replace generated ones.")


def _disk_slot(adapter: str) -> tuple[str, dict[str, str]]:
    if adapter == "ide":
        return "ide0:0", {"ide0.present": "TRUE"}
    if adapter == "sata":
        return "sata0:0", {"sata0.present": "TRUE"}
    if adapter == "nvme":
        return "nvme0:0", {"nvme0.present": "TRUE"}
    return "scsi0:0", {"scsi0.present": "TRUE", "scsi0.virtualDev": adapter}


def render_vmx(config: VMwareExportConfig, vm_name: str, disk_file: str) -> str:
    """Return the `.vmx` text: VMware's `key = "value"` lines, generated entries then `vmx_data`."""
    slot, controller = _disk_slot(config.disk_adapter_type)
    entries: dict[str, str] = {
        ".encoding": "UTF-8",
        "config.version": "8",
        "virtualHW.version": str(config.hardware_version),
        "displayName": vm_name,
        "guestOS": config.guest_os_type,
        "numvcpus": str(config.cpus),
        "memsize": str(config.memory),
        **controller,
        f"{slot}.present": "TRUE",
        f"{slot}.fileName": disk_file,
        "ethernet0.present": "TRUE",
        "ethernet0.virtualDev": config.network_adapter_type,
        "ethernet0.connectionType": config.network,
        "ethernet0.addressType": "generated",
        "floppy0.present": "FALSE",
        "tools.syncTime": "TRUE",
    }
    if config.disk_adapter_type not in ("ide", "sata", "nvme"):
        entries[f"{slot}.deviceType"] = "scsi-hardDisk"
    entries.update(config.vmx_data)
    return "".join(f'{key} = "{value}"\n' for key, value in entries.items())


class VMwareExportPostProcessor(PostProcessor[VMwareExportConfig]):
    config_class = VMwareExportConfig

    def prepare(self, config: VMwareExportConfig) -> list[str]:
        problems = []
        if config.disk_adapter_type not in _ADAPTERS:
            problems.append(ConfigProblem(("disk_adapter_type",), f"disk_adapter_type must be one of {', '.join(sorted(_ADAPTERS))}"))
        if config.disk_subformat not in _SUBFORMATS:
            problems.append(ConfigProblem(("disk_subformat",), f"disk_subformat must be one of {', '.join(sorted(_SUBFORMATS))}"))
        if config.cpus < 1 or config.memory < 4:
            problems.append(ConfigProblem(("cpus",), "cpus must be at least 1 and memory at least 4 MiB"))
        if problems:
            raise ConfigProblems(problems)
        return super().prepare(config)

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        config = self.config
        vm_name = config.vm_name or context.info.build_name or "packer"
        output = Path(config.output_directory or f"output-{context.info.build_name or vm_name}-vmware")
        source = await disk_info(find_disk(artifact))
        context.ui.say(f"Exporting {source.path.name} as a VMware VM in {output}")
        disk_file = f"{vm_name}.vmdk"
        try:
            async with staged_directory(output, context.info.force) as staging:
                await convert(context.ui, source, staging / disk_file, "vmdk", [f"subformat={config.disk_subformat}"])
                (staging / f"{vm_name}.vmx").write_text(render_vmx(config, vm_name, disk_file))
        except OSError as exc:
            raise ExportError(f"Writing the VMware export failed: {exc}") from exc
        files = [str(output / f"{vm_name}.vmx"), str(output / disk_file)]
        result = BasicArtifact(BUILDER_ID, files=files, id=vm_name, string=f"VM files in directory: {output}")
        return PostProcessResult(result)
