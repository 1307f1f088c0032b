"""The `vagrant` post-processor: a Vagrant box from a VM or container artifact, as Packer makes it.

The provider follows from the artifact's builder id, as in Packer: the qemu builder's image
becomes a `libvirt` box (`box.img`), a VirtualBox export a `virtualbox` box (`box.ovf` and its
disk), a VMware export a `vmware_desktop` box, a docker image a `docker` box. A box is a tar
archive, gzip-compressed unless `compression_level` is 0, holding `metadata.json`, a
`Vagrantfile` and the provider's files. Members are written sorted, with zero timestamps and
owners, so the same input gives the same box.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import platform
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiln.builtin.exports.disk import ExportError, disk_info, find_disk
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option
from kiln.sdk.interpolate.gotemplate import TemplateError
from kiln.sdk.interpolate.packer import Context, render

BUILDER_ID = "mitchellh.post-processor.vagrant"

# Builder ids Packer maps to Vagrant providers (its vagrant post-processor's table).
PROVIDERS = {
    "mitchellh.amazonebs": "aws",
    "mitchellh.amazon.instance": "aws",
    "mitchellh.virtualbox": "virtualbox",
    "mitchellh.vmware": "vmware",
    "mitchellh.vmware-esx": "vmware",
    "pearkes.digitalocean": "digitalocean",
    "packer.googlecompute": "google",
    "hashicorp.scaleway": "scaleway",
    "packer.parallels": "parallels",
    "MSOpenTech.hyperv": "hyperv",
    "transcend.qemu": "libvirt",
    "ustream.lxc": "lxc",
    "Azure.ResourceManagement.VMImage": "azure",
    "packer.post-processor.docker-import": "docker",
    "packer.post-processor.docker-tag": "docker",
    "packer.post-processor.docker-push": "docker",
    "packer.file": "file",
}
SUPPORTED_PROVIDERS = ("docker", "hyperv", "libvirt", "virtualbox", "vmware")

_BOX_VAGRANTFILE = """
# The contents below were provided by the Packer Vagrant post-processor
{provider}

