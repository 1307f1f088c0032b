"""Dynamic blocks: `dynamic "x" { for_each = ...; content { ... } }` expanded into `x` blocks.

As hcl's ext/dynblock. `expand(body, ctx)` returns a `Body` that reads like the original,
except that each `dynamic` block of a type that the schema names becomes one block of that type
per element of its `for_each` collection. Inside the `content` block, and in any `labels`
expression, the iterator variable (named by `iterator`, by default the block type) is an
object with `key` and `value` attributes. Expansion is lazy and nests: a content body is
itself expanded when it is read, so inner dynamic blocks may use outer iterators.

    content, diags = expand(source_block.body, ctx).content(schema)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.hcl.schema import (
    Attribute,
    AttributeSchema,
    Block,
    BlockHeaderSchema,
    Body,
    BodyContent,
    BodySchema,
)
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.eval import EvalContext, abs_traversal_for_expr, evaluate, expr_list
from kiln.lang.eval.expressions import Result, evaluator
from kiln.lang.eval.iteration import can_iterate, iterate

__all__ = ["IteratedExpression", "UnknownExpression", "expand"]

_DYNAMIC = BlockHeaderSchema("dynamic", ("type",))
_DYNAMIC_BODY = BodySchema(
    attributes=[AttributeSchema("for_each", required=True), AttributeSchema("iterator")],
    blocks=[BlockHeaderSchema("content")],
)
# A `labels` argument is only expected when the generated block type takes labels.
_DYNAMIC_BODY_WITH_LABELS = BodySchema(
    attributes=[*_DYNAMIC_BODY.attributes, AttributeSchema("labels")],
    blocks=_DYNAMIC_BODY.blocks,
)
INVALID_FOR_EACH = "Invalid dynamic for_each value"
INVALID_LABEL = "Invalid dynamic block label"


def expand(body: Body, ctx: EvalContext | None) -> Body:
    """Return `body` with its dynamic blocks expanded; `for_each` and labels evaluate in `ctx`."""
    return _ExpandedBody(body, ctx, {})


@dataclass(frozen=True, slots=True)
class IteratedExpression:
    """An expression inside a dynamic block's content, evaluated with the iterators in scope."""

    expr: Any
    iterators: dict[str, V.Value]

    @property
    def range(self) -> Range:
        return self.expr.range

    def unwrap(self) -> Any:
        return self.expr

    def variables(self) -> list[Any]:
        """Return the references of the wrapped expression, except those to an iterator."""
        return [t for t in self.expr.variables() if t.root_name not in self.iterators]

    def start_range(self) -> Range:
        method = getattr(self.expr, "start_range", None)
        return method() if method is not None else self.expr.range


@dataclass(frozen=True, slots=True)
class UnknownExpression:
    """An argument of a block generated from an unknown `for_each`: its value is not yet known."""

    expr: Any

    @property
    def range(self) -> Range:
        return self.expr.range

    def unwrap(self) -> Any:
        return self.expr

    def variables(self) -> list[Any]:
        return self.expr.variables()

    def start_range(self) -> Range:
        method = getattr(self.expr, "start_range", None)
        return method() if method is not None else self.expr.range


@evaluator("UnknownExpression")
def _unknown(expr: UnknownExpression, ctx: EvalContext | None) -> Result:
    return V.DYNAMIC_VAL, Diagnostics()


@evaluator("IteratedExpression")
def _iterated(expr: IteratedExpression, ctx: EvalContext | None) -> Result:
    scope = ctx.child() if ctx is not None else EvalContext({})
    scope.variables.update(expr.iterators)
    return evaluate(expr.expr, scope)


def _iteration_scope(ctx: EvalContext | None, iterators: dict[str, V.Value]) -> EvalContext | None:
    if not iterators:
        return ctx
    scope = ctx.child() if ctx is not None else EvalContext({})
    scope.variables.update(iterators)
    return scope


