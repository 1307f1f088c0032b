"""Schema-driven decoding of a body into one value, as hcl's hcldec package does.

A `Spec` tree describes the value to build: `ObjectSpec` of named parts, `AttrSpec` for an
argument converted to a type, `BlockSpec`/`BlockListSpec`/`BlockSetSpec`/`BlockMapSpec` for
nested blocks, `BlockAttrsSpec` for a block of free-form arguments, `LiteralSpec`,
`DefaultSpec` and `TransformSpec`. `decode` reads the body through the schema the spec implies,
so unexpected arguments and blocks are errors, and returns the value with its diagnostics.

    spec = ObjectSpec({"name": AttrSpec("name", STRING, required=True)})
    value, diags = decode(body, spec, EvalContext({}))

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.hcl.schema import AttributeSchema, Block, BlockHeaderSchema, Body, BodyContent, BodySchema
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert, unify
from kiln.lang.eval import EvalContext, evaluate

__all__ = [
    "AttrSpec",
    "BlockAttrsSpec",
    "BlockLabelSpec",
    "BlockListSpec",
    "BlockMapSpec",
    "BlockSetSpec",
    "BlockSpec",
    "BlockTupleSpec",
    "DefaultSpec",
    "LiteralSpec",
    "ObjectSpec",
    "Spec",
    "TransformSpec",
    "TupleSpec",
    "decode",
    "implied_schema",
    "partial_decode",
    "source_range",
    "spec_variables",
]


class Spec:
    """A part of the value to decode. Subclasses implement the three hooks below."""

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        raise NotImplementedError

    def implied_type(self) -> T.Type:
        raise NotImplementedError

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        """Return the arguments and block types this spec reads from the body it decodes."""
        return [], []

    def children(self) -> Sequence[Spec]:
        return ()


def implied_schema(spec: Spec) -> BodySchema:
    """Return the body schema that every part of `spec` reads together."""
    attributes, blocks = spec.schema_items()
    return BodySchema(attributes=attributes, blocks=blocks)


def decode(body: Body, spec: Spec, ctx: EvalContext | None = None) -> tuple[V.Value, Diagnostics]:
    """Decode `body` into one value of the shape `spec` describes."""
    return _decode_body(body, spec, ctx, ())


def partial_decode(
    body: Body, spec: Spec, ctx: EvalContext | None = None
) -> tuple[V.Value, Body, Diagnostics]:
    """Decode what `spec` names from `body` and return the rest of the body for other readers."""
    content, remain, diags = body.partial_content(implied_schema(spec))
    value, value_diags = spec.decode(content, (), ctx)
    diags.extend(value_diags)
    return value, remain, diags


def _decode_body(
    body: Body, spec: Spec, ctx: EvalContext | None, labels: Sequence[str]
) -> tuple[V.Value, Diagnostics]:
    content, diags = body.content(implied_schema(spec))
    value, value_diags = spec.decode(content, labels, ctx)
    diags.extend(value_diags)
    return value, diags


def _merge_schema_items(specs: Sequence[Spec]) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
    attributes: list[AttributeSchema] = []
    blocks: list[BlockHeaderSchema] = []
    for spec in specs:
        child_attributes, child_blocks = spec.schema_items()
        attributes.extend(child_attributes)
        blocks.extend(child_blocks)
    return attributes, blocks


@dataclass(slots=True)
class ObjectSpec(Spec):
    """An object whose attributes are decoded by the named specs, all from the same body."""

    attributes: Mapping[str, Spec]

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        diags = Diagnostics()
        result = {}
        for name, spec in self.attributes.items():
            result[name], child_diags = spec.decode(content, labels, ctx)
            diags.extend(child_diags)
        return V.object_val(result), diags

    def implied_type(self) -> T.Type:
        return T.ObjectType({name: spec.implied_type() for name, spec in self.attributes.items()})

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return _merge_schema_items(list(self.attributes.values()))

    def children(self) -> Sequence[Spec]:
        return list(self.attributes.values())


@dataclass(slots=True)
class TupleSpec(Spec):
    """A tuple whose elements are decoded by the given specs, all from the same body."""

    elements: Sequence[Spec]

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        diags = Diagnostics()
        result = []
        for spec in self.elements:
            value, child_diags = spec.decode(content, labels, ctx)
            diags.extend(child_diags)
            result.append(value)
        return V.tuple_val(result), diags

    def implied_type(self) -> T.Type:
        return T.TupleType([spec.implied_type() for spec in self.elements])

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return _merge_schema_items(self.elements)

    def children(self) -> Sequence[Spec]:
        return self.elements


@dataclass(slots=True)
class AttrSpec(Spec):
    """The value of argument `name`, converted to `type`; null when absent and not required."""

    name: str
    type: T.Type = T.DYNAMIC
    required: bool = False

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        attribute = content.attributes.get(self.name)
        if attribute is None:
            # A missing required argument is reported by the body's content().
            return V.null_val(self.type), Diagnostics()
        value, diags = evaluate(attribute.expr, ctx)
        try:
            return convert(value, self.type), diags
        except ConversionError as exc:
            detail = f'Inappropriate value for attribute "{self.name}": {exc}.'
            diags.append(error("Incorrect attribute value type", detail, attribute.expr.range))
            return V.unknown_val(self.type), diags

    def implied_type(self) -> T.Type:
        return self.type

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return [AttributeSchema(self.name, required=self.required)], []


@dataclass(slots=True)
class LiteralSpec(Spec):
    """A fixed value, whatever the body holds."""

    value: V.Value

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        return self.value, Diagnostics()

    def implied_type(self) -> T.Type:
        return self.value.type


@dataclass(slots=True)
class BlockSpec(Spec):
    """At most one block of `block_type`, decoded by `nested`; null when absent and not required."""

    block_type: str
    nested: Spec
    required: bool = False

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        diags = Diagnostics()
        blocks = content.blocks_of_type(self.block_type)
        for extra in blocks[1:]:
            detail = (
                f'Only one block of type "{self.block_type}" is allowed. '
                f"Previous definition was at {_describe_range(blocks[0].def_range)}."
            )
            diags.append(error(f"Duplicate {self.block_type} block", detail, extra.def_range))
        if not blocks:
            if self.required:
                detail = f'A block of type "{self.block_type}" is required here.'
                diags.append(error(f"Missing {self.block_type} block", detail, content.missing_item_range))
            return V.null_val(self.nested.implied_type()), diags

        value, block_diags = _decode_body(blocks[0].body, self.nested, ctx, blocks[0].labels)
        diags.extend(block_diags)
        return value, diags

    def implied_type(self) -> T.Type:
        return self.nested.implied_type()

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return [], [BlockHeaderSchema(self.block_type, _label_names(self.nested))]


def _label_names(nested: Spec) -> tuple[str, ...]:
    return tuple(spec.name for spec in _walk(nested) if isinstance(spec, BlockLabelSpec))


def _walk(spec: Spec) -> list[Spec]:
    found = [spec]
    for child in spec.children():
        found.extend(_walk(child))
    return found


def _describe_range(range_: Range) -> str:
    """Write a range as hcl's Range.String does: `file:1,2-5`, or `file:1,2-3,4` across lines."""
    start, end = range_.start, range_.end
    if start.line == end.line:
        return f"{range_.filename}:{start.line},{start.column}-{end.column}"
    return f"{range_.filename}:{start.line},{start.column}-{end.line},{end.column}"


