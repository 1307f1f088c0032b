"""The JSON value tree that the parser builds: every value keeps its source range.

Objects keep their properties as an ordered list, duplicates included, because HCL's JSON
syntax gives meaning to repeated names (several blocks of one type) and reports duplicate
arguments only when a body is read through a schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiln.hcl.diagnostics import Range


@dataclass(slots=True)
class StringValue:
    value: str
    range: Range

    def start_range(self) -> Range:
        return self.range


@dataclass(slots=True)
class NumberValue:
    """A JSON number, kept exactly as a `Decimal` (HCL numbers have arbitrary precision)."""

    value: Decimal
    range: Range

    def start_range(self) -> Range:
        return self.range


@dataclass(slots=True)
class BoolValue:
    value: bool
    range: Range

    def start_range(self) -> Range:
        return self.range


@dataclass(slots=True)
class NullValue:
    range: Range

    def start_range(self) -> Range:
        return self.range


@dataclass(slots=True)
class InvalidValue:
    """A placeholder for a value the parser could not read; a diagnostic explains why."""

    range: Range

    def start_range(self) -> Range:
        return self.range


@dataclass(slots=True)
class ObjectProperty:
    name: str
    value: Node
    name_range: Range

    @property
    def range(self) -> Range:
        return Range.between(self.name_range, self.value.range)


@dataclass(slots=True)
class ObjectValue:
    properties: list[ObjectProperty]
    range: Range
    open_range: Range
    close_range: Range

    def start_range(self) -> Range:
        return self.open_range


@dataclass(slots=True)
class ArrayValue:
    values: list[Node]
    range: Range
    open_range: Range
    close_range: Range

    def start_range(self) -> Range:
        return self.open_range


Node = StringValue | NumberValue | BoolValue | NullValue | InvalidValue | ObjectValue | ArrayValue


def go_quote(text: str) -> str:
    """Quote a name as Go's %q does, which is how hcl's messages show names."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def go_range(span: Range) -> str:
    """Write a range as hcl's Range.String does: `file:4,22-36` within one line."""
    start, end = span.start, span.end
    if start.line == end.line:
        return f"{span.filename}:{start.line},{start.column}-{end.column}"
    return f"{span.filename}:{start.line},{start.column}-{end.line},{end.column}"
