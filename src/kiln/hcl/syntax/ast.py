"""The syntax tree of HCL's native syntax: expressions, traversals, bodies, blocks and files.

Every node carries the `Range` of the source it came from, and bodies keep their items in source
order. Nodes are plain dataclasses with no behaviour beyond navigation; `kiln.lang` evaluates
them. `variables()` returns the absolute traversals an expression refers to, as hcl's
`Variables` walk does: a `for` expression's own symbols and a splat's anonymous item are not
references.

    expr, diags = parse_expression(b"var.a[0] + 1", "x.hcl")
    [t.root_name for t in expr.variables()]  # ["var"]
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Range, did_you_mean, error, quote_name
from kiln.hcl.schema import Attribute as SchemaAttribute
from kiln.hcl.schema import Block as SchemaBlock
from kiln.hcl.schema import BlockHeaderSchema, BodyContent, BodySchema

# A literal value: str, Decimal for numbers, bool, or None for null.
LiteralValue = str | Decimal | bool | None


# Traversals -------------------------------------------------------------------------------


@dataclass(slots=True)
class TraverseRoot:
    """The first step of an absolute traversal: a variable name such as `var`."""

    name: str
    range: Range


@dataclass(slots=True)
class TraverseAttr:
    """An attribute step, `.name`."""

    name: str
    range: Range


@dataclass(slots=True)
class TraverseIndex:
    """An index step with a constant key, `[0]`, `["k"]` or the legacy `.0`.

    `key` is None when the key is not a usable constant, as after an invalid legacy index.
    """

    key: LiteralValue
    range: Range


@dataclass(slots=True)
class TraverseSplat:
    """A splat step in a traversal, for callers that build traversals by hand."""

    range: Range


Traverser = TraverseRoot | TraverseAttr | TraverseIndex | TraverseSplat


class Traversal(list[Traverser]):
    """A sequence of traversal steps. Absolute traversals start with a `TraverseRoot`."""

    @property
    def is_relative(self) -> bool:
        return not self or not isinstance(self[0], TraverseRoot)

    @property
    def root_name(self) -> str:
        """Return the variable name the traversal starts from; raises on a relative traversal."""
        if self.is_relative:
            raise ValueError("a relative traversal has no root name")
        root = self[0]
        assert isinstance(root, TraverseRoot)
        return root.name

    @property
    def range(self) -> Range:
        """Return the range from the first step to the last; raises on an empty traversal."""
        if not self:
            raise ValueError("an empty traversal has no range")
        return Range.between(self[0].range, self[-1].range)

    def simple_split(self) -> tuple[Traversal, Traversal]:
        """Split an absolute traversal into its root step and the relative rest."""
        return Traversal(self[:1]), Traversal(self[1:])

    def __repr__(self) -> str:
        return f"Traversal({list.__repr__(self)})"


# Expressions ------------------------------------------------------------------------------


class Operation(enum.StrEnum):
    """A unary or binary operation. Values are the operator as written."""

    LogicalOr = "||"
    LogicalAnd = "&&"
    LogicalNot = "!"
    Equal = "=="
    NotEqual = "!="
    GreaterThan = ">"
    GreaterThanOrEqual = ">="
    LessThan = "<"
    LessThanOrEqual = "<="
    Add = "+"
    Subtract = "-"
    Multiply = "*"
    Divide = "/"
    Modulo = "%"
    Negate = "-x"


class Expression:
    """Base class of native syntax expressions. Subclasses are dataclasses with a `range`."""

    __slots__ = ()
    range: Range

    def children(self) -> Iterator[Expression]:
        """Yield the direct sub-expressions in source order."""
        return iter(())

    def variables(self) -> list[Traversal]:
        """Return the absolute traversals this expression refers to, in source order."""
        found: list[Traversal] = []
        _collect_variables(self, found)
        return found


def _collect_variables(expr: Expression, found: list[Traversal]) -> None:
    # An explicit stack rather than recursion: a long chain like a + b + c + ... nests one
    # level per operator and can be deeper than Python's recursion limit.
    stack: list[Expression] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ScopeTraversalExpr):
            found.append(node.traversal)
        elif isinstance(node, ObjectConsKeyExpr) and node.as_literal_name() is not None:
            continue
        elif isinstance(node, ForExpr):
            _collect_for_variables(node, found)
        else:
            stack.extend(reversed(list(node.children())))


def _collect_for_variables(expr: ForExpr, found: list[Traversal]) -> None:
    """Collect a `for` expression's references, leaving out its own key and value symbols."""
    _collect_variables(expr.coll_expr, found)
    own = {name for name in (expr.key_var, expr.val_var) if name}
    inner: list[Traversal] = []
    for child in (expr.key_expr, expr.val_expr, expr.cond_expr):
        if child is not None:
            _collect_variables(child, inner)
    found.extend(t for t in inner if t.root_name not in own)