# The contents below (if any) are custom contents provided by the
# Packer template during image build.
{custom}
"""


@dataclass
class VagrantConfig:
    output: str = option(
        default="packer_{{ .BuildName }}_{{ .Provider }}_{{ .Architecture }}.box",
        doc="Path of the box, a template with `.BuildName`, `.Provider`, `.Architecture` and `.ArtifactId`.",
    )
    compression_level: int = option(default=6, doc="gzip level from 0 (a plain tar) to 9 (smallest).")
    include: list[str] = option(default_factory=list, doc="Extra files copied into the box.")
    vagrantfile_template: str = option(default="", doc="A file whose contents are appended to the box's Vagrantfile.")
    vagrantfile_template_generated: bool = option(
        default=False, doc="The template file is created by an earlier step, so its absence is not an error now."
    )
    provider_override: str = option(default="", doc="Use this provider instead of the one the artifact implies.")
    architecture: str = option(default="", doc="Box architecture in `metadata.json`. Defaults to the host's, e.g. `amd64`.")
    override: dict[str, Any] = option(default_factory=dict, doc="Options per provider, e.g. `{ libvirt = { output = \"x.box\" } }`.")


def host_architecture() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "i686": "i386", "i386": "i386"}.get(machine, machine)


@dataclass
class _Box:
    folder: Path
    metadata: dict[str, Any]
    vagrantfile: str = ""


def _copy(ui: Any, source: Path, destination: Path) -> None:
    ui.message(f"Copying from artifact: {source}")
    shutil.copyfile(source, destination)


async def _libvirt(context: PostProcessContext, artifact: Artifact, box: _Box) -> None:
    disk = find_disk(artifact)
    info = await disk_info(disk)
    await asyncio.to_thread(_copy, context.ui, disk, box.folder / "box.img")
    gigabytes = -(-info.virtual_size // (1024**3))  # rounded up, never smaller than the disk
    domain = str(artifact.state("domainType") or "kvm")
    driver = "kvm" if domain == "kvm" else "qemu"
    box.metadata.update({"provider": "libvirt", "format": info.format, "virtual_size": gigabytes})
    box.vagrantfile = (
        '\nVagrant.configure("2") do |config|\n  config.vm.provider :libvirt do |libvirt|\n'
        f'    libvirt.driver = "{driver}"\n  end\nend\n'
    )


async def _virtualbox(context: PostProcessContext, artifact: Artifact, box: _Box) -> None:
    for name in artifact.files:
        path = Path(name)
        if path.suffix == ".ova":
            context.ui.message(f"Unpacking OVA: {path}")
            await asyncio.to_thread(_unpack_ova, path, box.folder)
        else:
            await asyncio.to_thread(_copy, context.ui, path, box.folder / path.name)
    ovfs = sorted(box.folder.glob("*.ovf"))
    if len(ovfs) != 1:
        raise ExportError("ovf file couldn't be found" if not ovfs else "More than one OVF file in VirtualBox artifact.")
    context.ui.message("Renaming the OVF to box.ovf...")
    ovf = ovfs[0].rename(box.folder / "box.ovf")
    match = re.search(r'<Adapter slot="0".+?MACAddress="(.+?)"', ovf.read_text(), re.DOTALL)
    if match is None:
        raise ExportError("can't find base mac address in OVF")
    box.metadata["provider"] = "virtualbox"
    box.vagrantfile = f'\nVagrant.configure("2") do |config|\n  config.vm.base_mac = "{match.group(1)}"\nend\n'


def _unpack_ova(archive_path: Path, folder: Path) -> None:
    with tarfile.open(archive_path) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            # Only the base name: a member named "../x" must not escape the box folder.
            extracted = archive.extractfile(member)
            assert extracted is not None
            with (folder / Path(member.name).name).open("wb") as output:
                shutil.copyfileobj(extracted, output)


async def _vmware(context: PostProcessContext, artifact: Artifact, box: _Box) -> None:
    for name in artifact.files:
        await asyncio.to_thread(_copy, context.ui, Path(name), box.folder / Path(name).name)
    box.metadata["provider"] = "vmware_desktop"


# Vagrant's hyperv provider (its plugins/providers/hyperv/action/import.rb) imports a box from
# the first .xml or, on Hyper-V versions that have it, .vmcx file in "Virtual Machines" and
# the first .vhd or .vhdx file in "Virtual Hard Disks". It rejects a box without either.
_HYPERV_CONFIGURATION_FOLDER = ("Virtual Machines", (".xml", ".vmcx"))
_HYPERV_DISK_FOLDER = ("Virtual Hard Disks", (".vhd", ".vhdx"))


def _files_in(artifact: Artifact, folder: tuple[str, tuple[str, ...]]) -> list[str]:
    name, suffixes = folder
    paths = [Path(file) for file in artifact.files]
    return [str(path) for path in paths if path.parent.name == name and path.suffix.lower() in suffixes]


async def _hyperv(context: PostProcessContext, artifact: Artifact, box: _Box) -> None:
    # The vagrant plug-in that Packer 1.16 uses (packer-plugin-vagrant) does not check the
    # files, so its box fails only when Vagrant imports it. kiln reports the problem here.
    listed = ", ".join(artifact.files[:5]) + (", ..." if len(artifact.files) > 5 else "")
    if not _files_in(artifact, _HYPERV_CONFIGURATION_FOLDER):
        raise ExportError(
            f"Cannot make a 'hyperv' box from the artifact of {artifact.builder_id}, because none "
            "of its files is a VM configuration (.vmcx or .xml) in a 'Virtual Machines' folder. "
            f"Artifact files: {listed or 'none'}. Vagrant's hyperv provider imports the VM from "
            "that file, which only Hyper-V writes, and kiln's hyperv-export writes only the disk. "
            "Make the box from a Hyper-V builder's output, or make a libvirt, virtualbox or vmware box."
        )
    if not _files_in(artifact, _HYPERV_DISK_FOLDER):
        raise ExportError(
            f"Cannot make a 'hyperv' box from the artifact of {artifact.builder_id}, because none "
            f"of its files is a disk (.vhd or .vhdx) in a 'Virtual Hard Disks' folder. Artifact "
            f"files: {listed}. Add the VM's disk to the artifact, as Hyper-V's own exports have it."
        )
    for name in artifact.files:
        path = Path(name)
        target = box.folder / path.parent.name
        target.mkdir(exist_ok=True)
        await asyncio.to_thread(_copy, context.ui, path, target / path.name)
    box.metadata["provider"] = "hyperv"


async def _docker(context: PostProcessContext, artifact: Artifact, box: _Box) -> None:
    box.metadata["provider"] = "docker"
    box.vagrantfile = (
        '\nVagrant.configure("2") do |config|\n  config.vm.provider :docker do |docker|\n'
        f'    docker.image = "{artifact.id}"\n  end\nend\n'
    )


_PROCESSORS: dict[str, Callable[[PostProcessContext, Artifact, _Box], Any]] = {
    "libvirt": _libvirt,
    "virtualbox": _virtualbox,
    "vmware": _vmware,
    "hyperv": _hyperv,
    "docker": _docker,
}


def write_box(folder: Path, destination: Path, level: int) -> None:
    """Archive `folder` into `destination` (gzip unless level is 0), sorted, with fixed metadata."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    # mkstemp creates the file 0600; a box is an ordinary output file, readable as others are.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            stream: Any = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0) if level else raw
            with tarfile.open(fileobj=stream, mode="w", format=tarfile.GNU_FORMAT) as archive:
                for path in sorted(folder.rglob("*")):
                    info = archive.gettarinfo(str(path), arcname=str(path.relative_to(folder)))
                    info.mtime = 0
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    info.mode = 0o755 if path.is_dir() else 0o644
                    if path.is_file():
                        with path.open("rb") as member:
                            archive.addfile(info, member)
                    else:
                        archive.addfile(info)
            if level:
                stream.close()
        os.replace(temporary, destination)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


