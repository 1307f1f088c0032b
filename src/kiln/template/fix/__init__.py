"""`fix`: rewrite options of legacy JSON templates that older Packer releases accepted.

Each fixer takes the decoded template and returns it changed, as Packer's fixers do; they run
in a fixed order and each is safe to run on an already fixed template.

    fixed = fix_template(json.loads(text))
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

Template = dict[str, Any]


def _builders(template: Template, prefix: str = "") -> Iterator[dict[str, Any]]:
    for builder in template.get("builders") or []:
        if isinstance(builder, dict) and str(builder.get("type", "")).startswith(prefix):
            yield builder


def _post_processors(template: Template) -> Iterator[dict[str, Any]]:
    for entry in template.get("post-processors") or []:
        for member in entry if isinstance(entry, list) else [entry]:
            if isinstance(member, dict):
                yield member


def _rename(component: dict[str, Any], old: str, new: str) -> None:
    if old in component:
        value = component.pop(old)
        component.setdefault(new, value)


def fix_iso_md5(template: Template) -> Template:
    """`iso_md5` becomes `iso_checksum` with type md5."""
    for builder in _builders(template):
        if "iso_md5" in builder:
            builder["iso_checksum"] = builder.pop("iso_md5")
            builder["iso_checksum_type"] = "md5"
    return template


def fix_iso_checksum_type_and_url(template: Template) -> Template:
    """`iso_checksum_type` + `iso_checksum` become `type:value`; `iso_checksum_url` becomes `file:url`."""
    for builder in _builders(template):
        checksum_type = builder.pop("iso_checksum_type", None)
        url = builder.pop("iso_checksum_url", None)
        if url:
            builder["iso_checksum"] = f"file:{url}"
        elif checksum_type == "none":
            builder["iso_checksum"] = "none"
        elif checksum_type and builder.get("iso_checksum"):
            builder["iso_checksum"] = f"{checksum_type}:{builder['iso_checksum']}"
    return template


def fix_qemu_host_port(template: Template) -> Template:
    """`ssh_host_port_min/max` of qemu builders become `host_port_min/max`."""
    for builder in _builders(template, "qemu"):
        _rename(builder, "ssh_host_port_min", "host_port_min")
        _rename(builder, "ssh_host_port_max", "host_port_max")
    return template


def fix_ssh_key_path(template: Template) -> Template:
    for builder in _builders(template):
        _rename(builder, "ssh_key_path", "ssh_private_key_file")
    return template


def fix_ssh_disable_agent(template: Template) -> Template:
    for builder in _builders(template):
        _rename(builder, "ssh_disable_agent", "ssh_disable_agent_forwarding")
    return template


def fix_ssh_wait_timeout(template: Template) -> Template:
    for builder in _builders(template):
        _rename(builder, "ssh_wait_timeout", "ssh_timeout")
    return template


def fix_manifest_filename(template: Template) -> Template:
    for post_processor in _post_processors(template):
        if post_processor.get("type") == "manifest":
            _rename(post_processor, "filename", "output")
    return template


def fix_docker_email(template: Template) -> Template:
    """Docker registries dropped e-mail logins; the option is removed."""
    for builder in _builders(template, "docker"):
        builder.pop("login_email", None)
    for post_processor in _post_processors(template):
        if str(post_processor.get("type", "")).startswith("docker"):
            post_processor.pop("login_email", None)
    return template


def fix_create_time(template: Template) -> Template:
    """`{{.CreateTime}}` in amazon `ami_name` becomes `{{timestamp}}`."""
    for builder in _builders(template, "amazon"):
        if isinstance(builder.get("ami_name"), str):
            builder["ami_name"] = builder["ami_name"].replace("{{.CreateTime}}", "{{timestamp}}")
    return template


def fix_galaxy_command(template: Template) -> Template:
    for provisioner in template.get("provisioners") or []:
        if isinstance(provisioner, dict) and provisioner.get("type") == "ansible":
            _rename(provisioner, "galaxycommand", "galaxy_command")
    return template


# In the order Packer applies them.
FIXERS: dict[str, Callable[[Template], Template]] = {
    "iso-md5": fix_iso_md5,
    "createtime": fix_create_time,
    "sshkeypath": fix_ssh_key_path,
    "sshdisableagent": fix_ssh_disable_agent,
    "manifest-filename": fix_manifest_filename,
    "docker-email": fix_docker_email,
    "iso-checksum-type-and-url": fix_iso_checksum_type_and_url,
    "qemu-host-port": fix_qemu_host_port,
    "galaxy-command": fix_galaxy_command,
    "ssh-wait-timeout": fix_ssh_wait_timeout,
}


def fix_template(template: Template) -> Template:
    fixed = copy.deepcopy(template)
    for fixer in FIXERS.values():
        fixed = fixer(fixed)
    return fixed


def dump_json(template: Template) -> str:
    """Serialise as Go's json.MarshalIndent does: sorted keys, two spaces, HTML characters escaped."""
    text = json.dumps(template, indent=2, sort_keys=True, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text
