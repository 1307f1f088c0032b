"""Placeholders for values known only while a build runs, rendered into component configs.

The template layer leaves `{{ .Host }}` and `{{ build `Host` }}` in configurations (HCL's
`build.Host` arrives in the same form). Just before a provisioner or post-processor runs, kiln
replaces the placeholders naming generated data. Any other `{{ ... }}` is left untouched,
because components such as `shell` render their own (`{{ .Path }}`, `{{ .Vars }}`).

    render_config(config, {"Host": "10.0.2.15"})

TODO: hand whole strings to the template layer's Go-template engine once it ships, so
functions and pipelines inside these placeholders work too.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{-?\s*(?:\.(\w+)|build\s+[`\"](\w+)[`\"])\s*-?\}\}")


def render_text(text: str, data: dict[str, Any]) -> str:
    """Replace placeholders of keys in `data`; leave every other `{{ }}` as written."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1) or match.group(2)
        if key not in data:
            return match.group(0)
        return str(data[key])

    if "{{" not in text:
        return text
    return _PLACEHOLDER.sub(replace, text)


def render_value(value: Any, data: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return render_text(value, data)
    if isinstance(value, list):
        return [render_value(item, data) for item in value]
    if isinstance(value, tuple):
        return tuple(render_value(item, data) for item in value)
    if isinstance(value, dict):
        return {key: render_value(item, data) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return render_config(value, data)
    return value


def render_config(config: Any, data: dict[str, Any]) -> Any:
    """Return a copy of the config dataclass with placeholders rendered in every string."""
    changes = {
        field.name: render_value(getattr(config, field.name), data)
        for field in dataclasses.fields(config)
        if field.init
    }
    return dataclasses.replace(config, **changes)