class VagrantPostProcessor(PostProcessor[VagrantConfig]):
    config_class = VagrantConfig

    def prepare(self, config: VagrantConfig) -> list[str]:
        problems = []
        if not 0 <= config.compression_level <= 9:
            problems.append(ConfigProblem(("compression_level",), "compression_level must be between 0 and 9"))
        if config.provider_override and config.provider_override not in set(PROVIDERS.values()):
            choices = ", ".join(sorted(set(PROVIDERS.values())))
            problems.append(
                ConfigProblem(
                    ("provider_override",),
                    f"The given provider_override {config.provider_override} is not valid. Please choose from one of {choices}",
                )
            )
        if config.vagrantfile_template and not config.vagrantfile_template_generated:
            if not Path(config.vagrantfile_template).exists():
                problems.append(
                    ConfigProblem(("vagrantfile_template",), f"vagrantfile_template '{config.vagrantfile_template}' does not exist")
                )
        if problems:
            raise ConfigProblems(problems)
        return super().prepare(config)

    def provider_config(self, provider: str) -> VagrantConfig:
        overrides = self.config.override.get(provider) or {}
        if not overrides:
            return self.config
        import dataclasses

        known = {f.name for f in dataclasses.fields(VagrantConfig)}
        return dataclasses.replace(self.config, **{key: value for key, value in overrides.items() if key in known})

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        provider = self.config.provider_override or PROVIDERS.get(artifact.builder_id, "")
        if not provider:
            raise ExportError(f"Unknown artifact type, can't build box: {artifact.builder_id}")
        if provider not in _PROCESSORS:
            raise ExportError(
                f"kiln cannot make '{provider}' boxes yet; it makes {', '.join(SUPPORTED_PROVIDERS)} boxes."
            )
        config = self.provider_config(provider)
        architecture = config.architecture or host_architecture()
        context.ui.say(f"Creating Vagrant box for '{provider}' provider")

        generated = artifact.state("generated_data")
        data = dict(generated) if isinstance(generated, dict) else {}
        data.update(ArtifactId=artifact.id, BuildName=context.info.build_name, Provider=provider, Architecture=architecture)
        template_context = Context(data=data, build_name=context.info.build_name, build_type=context.info.builder_type)
        try:
            output = Path(render(config.output, template_context))
            custom = render(Path(config.vagrantfile_template).read_text(), template_context) if config.vagrantfile_template else ""
        except (TemplateError, OSError) as exc:
            raise ExportError(f"Rendering the box options failed: {exc}") from exc

        with tempfile.TemporaryDirectory(prefix="kiln-vagrant-") as folder:
            box = _Box(Path(folder), {})
            for include in config.include:
                context.ui.message(f"Copying from include: {include}")
                shutil.copyfile(include, box.folder / Path(include).name)
            await _PROCESSORS[provider](context, artifact, box)
            box.metadata["architecture"] = architecture
            (box.folder / "metadata.json").write_text(json.dumps(box.metadata, sort_keys=True, separators=(",", ":")))
            (box.folder / "Vagrantfile").write_text(_BOX_VAGRANTFILE.format(provider=box.vagrantfile, custom=custom))
            context.ui.message(f"Compressing: {output}")
            await asyncio.to_thread(write_box, box.folder, output, config.compression_level)

        result = BasicArtifact(BUILDER_ID, files=[str(output)], id=provider, string=f"'{provider}' provider box: {output}")
        # Packer keeps the input artifact of a box whose provider files refer to it.
        return PostProcessResult(result, keep=False, force_override=True)
