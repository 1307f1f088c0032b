"""The body interface shared by HCL's native syntax and its JSON syntax.

A configuration is read through a schema: the caller names the attributes and block types it
expects, and the body returns what it found plus diagnostics for anything else. Both syntaxes
implement `Body`, so a `.pkr.json` file gives the same values and diagnostics as a `.pkr.hcl`
file for the same schema.

    content, diags = body.content(BodySchema(
        attributes=[AttributeSchema("name", required=True)],
        blocks=[BlockHeaderSchema("provisioner", label_names=("type",))],
    ))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from kiln.hcl.diagnostics import Diagnostics, Range


@dataclass(frozen=True, slots=True)
class AttributeSchema:
    name: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class BlockHeaderSchema:
    type: str
    label_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BodySchema:
    attributes: Sequence[AttributeSchema] = ()
    blocks: Sequence[BlockHeaderSchema] = ()


@runtime_checkable
class Expression(Protocol):
    """An expression of either syntax. `kiln.lang.eval.evaluate` computes its value."""

    @property
    def range(self) -> Range: ...

    def variables(self) -> list[Any]:
        """Return the absolute traversals (`var.x`, `local.y.z`) the expression refers to."""
        ...


@dataclass(slots=True)
class Attribute:
    name: str
    expr: Expression
    range: Range
    name_range: Range


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    body: Body
    def_range: Range
    type_range: Range
    label_ranges: list[Range] = field(default_factory=list)


@dataclass(slots=True)
class BodyContent:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    missing_item_range: Range | None = None

    def blocks_of_type(self, type_name: str) -> list[Block]:
        return [block for block in self.blocks if block.type == type_name]


@runtime_checkable
class Body(Protocol):
    """The contents of a file or a block, readable through a schema.

    `content` reports unexpected attributes and blocks as errors ("Unsupported argument",
    "Unsupported block type"), missing required attributes ("Missing required argument"),
    and wrong label counts. `partial_content` returns the rest as another body instead of
    reporting it. `just_attributes` reads a body that may hold only attributes, as `locals`
    and variable files do.
    """

    def content(self, schema: BodySchema) -> tuple[BodyContent, Diagnostics]: ...

    def partial_content(self, schema: BodySchema) -> tuple[BodyContent, Body, Diagnostics]: ...

    def just_attributes(self) -> tuple[dict[str, Attribute], Diagnostics]: ...

    def missing_item_range(self) -> Range: ...