@dataclass(slots=True)
class _ExpandedBody:
    original: Body
    ctx: EvalContext | None
    iterators: dict[str, V.Value]
    hidden_attributes: frozenset[str] = frozenset()
    hidden_blocks: dict[str, BlockHeaderSchema] = field(default_factory=dict)

    def _extend(self, schema: BodySchema) -> BodySchema:
        # The original body must accept `dynamic` blocks and whatever an earlier
        # partial_content already took, which is filtered out again afterwards.
        attributes = [*schema.attributes, *(AttributeSchema(name) for name in sorted(self.hidden_attributes))]
        blocks = [*schema.blocks, _DYNAMIC, *self.hidden_blocks.values()]
        return BodySchema(attributes=attributes, blocks=blocks)

    def content(self, schema: BodySchema) -> tuple[BodyContent, Diagnostics]:
        raw, diags = self.original.content(self._extend(schema))
        return self._finish(schema, raw, diags, partial=False), diags

    def partial_content(self, schema: BodySchema) -> tuple[BodyContent, Body, Diagnostics]:
        raw, _, diags = self.original.partial_content(self._extend(schema))
        content = self._finish(schema, raw, diags, partial=True)
        remain = _ExpandedBody(
            self.original,
            self.ctx,
            self.iterators,
            self.hidden_attributes | {attribute.name for attribute in schema.attributes},
            {**self.hidden_blocks, **{block.type: block for block in schema.blocks}},
        )
        return content, remain, diags

    def just_attributes(self) -> tuple[dict[str, Attribute], Diagnostics]:
        # hcl passes these through without the iterators in scope. kiln keeps them in scope, so
        # a content block read as plain arguments can use its iterator too.
        attributes, diags = self.original.just_attributes()
        visible = {name: a for name, a in attributes.items() if name not in self.hidden_attributes}
        return self._wrap_attributes(visible), diags

    def missing_item_range(self) -> Range:
        return self.original.missing_item_range()

    def _finish(
        self, schema: BodySchema, raw: BodyContent, diags: Diagnostics, *, partial: bool
    ) -> BodyContent:
        attributes = {n: a for n, a in raw.attributes.items() if n not in self.hidden_attributes}
        blocks = self._expand_blocks(schema, raw.blocks, diags, partial=partial)
        return BodyContent(self._wrap_attributes(attributes), blocks, raw.missing_item_range)

    def _wrap_attributes(self, attributes: dict[str, Attribute]) -> dict[str, Attribute]:
        if not self.iterators:
            return attributes
        return {
            name: Attribute(a.name, IteratedExpression(a.expr, self.iterators), a.range, a.name_range)
            for name, a in attributes.items()
        }

    def _child(self, body: Body, iterators: dict[str, V.Value]) -> Body:
        return _ExpandedBody(body, self.ctx, iterators)

    def _expand_blocks(
        self, schema: BodySchema, raw_blocks: list[Block], diags: Diagnostics, *, partial: bool
    ) -> list[Block]:
        wanted = {block.type: block for block in schema.blocks}
        blocks: list[Block] = []
        for raw in raw_blocks:
            if raw.type != "dynamic":
                if raw.type not in self.hidden_blocks:
                    blocks.append(_replace_body(raw, self._child(raw.body, self.iterators)))
                continue

            real_type = raw.labels[0]
            if real_type in self.hidden_blocks:
                continue
            header = wanted.get(real_type)
            if header is None:
                if not partial:
                    detail = f'Blocks of type "{real_type}" are not expected here.'
                    diags.append(error("Unsupported block type", detail, raw.label_ranges[0]))
                continue
            blocks.extend(self._expand_dynamic(raw, header, diags))
        return blocks

    def _expand_dynamic(self, raw: Block, header: BlockHeaderSchema, diags: Diagnostics) -> list[Block]:
        spec = _read_dynamic(raw, header, _iteration_scope(self.ctx, self.iterators), diags)
        if spec is None:
            return []
        if not spec.for_each.is_known:
            # The number of blocks is not known yet, so one placeholder block replaces them,
            # with every argument inside it unknown.
            block = self._new_block(raw, spec, V.DYNAMIC_VAL, V.DYNAMIC_VAL, diags)
            if block is None:
                return []
            return [_replace_body(block, _UnknownBody(block.body))]

        blocks = []
        # Marks on the collection (sensitive, say) carry over to every key and value.
        collection, marks = spec.for_each.unmark()
        for key, value in iterate(collection):
            block = self._new_block(raw, spec, key.with_marks(marks), value.with_marks(marks), diags)
            if block is not None:
                blocks.append(block)
        return blocks

    def _new_block(
        self, raw: Block, spec: _DynamicSpec, key: V.Value, value: V.Value, diags: Diagnostics
    ) -> Block | None:
        iterators = {**self.iterators, spec.iterator: V.object_val({"key": key, "value": value})}
        labels = _evaluate_labels(spec.label_exprs, _iteration_scope(self.ctx, iterators), diags)
        if labels is None:
            return None
        body = self._child(spec.content.body, iterators)
        label_ranges = [expr.range for expr in spec.label_exprs]
        # As in hcl, the generated block's type range is the dynamic block's label.
        return Block(raw.labels[0], labels, body, raw.def_range, raw.label_ranges[0], label_ranges)