@dataclass(slots=True, repr=False)
class LiteralValueExpr(Expression):
    """A constant: a string, a number (Decimal), a bool, or None for null."""

    value: LiteralValue
    range: Range

    def __repr__(self) -> str:
        return f"LiteralValueExpr({self.value!r})"


@dataclass(slots=True)
class TemplateExpr(Expression):
    """A string template: literal parts and interpolated or directive parts, concatenated."""

    parts: list[Expression]
    range: Range

    def children(self) -> Iterator[Expression]:
        return iter(self.parts)

    def is_string_literal(self) -> bool:
        return len(self.parts) == 1 and isinstance(self.parts[0], LiteralValueExpr)


@dataclass(slots=True)
class TemplateWrapExpr(Expression):
    """A template that is exactly one interpolation, `"${x}"`: it yields x's value unchanged."""

    wrapped: Expression
    range: Range

    def children(self) -> Iterator[Expression]:
        yield self.wrapped


@dataclass(slots=True)
class TemplateJoinExpr(Expression):
    """The result of a `%{for}` directive: the strings its `ForExpr` yields, concatenated."""

    tuple: Expression
    range: Range

    def children(self) -> Iterator[Expression]:
        yield self.tuple


@dataclass(slots=True)
class ScopeTraversalExpr(Expression):
    """A reference to a variable and steps into it, `var.a.b[0]`."""

    traversal: Traversal
    range: Range


@dataclass(slots=True)
class RelativeTraversalExpr(Expression):
    """Constant steps applied to the value of another expression, `f(x).a[0]`."""

    source: Expression
    traversal: Traversal
    range: Range

    def children(self) -> Iterator[Expression]:
        yield self.source


@dataclass(slots=True)
class FunctionCallExpr(Expression):
    """A call `name(args...)`; `expand_final` is set when the last argument ends with `...`."""

    name: str
    args: list[Expression]
    expand_final: bool
    range: Range
    name_range: Range
    open_paren_range: Range
    close_paren_range: Range

    def children(self) -> Iterator[Expression]:
        return iter(self.args)


@dataclass(slots=True)
class ConditionalExpr(Expression):
    """`condition ? true_result : false_result`, also the result of a template `%{if}`."""

    condition: Expression
    true_result: Expression
    false_result: Expression
    range: Range

    def children(self) -> Iterator[Expression]:
        yield self.condition
        yield self.true_result
        yield self.false_result


@dataclass(slots=True)
class BinaryOpExpr(Expression):
    op: Operation
    lhs: Expression
    rhs: Expression
    range: Range

    def children(self) -> Iterator[Expression]:
        yield self.lhs
        yield self.rhs


@dataclass(slots=True)
class UnaryOpExpr(Expression):
    """`-x` (Operation.Negate) or `!x` (Operation.LogicalNot)."""

    op: Operation
    val: Expression
    range: Range
    symbol_range: Range

    def children(self) -> Iterator[Expression]:
        yield self.val


@dataclass(slots=True)
class ObjectConsKeyExpr(Expression):
    """An object key. A bare identifier is a literal string unless the key was parenthesized."""

    wrapped: Expression
    force_non_literal: bool
    range: Range

    def children(self) -> Iterator[Expression]:
        yield self.wrapped

    def as_literal_name(self) -> str | None:
        """Return the key's name when it is a bare identifier that stands for a string."""
        if self.force_non_literal or not isinstance(self.wrapped, ScopeTraversalExpr):
            return None
        traversal = self.wrapped.traversal
        return traversal.root_name if len(traversal) == 1 else None


@dataclass(slots=True)
class ObjectConsItem:
    key_expr: ObjectConsKeyExpr
    value_expr: Expression


@dataclass(slots=True)
class ObjectConsExpr(Expression):
    """`{ key = value, ... }`; items keep source order, duplicates included."""

    items: list[ObjectConsItem]
    range: Range
    open_range: Range

    def children(self) -> Iterator[Expression]:
        for item in self.items:
            yield item.key_expr
            yield item.value_expr


@dataclass(slots=True)
class TupleConsExpr(Expression):
    """`[a, b, ...]`."""

    exprs: list[Expression]
    range: Range
    open_range: Range

    def children(self) -> Iterator[Expression]:
        return iter(self.exprs)


