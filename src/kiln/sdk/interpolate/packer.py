"""Packer's template functions (`user`, `env`, `isotime`, `build`, ...) and rendering of options.

Legacy JSON templates and some component options (`execute_command`, `boot_command`, output
paths) are Go templates rendered with Packer's function set and a data object. `Context`
contains the data the functions read. `render` renders one string, and `render_tree` renders
every string in a configuration (dicts, lists, dataclasses).

    context = Context(user_variables={"name": "web"}, data={"HTTPPort": 8080})
    render("{{ user `name` }}:{{ .HTTPPort }}", context)  # 'web:8080'
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiln import PACKER_COMPAT_VERSION
from kiln.lang.gotime import RFC3339, format_go_time
from kiln.sdk.interpolate.gotemplate import Function, Template, TemplateError, parse

# The value Packer gives generated-data keys while preparing components, before a builder ran.
PLACEHOLDER_MESSAGE = "Build_{key}. To set this dynamically in the Packer template, you must use the `build` function"

# Process start, so every `timestamp` and `isotime` in one run agrees, as in Packer.
_START = time.time()


def time_ordered_uuid() -> str:
    """Return a UUID whose first fields are the current time, as Packer's `uuid` function does."""
    nanos = time.time_ns()
    tail = uuid.uuid4().hex
    return f"{nanos >> 32:08x}-{(nanos >> 16) & 0xFFFF:04x}-{nanos & 0xFFFF:04x}-{tail[:4]}-{tail[4:16]}"


@dataclass(slots=True)
class Context:
    """The data Packer's template functions may read while rendering."""

    data: Any = None  # dot: generated data or a component's own fields
    user_variables: Mapping[str, str] = field(default_factory=dict)
    build_name: str = ""
    build_type: str = ""
    template_dir: str = ""
    enable_env: bool = False  # `env` and secret look-ups are allowed only in variable defaults
    extra_functions: Mapping[str, Function] = field(default_factory=dict)


def _check_types(*pairs: tuple[Any, type]) -> None:
    """Raise TemplateError for an argument of the wrong type, as Go's template engine does."""
    for value, expected in pairs:
        if isinstance(value, expected) and not isinstance(value, bool):
            continue
        name = "integer" if expected is int else "string"
        raise TemplateError(f"expected {name}; found {value!r}")


def _split(text: str, separator: str, index: int) -> str:
    _check_types((text, str), (separator, str), (index, int))
    parts = text.split(separator)
    if index >= len(parts):
        raise TemplateError(
            f"the substring {index} was unavailable using the separator value, {separator}, "
            f"only {len(parts)} values were found"
        )
    return parts[index]


def _replace(old: str, new: str, count: int, text: str) -> str:
    _check_types((old, str), (new, str), (count, int), (text, str))
    return text.replace(old, new, count if count >= 0 else -1)


