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
from typing import Any, Protocol, runtime_checkable

from kiln.hcl.diagnostics import Diagnostics, Range
from kiln.hcl.record import Record


class AttributeSchema(Record):
    name: str
    required: bool

    __slots__ = ("name", "required")

    def __init__(self, name: str, required: bool = False) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "required", required)

    __setattr__ = Record._reject_assignment
    __hash__ = Record._field_hash


class BlockHeaderSchema(Record):
    type: str
    label_names: tuple[str, ...]

    __slots__ = ("label_names", "type")

    def __init__(self, type: str, label_names: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "label_names", label_names)

    __setattr__ = Record._reject_assignment
    __hash__ = Record._field_hash


class BodySchema(Record):
    attributes: Sequence[AttributeSchema]
    blocks: Sequence[BlockHeaderSchema]

    __slots__ = ("attributes", "blocks")

    def __init__(
        self,
        attributes: Sequence[AttributeSchema] = (),
        blocks: Sequence[BlockHeaderSchema] = (),
    ) -> None:
        object.__setattr__(self, "attributes", attributes)
        object.__setattr__(self, "blocks", blocks)

    __setattr__ = Record._reject_assignment
    __hash__ = Record._field_hash


@runtime_checkable
class Expression(Protocol):
    """An expression of either syntax. `kiln.lang.eval.evaluate` computes its value."""

    @property
    def range(self) -> Range: ...

    def variables(self) -> list[Any]:
        """Return the absolute traversals (`var.x`, `local.y.z`) the expression refers to."""
        ...


class Attribute(Record):
    name: str
    expr: Expression
    range: Range
    name_range: Range

    __slots__ = ("expr", "name", "name_range", "range")

    def __init__(self, name: str, expr: Expression, range: Range, name_range: Range) -> None:
        self.name = name
        self.expr = expr
        self.range = range
        self.name_range = name_range


class Block(Record):
    type: str
    labels: list[str]
    body: Body
    def_range: Range
    type_range: Range
    label_ranges: list[Range]

    __slots__ = ("body", "def_range", "label_ranges", "labels", "type", "type_range")

    def __init__(
        self,
        type: str,
        labels: list[str],
        body: Body,
        def_range: Range,
        type_range: Range,
        label_ranges: list[Range] | None = None,
    ) -> None:
        self.type = type
        self.labels = labels
        self.body = body
        self.def_range = def_range
        self.type_range = type_range
        self.label_ranges = [] if label_ranges is None else label_ranges


class BodyContent(Record):
    attributes: dict[str, Attribute]
    blocks: list[Block]
    missing_item_range: Range | None

    __slots__ = ("attributes", "blocks", "missing_item_range")

    def __init__(
        self,
        attributes: dict[str, Attribute] | None = None,
        blocks: list[Block] | None = None,
        missing_item_range: Range | None = None,
    ) -> None:
        self.attributes = {} if attributes is None else attributes
        self.blocks = [] if blocks is None else blocks
        self.missing_item_range = missing_item_range

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