@dataclass(slots=True)
class IndexExpr(Expression):
    """`collection[key]` where the key is not a constant (constant keys become traversals)."""

    collection: Expression
    key: Expression
    range: Range
    open_range: Range
    bracket_range: Range

    def children(self) -> Iterator[Expression]:
        yield self.collection
        yield self.key


@dataclass(slots=True)
class AnonSymbolExpr(Expression):
    """The per-item placeholder inside a splat: `each` is evaluated with it bound to an element."""

    range: Range


@dataclass(slots=True)
class SplatExpr(Expression):
    """`source[*].each` or the attribute-only `source.*.each`."""

    source: Expression
    each: Expression
    item: AnonSymbolExpr
    range: Range
    marker_range: Range
    attr_only: bool = False

    def children(self) -> Iterator[Expression]:
        yield self.source
        yield self.each


@dataclass(slots=True)
class ForExpr(Expression):
    """`[for k, v in coll : val if cond]` or `{for k, v in coll : key => val... if cond}`.

    `key_var` is "" when only a value variable is declared. `key_expr` is None for tuples.
    """

    key_var: str
    val_var: str
    coll_expr: Expression
    key_expr: Expression | None
    val_expr: Expression
    cond_expr: Expression | None
    group: bool
    range: Range
    open_range: Range
    close_range: Range

    def children(self) -> Iterator[Expression]:
        yield self.coll_expr
        if self.key_expr is not None:
            yield self.key_expr
        yield self.val_expr
        if self.cond_expr is not None:
            yield self.cond_expr


@dataclass(slots=True)
class ParenthesesExpr(Expression):
    expression: Expression
    range: Range

    def children(self) -> Iterator[Expression]:
        yield self.expression


@dataclass(slots=True)
class ExprSyntaxError(Expression):
    """A placeholder where the parser found no usable expression; a diagnostic explains why."""

    range: Range


# Structure --------------------------------------------------------------------------------


@dataclass(slots=True)
class Attribute:
    """`name = expr` in a body."""

    name: str
    expr: Expression
    range: Range
    name_range: Range
    equals_range: Range


@dataclass(slots=True)
class Block:
    """`type "label" ... { body }`."""

    type: str
    labels: list[str]
    body: Body
    type_range: Range
    label_ranges: list[Range]
    open_brace_range: Range
    close_brace_range: Range

    @property
    def range(self) -> Range:
        return Range.between(self.type_range, self.close_brace_range)

    @property
    def def_range(self) -> Range:
        """Return the header's range, from the type to the last label (the brace excluded)."""
        last = self.label_ranges[-1] if self.label_ranges else self.type_range
        return Range.between(self.type_range, last)


