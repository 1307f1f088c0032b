"""The `virtualbox-export` post-processor: an OVF 1.0 package (or one OVA file) of a VM artifact.

The package contains the OVF descriptor, the disk as a streamOptimized VMDK and a `.mf` manifest
of SHA256 digests. With `format = "ova"` the three are one tar archive with the descriptor
first and the manifest second, the order the OVF specification (DSP0243) sets. The
descriptor includes VirtualBox's own machine section, which VirtualBox and Vagrant read (the
base MAC address of the first network adapter). Identifiers are derived from the VM name, so
the same input yields the same descriptor.
"""

from __future__ import annotations

import hashlib
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kiln.builtin.exports.disk import (
    DiskInfo,
    ExportError,
    convert,
    disk_info,
    find_disk,
    sha256_file,
    staged_directory,
)
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

BUILDER_ID = "mitchellh.virtualbox"
VMDK_STREAM_FORMAT = "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"


@dataclass
class VirtualBoxExportConfig:
    output_directory: str = option(default="", doc="Folder the package is written to. Defaults to `output-BUILDNAME-virtualbox`.")
    vm_name: str = option(default="", doc="Name of the VM and its files. Defaults to the build name.")
    format: str = option(default="ovf", doc="`ovf` for a descriptor, disk and manifest side by side, `ova` for one archive.")
    cpus: int = option(default=1, doc="Number of virtual CPUs.")
    memory: int = option(default=1024, doc="Memory of the VM in MiB.")
    guest_os_type: str = option(default="Linux26_64", doc="VirtualBox's OS type identifier, e.g. `Debian_64`.")


@dataclass(frozen=True, slots=True)
class _Identity:
    machine_uuid: str
    disk_uuid: str
    mac_address: str


def _identity(vm_name: str) -> _Identity:
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "kiln:virtualbox-export")
    digest = hashlib.sha256(vm_name.encode()).hexdigest()
    # 08:00:27 is VirtualBox's own MAC prefix; the rest comes from the name.
    return _Identity(
        str(uuid.uuid5(namespace, f"machine:{vm_name}")),
        str(uuid.uuid5(namespace, f"disk:{vm_name}")),
        "080027" + digest[:6].upper(),
    )


def _item(instance: int, resource_type: int, caption: str, **fields: str) -> str:
    lines = [f"        <rasd:Caption>{escape(caption)}</rasd:Caption>", f"        <rasd:ElementName>{escape(caption)}</rasd:ElementName>"]
    lines.append(f"        <rasd:InstanceID>{instance}</rasd:InstanceID>")
    lines.extend(f"        <rasd:{name}>{escape(value)}</rasd:{name}>" for name, value in sorted(fields.items()))
    lines.append(f"        <rasd:ResourceType>{resource_type}</rasd:ResourceType>")
    return "      <Item>\n" + "\n".join(lines) + "\n      </Item>\n"


