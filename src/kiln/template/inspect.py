"""The text of `inspect` for an HCL2 template: variables, locals and the build tree.

Values print as Packer prints them: strings as they are, other values in HCL syntax,
`<unknown>` for values not known yet and `<sensitive>` for each sensitive string, number or
bool, all of it then quoted as Go's `%q` quotes a string.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiln.template.config import PackerConfig

UNKNOWN = "<unknown>"
SENSITIVE = "<sensitive>"


def format_inspection(config: PackerConfig) -> list[str]:
    """Return the messages `inspect` prints, one per Ui line group."""
    return ["Packer Inspect: HCL2 mode\n", format_variables(config), format_builds(config)]


def format_variables(config: PackerConfig) -> str:
    lines = ["> input-variables:\n\n"]
    for name in sorted(config.variables):
        variable = config.variables[name]
        text = printable_value(variable.value(), sensitive=variable.sensitive)
        lines.append(f"var.{name}: {go_quote(text)}\n")
    lines.append("\n> local-variables:\n\n")
    for name in sorted(config.locals):
        local = config.locals[name]
        text = printable_value(local.value, sensitive=local.sensitive)
        lines.append(f"local.{name}: {go_quote(text)}\n")
    return "".join(lines)


def format_builds(config: PackerConfig) -> str:
    parts = ["> builds:\n"]
    for index, build in enumerate(config.builds):
        parts.append(f"\n  > {build.name or f'<unnamed build {index}>'}:\n")
        if build.description:
            parts.append(f"\n  > Description: {build.description}\n")
        parts.append("\n    sources:\n")
        if not build.sources:
            parts.append("\n      <no source>\n")
        for use in build.sources:
            parts.append(f"\n      {use.ref}\n")
        parts.append("\n    provisioners:\n\n")
        if not build.provisioners:
            parts.append("      <no provisioner>\n")
        for provisioner in build.provisioners:
            parts.append(f"      {_component_label(provisioner)}\n")
        parts.append("\n    post-processors:\n")
        if not build.post_processor_chains:
            parts.append("\n      <no post-processor>\n")
        for chain_index, chain in enumerate(build.post_processor_chains):
            parts.append(f"\n      {chain_index}:\n")
            for post_processor in chain:
                parts.append(f"        {_component_label(post_processor)}\n")
    return "".join(parts)


def _component_label(component: Any) -> str:
    return f"{component.type}.{component.name}" if component.name else component.type


def printable_value(value: Any, *, sensitive: bool = False) -> str:
    """Return a value as inspect shows it, before quoting."""
    if value is None or not value.is_wholly_known:
        return UNKNOWN
    bare, marks = value.unmark_deep()
    sensitive = sensitive or bool(marks)
    from kiln.lang.types import STRING

    if bare.type == STRING and not bare.is_null:
        return SENSITIVE if sensitive else bare.as_str()
    return hcl_value_text(bare, sensitive=sensitive, indent=0)


def hcl_value_text(value: Any, *, sensitive: bool, indent: int) -> str:
    """Return a value in HCL syntax, one element per line as the HCL formatter lays it out."""
    from kiln.lang.types import BOOL, STRING
    from kiln.lang.values import format_number

    if value.is_null:
        return "null"
    if value.type == STRING:
        return json.dumps(SENSITIVE if sensitive else value.as_str(), ensure_ascii=False)
    if sensitive and value.type.is_primitive():
        # Packer masks only sensitive strings here; kiln masks numbers and bools too.
        return SENSITIVE
    if value.type == BOOL:
        return "true" if value.as_bool() else "false"
    if value.type.is_primitive():
        return format_number(value.as_number())
    inner = "  " * (indent + 1)
    if value.type.is_map() or value.type.is_object():
        items = value.items()
        if not items:
            return "{}"
        lines = [
            f"{inner}{json.dumps(key, ensure_ascii=False)} = {hcl_value_text(item, sensitive=sensitive, indent=indent + 1)}"
            for key, item in items
        ]
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    elements = value.elements()
    if not elements:
        return "[]"
    lines = [f"{inner}{hcl_value_text(item, sensitive=sensitive, indent=indent + 1)}," for item in elements]
    return "[\n" + "\n".join(lines) + "\n" + "  " * indent + "]"


def go_quote(text: str) -> str:
    """Quote a string as Go's `%q` verb does, for printable text."""
    quoted = json.dumps(text, ensure_ascii=False)
    # JSON writes control characters as \\u00XX; Go writes \\x00 for those below 0x20.
    return quoted.replace("\\u00", "\\x")
