"""How a component declares its configuration.

Each builder, provisioner, post-processor and data source declares its options as a dataclass.
The template layer derives the HCL schema from it, decodes HCL, HCL-JSON and legacy JSON into an
instance, and reports an unknown or mistyped option as a diagnostic on its own source range.
The same declarations generate the reference pages in `docs/`.

    @dataclass
    class Config:
        inline: list[str] = option(default_factory=list, doc="Commands to run, one per element.")
        timeout: Duration | None = option(default=None, doc="Give up after this long, e.g. `5m`.")

Python field types map to HCL types: `str` string, `int`/`float` number, `bool` bool,
`list[T]` list(T), `dict[str, T]` map(T), `Any` any value, `Duration` a Go duration string
(`"1h2m3s"`), `Path` a string naming a local file. A field whose type is another dataclass is a
nested block (`list[Dataclass]` for a repeated block); with `squash=True` its fields appear at
the parent's level instead, as Packer embeds shared settings such as the communicator's.

Validation that decoding cannot express is the component's `prepare`, which reports problems
with `ConfigProblem` naming the option's path, so they too are shown at the option's range.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import MISSING, dataclass
from typing import Any


class Duration(float):
    """A time span in seconds, written in configuration as a Go duration such as `1m30s`."""

    _UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    _PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse a Go duration string (`"300ms"`, `"-1.5h"`, `"2h45m"`); raise ValueError if invalid."""
        body = text.strip()
        sign = 1.0
        if body[:1] in "+-" and body:
            sign = -1.0 if body[0] == "-" else 1.0
            body = body[1:]
        if body == "0":
            return cls(0.0)
        position = 0
        total = 0.0
        while position < len(body):
            match = cls._PART.match(body, position)
            if match is None:
                raise ValueError(f'time: invalid duration "{text}"')
            total += float(match.group(1)) * cls._UNITS[match.group(2)]
            position = match.end()
        if not body:
            raise ValueError(f'time: invalid duration "{text}"')
        return cls(sign * total)

    def __str__(self) -> str:
        return format_duration(float(self))


def format_duration(seconds: float) -> str:
    """Format seconds as Go's time.Duration.String does (`1m30s`, `1.5s`, `0s`)."""
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    remaining = abs(seconds)
    if remaining < 1:
        for unit, size in (("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
            if remaining >= size:
                return f"{sign}{_trim(remaining / size)}{unit}"
        return f"{sign}{_trim(remaining / 1e-9)}ns"
    hours, remaining = divmod(remaining, 3600)
    minutes, remaining = divmod(remaining, 60)
    text = ""
    if hours:
        text += f"{int(hours)}h"
    if hours or minutes:
        text += f"{int(minutes)}m"
    return f"{sign}{text}{_trim(remaining)}s"


def _trim(number: float) -> str:
    return f"{round(number, 9):.9f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class OptionInfo:
    """The declaration `option()` records for a configuration field beyond its Python type."""

    doc: str = ""
    name: str | None = None  # the option's name in templates when it differs from the field name
    required: bool = False
    squash: bool = False  # a nested dataclass whose fields sit at the parent's level
    sensitive: bool = False  # mask the value in all output (passwords, tokens)
    deprecated: str = ""  # what to use instead; shown in docs and warned about when set
    docs_section: str = ""  # heading the option is listed under in the reference page


def option(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    doc: str = "",
    name: str | None = None,
    required: bool = False,
    squash: bool = False,
    sensitive: bool = False,
    deprecated: str = "",
    docs_section: str = "",
) -> Any:
    """Declare a configuration field with its documentation and template name."""
    info = OptionInfo(doc, name, required, squash, sensitive, deprecated, docs_section)
    if default is MISSING and default_factory is MISSING and not required:
        default = None
    kwargs: dict[str, Any] = {"metadata": {"kiln": info}}
    if default_factory is not MISSING:
        kwargs["default_factory"] = default_factory
    elif default is not MISSING:
        kwargs["default"] = default
    return dataclasses.field(**kwargs)


@dataclass(frozen=True, slots=True)
class ConfigField:
    """One option of a component: its template name, Python type and declaration."""

    name: str
    attribute: str  # the dataclass field name
    type: Any
    info: OptionInfo
    default: Any


def option_info(field: dataclasses.Field[Any]) -> OptionInfo:
    return field.metadata.get("kiln", OptionInfo())


def config_fields(config_class: type) -> Iterator[ConfigField]:
    """Yield the options of a config dataclass in declaration order, squashed fields flattened."""
    return iter(_config_fields(config_class))


@functools.cache
def _config_fields(config_class: type) -> tuple[ConfigField, ...]:
    # Resolving string annotations is slow and decoding requests the same classes many times,
    # so each class is inspected once. Defaults from factories are made once here too, which
    # is safe because ConfigField.default is only read, never mutated.
    hints = typing.get_type_hints(config_class)
    fields: list[ConfigField] = []
    for field in dataclasses.fields(config_class):
        info = option_info(field)
        field_type = hints[field.name]
        if info.squash:
            fields.extend(_config_fields(field_type))
            continue
        default: Any = MISSING
        if field.default is not MISSING:
            default = field.default
        elif field.default_factory is not MISSING:
            default = field.default_factory()
        fields.append(ConfigField(info.name or field.name, field.name, field_type, info, default))
    return tuple(fields)


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """A problem `prepare` found in a decoded configuration, at an option's path.

    `path` names the option as written in the template, with nested blocks and indexes as
    further elements, e.g. `("boot_command",)` or `("cd_files", 2)`. An empty path means the
    whole component block.
    """

    path: tuple[str | int, ...]
    message: str
    severity: str = "error"  # or "warning"


class ConfigProblems(Exception):
    """Raised by `prepare` with every problem it found, not just the first."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))