def render_ovf(config: VirtualBoxExportConfig, vm_name: str, disk_file: str, disk: DiskInfo, disk_file_size: int) -> str:
    """Return the OVF 1.0 descriptor for one VM with one disk and one NAT network adapter."""
    identity = _identity(vm_name)
    name = quoteattr(vm_name)
    hardware = (
        _item(1, 3, f"{config.cpus} virtual CPU", VirtualQuantity=str(config.cpus))
        + _item(2, 4, f"{config.memory} MB of memory", AllocationUnits="MegaBytes", VirtualQuantity=str(config.memory))
        + _item(3, 20, "sataController0", ResourceSubType="AHCI", Address="0")
        + _item(4, 17, "disk1", AddressOnParent="0", HostResource="/disk/vmdisk1", Parent="3")
        + _item(5, 10, "Ethernet adapter on 'NAT'", AutomaticAllocation="true", Connection="NAT", ResourceSubType="E1000")
    )
    return f"""<?xml version="1.0"?>
<Envelope ovf:version="1.0" xml:lang="en-US" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vbox="http://www.virtualbox.org/ovf/machine">
  <References>
    <File ovf:id="file1" ovf:href={quoteattr(disk_file)} ovf:size="{disk_file_size}"/>
  </References>
  <DiskSection>
    <Info>List of the virtual disks used in the package</Info>
    <Disk ovf:capacity="{disk.virtual_size}" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="{VMDK_STREAM_FORMAT}" vbox:uuid="{identity.disk_uuid}"/>
  </DiskSection>
  <NetworkSection>
    <Info>Logical networks used in the package</Info>
    <Network ovf:name="NAT">
      <Description>Logical network used by this appliance.</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id={name}>
    <Info>A virtual machine</Info>
    <OperatingSystemSection ovf:id="101">
      <Info>The kind of installed guest operating system</Info>
      <Description>{escape(config.guest_os_type)}</Description>
      <vbox:OSType ovf:required="false">{escape(config.guest_os_type)}</vbox:OSType>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements for a virtual machine</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>{escape(vm_name)}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>virtualbox-2.2</vssd:VirtualSystemType>
      </System>
{hardware.rstrip()}
    </VirtualHardwareSection>
    <vbox:Machine ovf:required="false" version="1.16-linux" uuid="{{{identity.machine_uuid}}}" name={name} OSType={quoteattr(config.guest_os_type)}>
      <ovf:Info>Complete VirtualBox machine configuration in VirtualBox format</ovf:Info>
      <Hardware>
        <CPU count="{config.cpus}"/>
        <Memory RAMSize="{config.memory}"/>
        <Network>
          <Adapter slot="0" enabled="true" MACAddress="{identity.mac_address}" type="82540EM">
            <NAT/>
          </Adapter>
        </Network>
      </Hardware>
      <StorageControllers>
        <StorageController name="SATA" type="AHCI" PortCount="1" useHostIOCache="false" Bootable="true">
          <AttachedDevice type="HardDisk" hotpluggable="false" port="0" device="0">
            <Image uuid="{{{identity.disk_uuid}}}"/>
          </AttachedDevice>
        </StorageController>
      </StorageControllers>
    </vbox:Machine>
  </VirtualSystem>
</Envelope>
"""


def render_manifest(folder: Path, names: list[str]) -> str:
    """Return the OVF manifest: one `SHA256(file)= digest` line per file."""
    return "".join(f"SHA256({name})= {sha256_file(folder / name)}\n" for name in names)


def write_ova(destination: Path, folder: Path, members: list[str]) -> None:
    """Write an OVA (POSIX ustar) with `members` in the given order and fixed metadata."""
    with tarfile.open(destination, "w", format=tarfile.USTAR_FORMAT) as archive:
        for name in members:
            info = archive.gettarinfo(str(folder / name), arcname=name)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o644
            with (folder / name).open("rb") as stream:
                archive.addfile(info, stream)


class VirtualBoxExportPostProcessor(PostProcessor[VirtualBoxExportConfig]):
    config_class = VirtualBoxExportConfig

    def prepare(self, config: VirtualBoxExportConfig) -> list[str]:
        if config.format not in ("ovf", "ova"):
            raise ConfigProblems([ConfigProblem(("format",), f'format must be "ovf" or "ova", not "{config.format}"')])
        return super().prepare(config)

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        config = self.config
        vm_name = config.vm_name or context.info.build_name or "packer"
        output = Path(config.output_directory or f"output-{context.info.build_name or vm_name}-virtualbox")
        source = await disk_info(find_disk(artifact))
        context.ui.say(f"Exporting {source.path.name} as a VirtualBox {config.format.upper()} in {output}")
        ovf_name, disk_name, manifest_name = f"{vm_name}.ovf", f"{vm_name}-disk001.vmdk", f"{vm_name}.mf"
        try:
            async with staged_directory(output, context.info.force) as staging:
                await convert(context.ui, source, staging / disk_name, "vmdk", ["subformat=streamOptimized"])
                ovf = render_ovf(config, vm_name, disk_name, source, (staging / disk_name).stat().st_size)
                (staging / ovf_name).write_text(ovf)
                (staging / manifest_name).write_text(render_manifest(staging, [ovf_name, disk_name]))
                if config.format == "ova":
                    write_ova(staging / f"{vm_name}.ova", staging, [ovf_name, manifest_name, disk_name])
                    for name in (ovf_name, manifest_name, disk_name):
                        (staging / name).unlink()
        except OSError as exc:
            raise ExportError(f"Writing the VirtualBox export failed: {exc}") from exc
        names = [f"{vm_name}.ova"] if config.format == "ova" else [ovf_name, disk_name, manifest_name]
        files = [str(output / name) for name in names]
        result = BasicArtifact(BUILDER_ID, files=files, id=vm_name, string=f"VM files in directory: {output}")
        return PostProcessResult(result)