def _replace_body(block: Block, body: Body) -> Block:
    return Block(block.type, block.labels, body, block.def_range, block.type_range, block.label_ranges)


@dataclass(slots=True)
class _UnknownBody:
    """A body read like `template` whose arguments, at any depth, all evaluate to unknown."""

    template: Body

    def content(self, schema: BodySchema) -> tuple[BodyContent, Diagnostics]:
        content, diags = self.template.content(schema)
        return self._unknown_content(content), diags

    def partial_content(self, schema: BodySchema) -> tuple[BodyContent, Body, Diagnostics]:
        content, remain, diags = self.template.partial_content(schema)
        return self._unknown_content(content), _UnknownBody(remain), diags

    def just_attributes(self) -> tuple[dict[str, Attribute], Diagnostics]:
        attributes, diags = self.template.just_attributes()
        return _unknown_attributes(attributes), diags

    def missing_item_range(self) -> Range:
        return self.template.missing_item_range()

    def _unknown_content(self, content: BodyContent) -> BodyContent:
        blocks = [_replace_body(block, _UnknownBody(block.body)) for block in content.blocks]
        return BodyContent(_unknown_attributes(content.attributes), blocks, content.missing_item_range)


def _unknown_attributes(attributes: dict[str, Attribute]) -> dict[str, Attribute]:
    return {
        name: Attribute(a.name, UnknownExpression(a.expr), a.range, a.name_range)
        for name, a in attributes.items()
    }


@dataclass(slots=True)
class _DynamicSpec:
    for_each: V.Value
    iterator: str
    label_exprs: list[Any]
    content: Block


def _read_dynamic(
    raw: Block, header: BlockHeaderSchema, ctx: EvalContext | None, diags: Diagnostics
) -> _DynamicSpec | None:
    schema = _DYNAMIC_BODY_WITH_LABELS if header.label_names else _DYNAMIC_BODY
    content, content_diags = raw.body.content(schema)
    diags.extend(content_diags)
    if content_diags.has_errors():
        return None

    for_each = _evaluate_for_each(content.attributes["for_each"], ctx, diags)
    if for_each is None:
        return None
    iterator = _iterator_name(content.attributes.get("iterator"), raw.labels[0], diags)
    if iterator is None:
        return None
    label_exprs = _label_expressions(
        content.attributes.get("labels"), header, content.missing_item_range, diags
    )
    if label_exprs is None:
        return None

    content_blocks = content.blocks_of_type("content")
    if not content_blocks:
        detail = 'A dynamic block must have a nested block of type "content" to describe the body of each generated block.'
        diags.append(error("Missing dynamic content block", detail, content.missing_item_range))
        return None
    if len(content_blocks) > 1:
        detail = "Only one nested content block is allowed for each dynamic block."
        diags.append(error("Extraneous dynamic content block", detail, content_blocks[1].def_range))
        return None
    return _DynamicSpec(for_each, iterator, label_exprs, content_blocks[0])


