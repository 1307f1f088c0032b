"""Rows for the commands that only read templates: validate and its syntax-only mode."""

from __future__ import annotations

import json
from pathlib import Path

from rows import Commands, Row, kiln_command, packer_command, quiet_env


def generate_hcl_template(variables: int = 150, sources: int = 4, provisioners: int = 10) -> str:
    """Return an HCL2 template of about 1,000 lines that Packer 1.6.6 and kiln both accept.

    Most lines are variables and locals. Sources and provisioners stay few because Packer
    1.6.6 starts a plug-in process for every provisioner of every build while validating:
    a template with 60 sources and 60 provisioners made it start thousands of processes.
    """
    parts: list[str] = []
    for index in range(variables):
        parts.append(
            f'variable "name_{index}" {{\n  type        = string\n  default     = "value-{index}"\n'
            f'  description = "Name number {index}"\n}}\n'
        )
    parts.append("locals {\n")
    for index in range(variables):
        parts.append(f'  label_{index} = "${{var.name_{index}}}-${{upper("x{index}")}}"\n')
    parts.append("}\n")
    for index in range(sources):
        parts.append(f'source "null" "s{index}" {{\n  communicator = "none"\n}}\n')
    parts.append("build {\n  sources = [\n")
    parts.extend(f'    "source.null.s{index}",\n' for index in range(sources))
    parts.append("  ]\n")
    for index in range(provisioners):
        parts.append(
            f'  provisioner "shell-local" {{\n    inline = [\n      "echo ${{local.label_{index}}}",\n'
            f'      "echo {index} > /dev/null",\n    ]\n  }}\n'
        )
    parts.append("}\n")
    return "".join(parts)


def generate_json_template(builders: int = 4) -> dict:
    return {
        "variables": {f"name_{index}": f"value-{index}" for index in range(builders)},
        "builders": [{"type": "null", "name": f"b{index}", "communicator": "none"} for index in range(builders)],
        "provisioners": [
            {"type": "shell-local", "inline": [f"echo {{{{ user `name_{index}` }}}}"]} for index in range(builders)
        ],
    }


def _hcl(arguments: list[str]):
    def prepare(folder: Path) -> Commands:
        (folder / "bench.pkr.hcl").write_text(generate_hcl_template())
        return Commands(
            kiln_command() + arguments + ["bench.pkr.hcl"],
            packer_command() + arguments + ["bench.pkr.hcl"],
            quiet_env(),
        )

    return prepare


def _json(folder: Path) -> Commands:
    (folder / "bench.json").write_text(json.dumps(generate_json_template(), indent=2))
    return Commands(kiln_command() + ["validate", "bench.json"], packer_command() + ["validate", "bench.json"], quiet_env())


def _version(folder: Path) -> Commands:
    return Commands(kiln_command() + ["version"], packer_command() + ["version"], quiet_env())


ROWS = [
    Row("validate -syntax-only, 1,000-line HCL2", _hcl(["validate", "-syntax-only"])),
    Row("validate, 1,000-line HCL2", _hcl(["validate"])),
    Row("validate, legacy JSON with 4 builders", _json),
    Row("version (process start)", _version),
]