@dataclass(slots=True, eq=False)
class Body:
    """The contents of a file or a block: attributes by name and blocks, in source order.

    `items` contains both in source order. An attribute defined twice keeps its first definition
    in `attributes` (the parser reports the second), but both appear in `items`.
    `src_range` spans the body including its braces; `end_range` is the point after it.
    """

    attributes: dict[str, Attribute]
    blocks: list[Block]
    items: list[Attribute | Block]
    src_range: Range
    end_range: Range
    # Names and block types already returned by `partial_content`, hidden from later reads.
    hidden_attributes: frozenset[str] = field(default_factory=frozenset)
    hidden_blocks: frozenset[str] = field(default_factory=frozenset)

    def content(self, schema: BodySchema) -> tuple[BodyContent, Diagnostics]:
        """Read the body through `schema`, reporting anything the schema does not name."""
        content, remain, diags = self.partial_content(schema)
        assert isinstance(remain, Body)
        block_types = [block.type for block in schema.blocks]
        attribute_names = [attribute.name for attribute in schema.attributes]

        for name, attribute in remain.attributes.items():
            if name in remain.hidden_attributes or name in block_types:
                continue  # partial_content already reported a block type written as an argument
            candidates = [n for n in attribute_names if n not in content.attributes]
            suggestion = did_you_mean(name, candidates)
            diags.append(
                error(
                    "Unsupported argument",
                    f"An argument named {quote_name(name)} is not expected here.{suggestion}",
                    attribute.name_range,
                )
            )
        for block in remain.blocks:
            if block.type in remain.hidden_blocks:
                continue
            suggestion = did_you_mean(block.type, block_types)
            if not suggestion and block.type in attribute_names:
                suggestion = (
                    f" Did you mean to define argument {quote_name(block.type)}? If so, use the equals"
                    " sign to assign it a value."
                )
            diags.append(
                error(
                    "Unsupported block type",
                    f"Blocks of type {quote_name(block.type)} are not expected here.{suggestion}",
                    block.type_range,
                )
            )
        return content, diags

    def partial_content(self, schema: BodySchema) -> tuple[BodyContent, Body, Diagnostics]:
        """Read what `schema` names and return the rest as a body with those items hidden."""
        diags = Diagnostics()
        content = BodyContent(missing_item_range=self.missing_item_range())

        for attribute_schema in schema.attributes:
            name = attribute_schema.name
            attribute = self.attributes.get(name)
            if attribute is None or name in self.hidden_attributes:
                if attribute_schema.required:
                    diags.append(
                        error(
                            "Missing required argument",
                            f"The argument {quote_name(name)} is required, but no definition was found.",
                            self.missing_item_range(),
                        )
                    )
                continue
            content.attributes[name] = _schema_attribute(attribute)

        wanted = {block_schema.type: block_schema for block_schema in schema.blocks}
        for name, attribute in self.attributes.items():
            if name in wanted and name not in self.hidden_attributes:
                diags.append(
                    error(
                        "Unsupported argument",
                        f"An argument named {quote_name(name)} is not expected here. Did you mean to"
                        f" define a block of type {quote_name(name)}?",
                        attribute.name_range,
                    )
                )
        for block in self.blocks:
            block_schema = wanted.get(block.type)
            if block_schema is None or block.type in self.hidden_blocks:
                continue
            label_diag = _check_labels(block, block_schema)
            if label_diag is not None:
                diags.append(label_diag)
                continue
            content.blocks.append(_schema_block(block))

        remain = Body(
            self.attributes,
            self.blocks,
            self.items,
            self.src_range,
            self.end_range,
            self.hidden_attributes | content.attributes.keys(),
            self.hidden_blocks | wanted.keys(),
        )
        return content, remain, diags

    def just_attributes(self) -> tuple[dict[str, SchemaAttribute], Diagnostics]:
        """Return every attribute, reporting any block as an error, as `locals` bodies are read."""
        diags = Diagnostics()
        for block in self.blocks:
            if block.type in self.hidden_blocks:
                continue
            diags.append(
                error(
                    f"Unexpected {quote_name(block.type)} block",
                    "Blocks are not allowed here.",
                    block.type_range,
                )
            )
        attributes = {
            name: _schema_attribute(attribute)
            for name, attribute in self.attributes.items()
            if name not in self.hidden_attributes
        }
        return attributes, diags

    def missing_item_range(self) -> Range:
        """Return the zero-width range at the body's start, where a missing item is reported."""
        start = self.src_range.start
        return Range(self.src_range.filename, start, start)


@dataclass(slots=True)
class File:
    """A parsed configuration file: its root body and the source bytes it came from."""

    body: Body
    bytes: bytes

    def context_string(self, offset: int) -> str:
        """Return the header of the top-level block containing byte `offset`, or "" if none.

        Diagnostics name it in their location line, as in `on main.pkr.hcl line 3, in source
        "null" "x":`. Only top-level blocks count, as in hclsyntax.
        """
        for block in self.body.blocks:
            if block.range.contains_offset(offset):
                if not block.labels:
                    return block.type
                return " ".join([block.type, *(quote_name(label) for label in block.labels)])
        return ""


def _schema_attribute(attribute: Attribute) -> SchemaAttribute:
    return SchemaAttribute(attribute.name, attribute.expr, attribute.range, attribute.name_range)


def _schema_block(block: Block) -> SchemaBlock:
    return SchemaBlock(
        block.type, block.labels, block.body, block.def_range, block.type_range, block.label_ranges
    )


def _check_labels(block: Block, schema: BlockHeaderSchema) -> Diagnostic | None:
    """Return the error for a block with more or fewer labels than its schema names."""
    names = schema.label_names
    context = Range.between(block.type_range, block.open_brace_range)
    if len(block.labels) > len(names):
        if not names:
            detail = f"No labels are expected for {block.type} blocks."
        else:
            detail = f"Only {len(names)} labels ({', '.join(names)}) are expected for {block.type} blocks."
        subject = block.label_ranges[len(names)]
        return error(f"Extraneous label for {block.type}", detail, subject, context=context)
    if len(block.labels) < len(names):
        detail = f"All {block.type} blocks must have {len(names)} labels ({', '.join(names)})."
        summary = f"Missing {names[len(block.labels)]} for {block.type}"
        return error(summary, detail, block.open_brace_range, context=context)
    return None