@dataclass(slots=True)
class BlockLabelSpec(Spec):
    """The label at `index` of the block being decoded, as a string."""

    index: int
    name: str

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        if self.index >= len(labels):
            return V.null_val(T.STRING), Diagnostics()
        return V.string_val(labels[self.index]), Diagnostics()

    def implied_type(self) -> T.Type:
        return T.STRING


@dataclass(slots=True)
class _BlockSequenceSpec(Spec):
    block_type: str
    nested: Spec
    min_items: int = 0
    max_items: int = 0

    def decode_blocks(
        self, content: BodyContent, ctx: EvalContext | None
    ) -> tuple[list[V.Value], list[Block], Diagnostics]:
        diags = Diagnostics()
        blocks = content.blocks_of_type(self.block_type)
        values = []
        for block in blocks:
            value, block_diags = _decode_body(block.body, self.nested, ctx, block.labels)
            diags.extend(block_diags)
            values.append(value)
        diags.extend(self._check_count(blocks, content))
        return values, blocks, diags

    def _check_count(self, blocks: list[Block], content: BodyContent) -> Diagnostics:
        diags = Diagnostics()
        if len(blocks) < self.min_items:
            detail = f'At least {self.min_items} "{self.block_type}" blocks are required.'
            diags.append(error(f"Insufficient {self.block_type} blocks", detail, content.missing_item_range))
        elif self.max_items and len(blocks) > self.max_items:
            # hcl's message has no final period.
            detail = f'No more than {self.max_items} "{self.block_type}" blocks are allowed'
            subject = blocks[self.max_items].def_range
            diags.append(error(f"Too many {self.block_type} blocks", detail, subject))
        return diags

    def unify_blocks(
        self, values: list[V.Value], blocks: list[Block], diags: Diagnostics
    ) -> list[V.Value] | None:
        """Convert the blocks' values to one type, as a list or set needs; None when they have none."""
        summary = f"Unconsistent argument types in {self.block_type} blocks"
        unified, _ = unify([value.type for value in values], unsafe=True)
        if unified is None:
            detail = "Corresponding attributes in all blocks of this type must be the same."
            diags.append(error(summary, detail, blocks[0].def_range))
            return None
        converted = []
        for position, (value, block) in enumerate(zip(values, blocks)):
            try:
                converted.append(convert(value, unified))
            except ConversionError as exc:
                detail = f"Block with index {position} has inconsistent argument types: {exc}."
                diags.append(error(summary, detail, block.def_range))
                return None
        return converted

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return [], [BlockHeaderSchema(self.block_type, _label_names(self.nested))]


