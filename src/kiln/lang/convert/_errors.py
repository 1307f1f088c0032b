"""Conversion errors and the paths that locate the failing element."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from kiln.lang.types import NUMBER
from kiln.lang.values import Value, format_number

# Paths and errors.


@dataclass(frozen=True)
class GetAttrStep:
    """A path step into an object attribute."""

    name: str


@dataclass(frozen=True)
class IndexStep:
    """A path step into a collection or tuple element; `key` is a number or string value."""

    key: Value


PathStep: TypeAlias = GetAttrStep | IndexStep
Path: TypeAlias = tuple[PathStep, ...]


def format_path(path: Path) -> str:
    """Write a path as HCL traversal syntax: ``.tags["env"][0]``."""
    parts = []
    for step in path:
        if isinstance(step, GetAttrStep):
            parts.append(f".{step.name}")
        elif step.key.type == NUMBER:
            parts.append(f"[{format_number(step.key.as_number())}]")
        else:
            parts.append(f'["{step.key.as_str()}"]')
    return "".join(parts)


class ConversionError(ValueError):
    """A value that cannot be converted to the requested type.

    `message` is cty's wording, such as "a number is required". `path` leads from the
    converted value to the element at fault. It is empty when the value itself is at fault.
    """

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


Conversion: TypeAlias = Callable[[Value], Value]
# A conversion that also takes the path of the value, for error messages.
PathConversion: TypeAlias = Callable[[Value, Path], Value]
