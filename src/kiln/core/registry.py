"""Component lookup by kind and type name, importing each component's module only when used.

Built-in components are listed here by import path, so `import kiln` stays fast and a
template naming only `null` never imports the QEMU builder. Tests and plug-ins add more with
`register`.

    builder_class = lookup(ComponentKind.BUILDER, "null")
    config_class = config_class_of("provisioner", "shell")
"""

from __future__ import annotations

import enum
import importlib
from typing import Any


class ComponentKind(enum.StrEnum):
    BUILDER = "builder"
    PROVISIONER = "provisioner"
    POST_PROCESSOR = "post-processor"
    DATASOURCE = "data"


_BUILTIN = "kiln.builtin"

# (kind, type name) -> "module:Class"; one line per component, so the table reads as a list.
# fmt: off
_COMPONENTS: dict[tuple[ComponentKind, str], str] = {
    (ComponentKind.BUILDER, "null"): f"{_BUILTIN}.builders.null:NullBuilder",
    (ComponentKind.BUILDER, "file"): f"{_BUILTIN}.builders.file:FileBuilder",
    (ComponentKind.BUILDER, "qemu"): f"{_BUILTIN}.builders.qemu:QemuBuilder",
    (ComponentKind.BUILDER, "docker"): f"{_BUILTIN}.builders.docker:DockerBuilder",
    (ComponentKind.PROVISIONER, "shell"): f"{_BUILTIN}.provisioners.shell:ShellProvisioner",
    (ComponentKind.PROVISIONER, "file"): f"{_BUILTIN}.provisioners.file:FileProvisioner",
    (ComponentKind.PROVISIONER, "shell-local"): f"{_BUILTIN}.provisioners.shell_local:ShellLocalProvisioner",
    (ComponentKind.PROVISIONER, "breakpoint"): f"{_BUILTIN}.provisioners.breakpoint:BreakpointProvisioner",
    (ComponentKind.PROVISIONER, "sleep"): f"{_BUILTIN}.provisioners.sleep:SleepProvisioner",
    (ComponentKind.POST_PROCESSOR, "manifest"): f"{_BUILTIN}.post_processors.manifest:ManifestPostProcessor",
    (ComponentKind.POST_PROCESSOR, "checksum"): f"{_BUILTIN}.post_processors.checksum:ChecksumPostProcessor",
    (ComponentKind.POST_PROCESSOR, "compress"): f"{_BUILTIN}.post_processors.compress:CompressPostProcessor",
    (ComponentKind.POST_PROCESSOR, "shell-local"): f"{_BUILTIN}.post_processors.shell_local:ShellLocalPostProcessor",
    (ComponentKind.POST_PROCESSOR, "artifice"): f"{_BUILTIN}.post_processors.artifice:ArtificePostProcessor",
    (ComponentKind.POST_PROCESSOR, "vmware-export"): f"{_BUILTIN}.exports.vmware:VMwareExportPostProcessor",
    (ComponentKind.POST_PROCESSOR, "virtualbox-export"): f"{_BUILTIN}.exports.virtualbox:VirtualBoxExportPostProcessor",
    (ComponentKind.POST_PROCESSOR, "hyperv-export"): f"{_BUILTIN}.exports.hyperv:HypervExportPostProcessor",
    (ComponentKind.POST_PROCESSOR, "vagrant"): f"{_BUILTIN}.exports.vagrant:VagrantPostProcessor",
    (ComponentKind.POST_PROCESSOR, "docker-import"): f"{_BUILTIN}.post_processors.docker.docker_import:DockerImportPostProcessor",
    (ComponentKind.POST_PROCESSOR, "docker-tag"): f"{_BUILTIN}.post_processors.docker.docker_tag:DockerTagPostProcessor",
    (ComponentKind.POST_PROCESSOR, "docker-save"): f"{_BUILTIN}.post_processors.docker.docker_save:DockerSavePostProcessor",
    (ComponentKind.POST_PROCESSOR, "docker-push"): f"{_BUILTIN}.post_processors.docker.docker_push:DockerPushPostProcessor",
    (ComponentKind.POST_PROCESSOR, "oci-layout"): f"{_BUILTIN}.post_processors.docker.oci_layout:OCILayoutPostProcessor",
    (ComponentKind.DATASOURCE, "null"): f"{_BUILTIN}.datasources.null:NullDatasource",
    (ComponentKind.DATASOURCE, "http"): f"{_BUILTIN}.datasources.http:HttpDatasource",
}
# fmt: on

_REGISTERED: dict[tuple[ComponentKind, str], type[Any]] = {}


def register(kind: ComponentKind | str, type_name: str, component_class: type[Any]) -> None:
    """Make `component_class` available as `type_name`, replacing a built-in of that name."""
    _REGISTERED[(ComponentKind(kind), type_name)] = component_class


def unregister(kind: ComponentKind | str, type_name: str) -> None:
    _REGISTERED.pop((ComponentKind(kind), type_name), None)


def lookup(kind: ComponentKind | str, type_name: str) -> type[Any] | None:
    """Return the component class for `type_name`, or None when no such component exists.

    A built-in whose module is not present (a component another part of kiln has yet to
    ship) counts as absent.
    """
    key = (ComponentKind(kind), type_name)
    if key in _REGISTERED:
        return _REGISTERED[key]
    location = _COMPONENTS.get(key)
    if location is None:
        return None
    module_name, _, class_name = location.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise
    return getattr(module, class_name, None)


def config_class_of(kind: ComponentKind | str, type_name: str) -> type[Any] | None:
    """Return the config dataclass of a component, or None when there is no such component."""
    component = lookup(kind, type_name)
    return None if component is None else component.config_class


def type_names(kind: ComponentKind | str) -> list[str]:
    """Return every known type name of `kind`, for "did you mean" suggestions and docs."""
    kind = ComponentKind(kind)
    names = {name for (entry_kind, name) in (*_COMPONENTS, *_REGISTERED) if entry_kind == kind}
    return sorted(names)