class BlockListSpec(_BlockSequenceSpec):
    """Every block of `block_type`, in order, as a list."""

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        values, blocks, diags = self.decode_blocks(content, ctx)
        if not values:
            return V.list_val_empty(self.nested.implied_type()), diags
        elements = self.unify_blocks(values, blocks, diags)
        if elements is None:
            return V.DYNAMIC_VAL, diags
        return V.list_val(elements), diags

    def implied_type(self) -> T.Type:
        return T.ListType(self.nested.implied_type())


class BlockTupleSpec(_BlockSequenceSpec):
    """Every block of `block_type`, in order, as a tuple, so the blocks' types may differ."""

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        values, _, diags = self.decode_blocks(content, ctx)
        return V.tuple_val(values), diags

    def implied_type(self) -> T.Type:
        # The number of blocks, and so the tuple type, is known only after decoding.
        return T.DYNAMIC


class BlockSetSpec(_BlockSequenceSpec):
    """Every block of `block_type` as a set."""

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        values, blocks, diags = self.decode_blocks(content, ctx)
        if not values:
            return V.set_val_empty(self.nested.implied_type()), diags
        elements = self.unify_blocks(values, blocks, diags)
        if elements is None:
            return V.DYNAMIC_VAL, diags
        return V.set_val(elements), diags

    def implied_type(self) -> T.Type:
        return T.SetType(self.nested.implied_type())


