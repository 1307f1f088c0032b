"""The `required_plugins` block: which plug-ins a template needs, by local name."""

from __future__ import annotations

from dataclasses import dataclass

from kiln.hcl.diagnostics import Diagnostics, error
from kiln.hcl.schema import Block


@dataclass(frozen=True, slots=True)
class PluginRequirement:
    name: str  # the local name, which prefixes the plug-in's component types
    source: str  # e.g. "github.com/hashicorp/qemu"
    version: str  # a version constraint such as "~> 1.2"


def decode_required_plugins(block: Block) -> tuple[dict[str, PluginRequirement], Diagnostics]:
    """Read `required_plugins { NAME = { source = "...", version = "..." } }`."""
    from kiln.template.values import static_value

    attributes, problems = block.body.just_attributes()
    diagnostics = Diagnostics(problems)
    requirements: dict[str, PluginRequirement] = {}
    for name, attribute in sorted(attributes.items(), key=lambda item: item[1].range.start.byte):
        value, problems = static_value(attribute.expr)
        diagnostics.extend(problems)
        if problems.has_errors():
            continue
        value = value.unmark_deep()[0]
        if not (value.type.is_object() or value.type.is_map()) or not value.is_known or value.is_null:
            diagnostics.append(
                error(
                    "Invalid required_plugins entry",
                    f'The entry "{name}" must be an object with "source" and "version", for example '
                    '{ source = "github.com/hashicorp/qemu", version = ">= 1.0" }.',
                    attribute.expr.range,
                )
            )
            continue
        entry = dict(value.items())
        source = entry["source"].as_str() if "source" in entry else ""
        version = entry["version"].as_str() if "version" in entry else ""
        problem = _source_problem(source)
        if problem:
            diagnostics.append(error("Invalid plugin source", problem, attribute.expr.range))
            continue
        requirements[name] = PluginRequirement(name, source, version)
    return requirements, diagnostics


def _source_problem(source: str) -> str:
    parts = source.split("/")
    if len(parts) < 3 or not all(parts):
        return (
            f'The source "{source}" is not a full plugin address. Write HOST/NAMESPACE/NAME, '
            'for example "github.com/hashicorp/qemu".'
        )
    return ""
