"""Go templates in component options, rendered with the builder's generated data just before use.

The template layer leaves `{{ .Host }}` and `{{ build `Host` }}` in configurations (HCL's
`build.Host` is decoded again with the real value instead). Before a provisioner or
post-processor runs, kiln renders every string option with Packer's template functions and
the generated data. Options a component renders itself with its own data (`execute_command`
with `{{ .Path }}`) are listed in its `render_exclude` and left alone.

    render_config(config, RenderData({"Host": "10.0.2.15"}, build_name="base"))

A string that does not render as a whole (it names data kiln does not have) keeps every
placeholder it could not fill, so a component can still render it later.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiln.sdk.interpolate.gotemplate import TemplateError
from kiln.sdk.interpolate.packer import Context, render

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{\{-?\s*(?:\.(\w+)|build\s+[`\"](\w+)[`\"])\s*-?\}\}")


@dataclass
class RenderData:
    """Data for placeholders: generated data (`.Host`) and the build's names and variables."""

    data: dict[str, Any]
    build_name: str = ""
    build_type: str = ""
    user_variables: Mapping[str, str] = field(default_factory=dict)


def render_text(text: str, values: RenderData) -> str:
    """Render one string; on a template error, fill only the simple placeholders of known keys."""
    if "{{" not in text:
        return text
    context = Context(
        data=values.data,
        user_variables=values.user_variables,
        build_name=values.build_name,
        build_type=values.build_type,
    )
    try:
        return render(text, context, missing_key="error")
    except TemplateError as error:
        logger.debug("rendering %r partially: %s", text, error)
        return _render_known(text, values.data)


def _render_known(text: str, data: dict[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1) or match.group(2)
        return str(data[key]) if key in data else match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def render_value(value: Any, values: RenderData) -> Any:
    if isinstance(value, str):
        return render_text(value, values)
    if isinstance(value, list):
        return [render_value(item, values) for item in value]
    if isinstance(value, tuple):
        return tuple(render_value(item, values) for item in value)
    if isinstance(value, dict):
        return {key: render_value(item, values) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return render_config(value, values)
    return value


def render_config(config: Any, values: RenderData, exclude: frozenset[str] = frozenset()) -> Any:
    """Return a copy of the config dataclass with every string rendered, except fields in `exclude`."""
    if not dataclasses.is_dataclass(config):
        return config
    changes = {
        item.name: render_value(getattr(config, item.name), values)
        for item in dataclasses.fields(config)
        if item.init and item.name not in exclude
    }
    return dataclasses.replace(config, **changes)