@dataclass(slots=True)
class BlockMapSpec(Spec):
    """Blocks of `block_type` keyed by their labels: one map level per name in `labels`."""

    block_type: str
    labels: Sequence[str]
    nested: Spec

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        diags = Diagnostics()
        tree: dict[str, Any] = {}
        seen: dict[tuple[str, ...], Block] = {}
        for block in content.blocks_of_type(self.block_type):
            key = tuple(block.labels[: len(self.labels)])
            if key in seen:
                detail = (
                    f"A block for {', '.join(_quoted(key))} was already defined at "
                    f"{_describe_range(seen[key].def_range)}. The {self.block_type} labels must be unique."
                )
                diags.append(error(f"Duplicate {self.block_type} block", detail, block.def_range))
                continue
            seen[key] = block
            value, block_diags = _decode_body(block.body, self.nested, ctx, block.labels[len(self.labels) :])
            diags.extend(block_diags)
            level = tree
            for label in key[:-1]:
                level = level.setdefault(label, {})
            level[key[-1]] = value
        return self._build(tree, len(self.labels)), diags

    def _build(self, tree: dict[str, Any], depth: int) -> V.Value:
        if not tree:
            element: T.Type = self.nested.implied_type()
            for _ in range(depth - 1):
                element = T.MapType(element)
            return V.map_val_empty(element)
        if depth == 1:
            return _map_or_object(tree)
        return _map_or_object({key: self._build(subtree, depth - 1) for key, subtree in tree.items()})

    def implied_type(self) -> T.Type:
        type_ = self.nested.implied_type()
        for _ in self.labels:
            type_ = T.MapType(type_)
        return type_

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        names = (*self.labels, *_label_names(self.nested))
        return [], [BlockHeaderSchema(self.block_type, tuple(names))]


def _quoted(labels: Sequence[str]) -> list[str]:
    return [f'"{label}"' for label in labels]


def _map_or_object(items: dict[str, V.Value]) -> V.Value:
    if len({value.type for value in items.values()}) > 1:
        return V.object_val(items)
    return V.map_val(items)


@dataclass(slots=True)
class BlockAttrsSpec(Spec):
    """The arguments of a single `block_type` block as a map of `element_type`."""

    block_type: str
    element_type: T.Type
    required: bool = False

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        diags = Diagnostics()
        blocks = content.blocks_of_type(self.block_type)
        if not blocks:
            if self.required:
                detail = f'A block of type "{self.block_type}" is required here.'
                diags.append(error(f"Missing {self.block_type} block", detail, content.missing_item_range))
            return V.null_val(T.MapType(self.element_type)), diags
        for extra in blocks[1:]:
            detail = (
                f'Only one block of type "{self.block_type}" is allowed. '
                f"Previous definition was at {_describe_range(blocks[0].def_range)}."
            )
            diags.append(error(f"Duplicate {self.block_type} block", detail, extra.def_range))

        attributes, attr_diags = blocks[0].body.just_attributes()
        diags.extend(attr_diags)
        elements = {}
        for name, attribute in attributes.items():
            value, value_diags = evaluate(attribute.expr, ctx)
            diags.extend(value_diags)
            try:
                elements[name] = convert(value, self.element_type)
            except ConversionError as exc:
                detail = f'Inappropriate value for attribute "{name}": {exc}.'
                diags.append(error("Incorrect attribute value type", detail, attribute.expr.range))
                elements[name] = V.unknown_val(self.element_type)
        if not elements:
            return V.map_val_empty(self.element_type), diags
        return V.map_val(elements), diags

    def implied_type(self) -> T.Type:
        return T.MapType(self.element_type)

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return [], [BlockHeaderSchema(self.block_type)]


@dataclass(slots=True)
class DefaultSpec(Spec):
    """The value of `primary`, or of `default` when that is null."""

    primary: Spec
    default: Spec

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        value, diags = self.primary.decode(content, labels, ctx)
        if not value.is_null:
            return value, diags
        fallback, fallback_diags = self.default.decode(content, labels, ctx)
        diags.extend(fallback_diags)
        return fallback, diags

    def implied_type(self) -> T.Type:
        return self.primary.implied_type()

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return _merge_schema_items([self.primary, self.default])

    def children(self) -> Sequence[Spec]:
        return [self.primary, self.default]


@dataclass(slots=True)
class TransformSpec(Spec):
    """The result of `expr` evaluated with the value of `wrapped` as the variable `nested`."""

    wrapped: Spec
    expr: Any
    variables: dict[str, V.Value] = field(default_factory=dict)

    def decode(
        self, content: BodyContent, labels: Sequence[str], ctx: EvalContext | None
    ) -> tuple[V.Value, Diagnostics]:
        nested, diags = self.wrapped.decode(content, labels, ctx)
        scope = EvalContext({**self.variables, "nested": nested}, ctx.functions if ctx else None)
        value, expr_diags = evaluate(self.expr, scope)
        diags.extend(expr_diags)
        return value, diags

    def implied_type(self) -> T.Type:
        return T.DYNAMIC

    def schema_items(self) -> tuple[list[AttributeSchema], list[BlockHeaderSchema]]:
        return self.wrapped.schema_items()

    def children(self) -> Sequence[Spec]:
        return [self.wrapped]