def functions(context: Context) -> dict[str, Function]:
    """Return Packer's template functions bound to `context`."""

    def user(name: str) -> str:
        if name in context.user_variables:
            return str(context.user_variables[name])
        if context.enable_env:
            raise TemplateError(f"variable {name} not set")
        return ""

    def env(name: str) -> str:
        if not context.enable_env:
            raise TemplateError("env vars are not allowed here")
        return os.environ.get(name, "")

    def isotime(*layout: str) -> str:
        moment = datetime.fromtimestamp(_START, UTC)
        return format_go_time(moment, layout[0] if layout else RFC3339)

    def strftime(layout: str) -> str:
        from kiln.lang.functions._gotime import strftime as go_strftime

        # Packer formats with the jehiah/go-strftime package, whose directives differ from C's.
        return go_strftime(layout, datetime.fromtimestamp(_START, UTC))

    def build_name() -> str:
        if not context.build_name:
            raise TemplateError("build_name not available")
        return context.build_name

    def build_type() -> str:
        if not context.build_type:
            raise TemplateError("build_type not available")
        return context.build_type

    def template_dir() -> str:
        if not context.template_dir:
            raise TemplateError("template path not available")
        return context.template_dir

    def build(key: str) -> str:
        data = context.data
        if not isinstance(data, Mapping):
            raise TemplateError(f"Couldn't find build data {key}")
        if key not in data:
            raise TemplateError(f"loaded data, but couldnt find {key} in it")
        value = str(data[key])
        # Before the builder ran, keep the reference so a later pass can fill it in.
        return "{{.%s}}" % key if value == PLACEHOLDER_MESSAGE.format(key=key) else value

    def unavailable(name: str) -> Callable[..., str]:
        def call(*args: Any) -> str:
            if not context.enable_env:
                raise TemplateError(f"{name} is not allowed here")
            raise TemplateError(f"{name} is not configured: kiln does not reach secret stores from legacy JSON templates")

        return call

    def sed(*args: Any) -> str:
        raise TemplateError("The sed function is no longer available; use replace or replace_all instead")

    table: dict[str, Function] = {
        "user": user,
        "env": env,
        "timestamp": lambda: str(int(_START)),
        "isotime": isotime,
        "strftime": strftime,
        "uuid": time_ordered_uuid,
        "build_name": build_name,
        "build_type": build_type,
        "template_dir": template_dir,
        "pwd": os.getcwd,
        "packer_version": lambda: PACKER_COMPAT_VERSION,
        "split": _split,
        "replace": _replace,
        "replace_all": lambda old, new, text: text.replace(old, new),
        "lower": str.lower,
        "upper": str.upper,
        "build": build,
        "consul_key": unavailable("consul_key"),
        "vault": unavailable("vault"),
        "aws_secretsmanager": unavailable("aws_secretsmanager"),
        "aws_secretsmanager_raw": unavailable("aws_secretsmanager_raw"),
        "sed": sed,
    }
    table.update(context.extra_functions)
    return table


def render(text: str, context: Context, *, missing_key: str = "default") -> str:
    """Render one Go template string with Packer's functions; TemplateError when it fails."""
    if "{{" not in text:
        return text
    return parse(text).execute(context.data, functions(context), missing_key=missing_key)


class _DataBeforeBuild(Mapping[str, Any]):
    """Template data while preparing, before a builder ran: reading any of it fails."""

    def __getitem__(self, key: str) -> Any:
        raise TemplateError(f"{key} is not known until the build runs")

    def __contains__(self, key: object) -> bool:
        raise TemplateError(f"{key} is not known until the build runs")

    def __iter__(self) -> Any:
        raise TemplateError("generated data is not known until the build runs")

    def __len__(self) -> int:
        raise TemplateError("generated data is not known until the build runs")


def render_before_build(text: str, context: Context) -> str:
    """Render `text` while preparing, if it reads no generated data; else return it unchanged.

    `context.data` is ignored. A template that reads generated data (`{{ .Host }}`,
    `{{ build `ID` }}`), fails, or renders to text containing `{{` comes back as it was, so
    the engine renders it once the builder ran, with the same result it would have had.
    """
    if "{{" not in text:
        return text
    preparing = dataclasses.replace(context, data=_DataBeforeBuild())
    try:
        template = _parse_cached(text)
        rendered = template.execute(preparing.data, functions(preparing), missing_key="error")
    except TemplateError:
        return text
    return text if "{{" in rendered else rendered


@functools.lru_cache(maxsize=512)
def _parse_cached(text: str) -> Template:
    # Build plans decode each component once per source, so the same option text recurs.
    return parse(text)


def render_tree(value: Any, context: Context, *, skip: frozenset[str] = frozenset()) -> Any:
    """Render every string inside `value` (dicts, lists, tuples, dataclasses), returning a copy.

    Fields or keys named in `skip` are left as they are: options such as `execute_command`
    are rendered later, when the component has its own data.
    """
    if isinstance(value, str):
        return render(value, context)
    if isinstance(value, Mapping):
        return {key: item if key in skip else render_tree(item, context, skip=skip) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(render_tree(item, context, skip=skip) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: render_tree(getattr(value, f.name), context, skip=skip)
            for f in dataclasses.fields(value)
            if f.name not in skip and f.init
        }
        return dataclasses.replace(value, **changes)
    return value