def _evaluate_for_each(attribute: Attribute, ctx: EvalContext | None, diags: Diagnostics) -> V.Value | None:
    value, value_diags = evaluate(attribute.expr, ctx)
    diags.extend(value_diags)
    if value_diags.has_errors():
        return None
    bare, _ = value.unmark()
    if not bare.type.is_dynamic() and not can_iterate(bare.type):
        detail = (
            f"Cannot use a {bare.type.friendly_name()} value in for_each. An iterable collection is required."
        )
        diags.append(error(INVALID_FOR_EACH, detail, attribute.expr.range))
        return None
    if value.is_null:
        diags.append(error(INVALID_FOR_EACH, "Cannot use a null value in for_each.", attribute.expr.range))
        return None
    return value


def _iterator_name(attribute: Attribute | None, default: str, diags: Diagnostics) -> str | None:
    if attribute is None:
        return default
    traversal, traversal_diags = abs_traversal_for_expr(attribute.expr)
    diags.extend(traversal_diags)
    if traversal is None:
        return None
    if len(traversal) != 1:
        detail = "Dynamic iterator must be a single variable name."
        diags.append(error("Invalid dynamic iterator name", detail, traversal.range))
        return None
    return traversal.root_name


def _label_expressions(
    attribute: Attribute | None, header: BlockHeaderSchema, missing_range: Range, diags: Diagnostics
) -> list[Any] | None:
    if attribute is None:
        if header.label_names:
            # hcl lets this through and generates blocks without labels. kiln reports it, because
            # every consumer of a labelled block type relies on its labels.
            detail = f'Blocks of type "{header.type}" require {len(header.label_names)} label(s).'
            diags.append(error("Insufficient dynamic block labels", detail, missing_range))
            return None
        return []
    exprs, list_diags = expr_list(attribute.expr)
    diags.extend(list_diags)
    if list_diags.has_errors():
        return None

    wanted = len(header.label_names)
    detail = f'Blocks of type "{header.type}" require {wanted} label(s).'
    if len(exprs) > wanted:
        diags.append(error("Extraneous dynamic block label", detail, exprs[wanted].range))
        return None
    if len(exprs) < wanted:
        diags.append(error("Insufficient dynamic block labels", detail, attribute.expr.range))
        return None
    return exprs


def _evaluate_labels(label_exprs: list[Any], ctx: EvalContext | None, diags: Diagnostics) -> list[str] | None:
    labels = []
    for expr in label_exprs:
        value, value_diags = evaluate(expr, ctx)
        diags.extend(value_diags)
        if value_diags.has_errors():
            return None
        try:
            value = convert(value, T.STRING)
        except ConversionError as exc:
            diags.append(
                error(INVALID_LABEL, f"Cannot use this value as a dynamic block label: {exc}.", expr.range)
            )
            return None
        if value.is_null:
            diags.append(
                error(INVALID_LABEL, "Cannot use a null value as a dynamic block label.", expr.range)
            )
            return None
        if not value.is_known:
            detail = "This value is not yet known. Dynamic block labels must be immediately-known values."
            diags.append(error(INVALID_LABEL, detail, expr.range))
            return None
        if value.marks:
            diags.append(
                error(INVALID_LABEL, "Cannot use a marked value as a dynamic block label.", expr.range)
            )
            return None
        labels.append(value.as_str())
    return labels