def spec_variables(body: Body, spec: Spec) -> list[Any]:
    """Return the traversals that the arguments `spec` would evaluate refer to, in body order."""
    content, _ = body.content(implied_schema(spec))
    found: list[Any] = []
    _collect_variables(content, spec, found)
    return found


def _collect_variables(content: BodyContent, spec: Spec, found: list[Any]) -> None:
    if isinstance(spec, AttrSpec):
        attribute = content.attributes.get(spec.name)
        if attribute is not None:
            found.extend(attribute.expr.variables())
    elif isinstance(spec, BlockAttrsSpec):
        for block in content.blocks_of_type(spec.block_type):
            attributes, _ = block.body.just_attributes()
            for attribute in attributes.values():
                found.extend(attribute.expr.variables())
    elif isinstance(spec, (BlockSpec, _BlockSequenceSpec, BlockMapSpec)):
        for block in content.blocks_of_type(spec.block_type):
            found.extend(spec_variables(block.body, spec.nested))
    for child in spec.children():
        _collect_variables(content, child, found)


def source_range(body: Body, spec: Spec, path: Sequence[str | int] = ()) -> Range:
    """Return the source range of the part of a decoded value that `path` leads to.

    As hcldec's SourceRange, extended with a path: attribute names step into `ObjectSpec`
    parts, indexes into the blocks of a `BlockListSpec`, `BlockTupleSpec` or `BlockSetSpec`
    (in source order), and labels into a `BlockMapSpec`. An argument gives its expression's
    range; anything absent gives the range where it is missing.
    """
    content, _remain, _diags = body.partial_content(implied_schema(spec))
    return _source_range(content, spec, list(path))


def _source_range(content: BodyContent, spec: Spec, path: list[str | int]) -> Range:
    if isinstance(spec, ObjectSpec) and path and path[0] in spec.attributes:
        return _source_range(content, spec.attributes[str(path[0])], path[1:])
    if isinstance(spec, TupleSpec) and path and isinstance(path[0], int) and path[0] < len(spec.elements):
        return _source_range(content, spec.elements[path[0]], path[1:])
    if isinstance(spec, (DefaultSpec, TransformSpec)):
        inner = spec.primary if isinstance(spec, DefaultSpec) else spec.wrapped
        return _source_range(content, inner, path)
    if isinstance(spec, AttrSpec):
        attribute = content.attributes.get(spec.name)
        return attribute.expr.range if attribute is not None else content.missing_item_range
    if isinstance(spec, (BlockSpec, BlockAttrsSpec, _BlockSequenceSpec, BlockMapSpec)):
        return _block_source_range(content, spec, path)
    return content.missing_item_range


def _block_source_range(content: BodyContent, spec: Any, path: list[str | int]) -> Range:
    blocks = content.blocks_of_type(spec.block_type)
    if isinstance(spec, _BlockSequenceSpec) and path and isinstance(path[0], int):
        blocks, path = blocks[path[0] : path[0] + 1], path[1:]
    elif isinstance(spec, BlockMapSpec):
        depth = len(spec.labels)
        wanted = [str(step) for step in path[:depth]]
        blocks = [block for block in blocks if block.labels[: len(wanted)] == wanted]
        path = path[depth:] if len(wanted) == depth else []
    if not blocks:
        return content.missing_item_range
    if isinstance(spec, BlockAttrsSpec):
        attributes, _ = blocks[0].body.just_attributes()
        attribute = attributes.get(str(path[0])) if path else None
        return attribute.expr.range if attribute is not None else blocks[0].def_range
    return source_range(blocks[0].body, spec.nested, path)
