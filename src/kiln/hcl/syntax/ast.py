"""The syntax tree of HCL's native syntax: expressions, traversals, bodies, blocks and files.

Every node carries the `Range` of the source it came from, and bodies keep their items in source
order. Nodes are plain records (`kiln.hcl.record`) with no behaviour beyond navigation;
`kiln.lang` evaluates them. `variables()` returns the absolute traversals an expression refers to, as hcl's
`Variables` walk does: a `for` expression's own symbols and a splat's anonymous item are not
references.

    expr, diags = parse_expression(b"var.a[0] + 1", "x.hcl")
    [t.root_name for t in expr.variables()]  # ["var"]
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Range, did_you_mean, error, quote_name
from kiln.hcl.record import Record
from kiln.hcl.schema import Attribute as SchemaAttribute
from kiln.hcl.schema import Block as SchemaBlock
from kiln.hcl.schema import BlockHeaderSchema, BodyContent, BodySchema

# A literal value: str, Decimal for numbers, bool, or None for null.
LiteralValue = str | Decimal | bool | None


# Traversals -------------------------------------------------------------------------------


class TraverseRoot(Record):
    """The first step of an absolute traversal: a variable name such as `var`."""

    name: str
    range: Range

    __slots__ = ("name", "range")

    def __init__(self, name: str, range: Range) -> None:
        self.name = name
        self.range = range


class TraverseAttr(Record):
    """An attribute step, `.name`."""

    name: str
    range: Range

    __slots__ = ("name", "range")

    def __init__(self, name: str, range: Range) -> None:
        self.name = name
        self.range = range


class TraverseIndex(Record):
    """An index step with a constant key, `[0]`, `["k"]` or the legacy `.0`.

    `key` is None when the key is not a usable constant, as after an invalid legacy index.
    """

    key: LiteralValue
    range: Range

    __slots__ = ("key", "range")

    def __init__(self, key: LiteralValue, range: Range) -> None:
        self.key = key
        self.range = range


class TraverseSplat(Record):
    """A splat step in a traversal, for callers that build traversals by hand."""

    range: Range

    __slots__ = ("range",)

    def __init__(self, range: Range) -> None:
        self.range = range


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


class Expression(Record):
    """Base class of native syntax expressions. Subclasses are records with a `range`."""

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


class LiteralValueExpr(Expression):
    """A constant: a string, a number (Decimal), a bool, or None for null."""

    value: LiteralValue
    range: Range

    __slots__ = ("range", "value")

    def __init__(self, value: LiteralValue, range: Range) -> None:
        self.value = value
        self.range = range

    def __repr__(self) -> str:
        return f"LiteralValueExpr({self.value!r})"


class TemplateExpr(Expression):
    """A string template: literal parts and interpolated or directive parts, concatenated."""

    parts: list[Expression]
    range: Range

    __slots__ = ("parts", "range")

    def __init__(self, parts: list[Expression], range: Range) -> None:
        self.parts = parts
        self.range = range

    def children(self) -> Iterator[Expression]:
        return iter(self.parts)

    def is_string_literal(self) -> bool:
        return len(self.parts) == 1 and isinstance(self.parts[0], LiteralValueExpr)


class TemplateWrapExpr(Expression):
    """A template that is exactly one interpolation, `"${x}"`: it yields x's value unchanged."""

    wrapped: Expression
    range: Range

    __slots__ = ("range", "wrapped")

    def __init__(self, wrapped: Expression, range: Range) -> None:
        self.wrapped = wrapped
        self.range = range

    def children(self) -> Iterator[Expression]:
        yield self.wrapped


class TemplateJoinExpr(Expression):
    """The result of a `%{for}` directive: the strings its `ForExpr` yields, concatenated."""

    tuple: Expression
    range: Range

    __slots__ = ("range", "tuple")

    def __init__(self, tuple: Expression, range: Range) -> None:
        self.tuple = tuple
        self.range = range

    def children(self) -> Iterator[Expression]:
        yield self.tuple


class ScopeTraversalExpr(Expression):
    """A reference to a variable and steps into it, `var.a.b[0]`."""

    traversal: Traversal
    range: Range

    __slots__ = ("range", "traversal")

    def __init__(self, traversal: Traversal, range: Range) -> None:
        self.traversal = traversal
        self.range = range


class RelativeTraversalExpr(Expression):
    """Constant steps applied to the value of another expression, `f(x).a[0]`."""

    source: Expression
    traversal: Traversal
    range: Range

    __slots__ = ("range", "source", "traversal")

    def __init__(self, source: Expression, traversal: Traversal, range: Range) -> None:
        self.source = source
        self.traversal = traversal
        self.range = range

    def children(self) -> Iterator[Expression]:
        yield self.source


class FunctionCallExpr(Expression):
    """A call `name(args...)`; `expand_final` is set when the last argument ends with `...`."""

    name: str
    args: list[Expression]
    expand_final: bool
    range: Range
    name_range: Range
    open_paren_range: Range
    close_paren_range: Range

    __slots__ = (
        "args",
        "close_paren_range",
        "expand_final",
        "name",
        "name_range",
        "open_paren_range",
        "range",
    )

    def __init__(
        self,
        name: str,
        args: list[Expression],
        expand_final: bool,
        range: Range,
        name_range: Range,
        open_paren_range: Range,
        close_paren_range: Range,
    ) -> None:
        self.name = name
        self.args = args
        self.expand_final = expand_final
        self.range = range
        self.name_range = name_range
        self.open_paren_range = open_paren_range
        self.close_paren_range = close_paren_range

    def children(self) -> Iterator[Expression]:
        return iter(self.args)


class ConditionalExpr(Expression):
    """`condition ? true_result : false_result`, also the result of a template `%{if}`."""

    condition: Expression
    true_result: Expression
    false_result: Expression
    range: Range

    __slots__ = ("condition", "false_result", "range", "true_result")

    def __init__(
        self,
        condition: Expression,
        true_result: Expression,
        false_result: Expression,
        range: Range,
    ) -> None:
        self.condition = condition
        self.true_result = true_result
        self.false_result = false_result
        self.range = range

    def children(self) -> Iterator[Expression]:
        yield self.condition
        yield self.true_result
        yield self.false_result


class BinaryOpExpr(Expression):
    op: Operation
    lhs: Expression
    rhs: Expression
    range: Range

    __slots__ = ("lhs", "op", "range", "rhs")

    def __init__(self, op: Operation, lhs: Expression, rhs: Expression, range: Range) -> None:
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.range = range

    def children(self) -> Iterator[Expression]:
        yield self.lhs
        yield self.rhs


class UnaryOpExpr(Expression):
    """`-x` (Operation.Negate) or `!x` (Operation.LogicalNot)."""

    op: Operation
    val: Expression
    range: Range
    symbol_range: Range

    __slots__ = ("op", "range", "symbol_range", "val")

    def __init__(self, op: Operation, val: Expression, range: Range, symbol_range: Range) -> None:
        self.op = op
        self.val = val
        self.range = range
        self.symbol_range = symbol_range

    def children(self) -> Iterator[Expression]:
        yield self.val


class ObjectConsKeyExpr(Expression):
    """An object key. A bare identifier is a literal string unless the key was parenthesized."""

    wrapped: Expression
    force_non_literal: bool
    range: Range

    __slots__ = ("force_non_literal", "range", "wrapped")

    def __init__(self, wrapped: Expression, force_non_literal: bool, range: Range) -> None:
        self.wrapped = wrapped
        self.force_non_literal = force_non_literal
        self.range = range

    def children(self) -> Iterator[Expression]:
        yield self.wrapped

    def as_literal_name(self) -> str | None:
        """Return the key's name when it is a bare identifier that stands for a string."""
        if self.force_non_literal or not isinstance(self.wrapped, ScopeTraversalExpr):
            return None
        traversal = self.wrapped.traversal
        return traversal.root_name if len(traversal) == 1 else None


class ObjectConsItem(Record):
    key_expr: ObjectConsKeyExpr
    value_expr: Expression

    __slots__ = ("key_expr", "value_expr")

    def __init__(self, key_expr: ObjectConsKeyExpr, value_expr: Expression) -> None:
        self.key_expr = key_expr
        self.value_expr = value_expr


class ObjectConsExpr(Expression):
    """`{ key = value, ... }`; items keep source order, duplicates included."""

    items: list[ObjectConsItem]
    range: Range
    open_range: Range

    __slots__ = ("items", "open_range", "range")

    def __init__(self, items: list[ObjectConsItem], range: Range, open_range: Range) -> None:
        self.items = items
        self.range = range
        self.open_range = open_range

    def children(self) -> Iterator[Expression]:
        for item in self.items:
            yield item.key_expr
            yield item.value_expr


class TupleConsExpr(Expression):
    """`[a, b, ...]`."""

    exprs: list[Expression]
    range: Range
    open_range: Range

    __slots__ = ("exprs", "open_range", "range")

    def __init__(self, exprs: list[Expression], range: Range, open_range: Range) -> None:
        self.exprs = exprs
        self.range = range
        self.open_range = open_range

    def children(self) -> Iterator[Expression]:
        return iter(self.exprs)


class IndexExpr(Expression):
    """`collection[key]` where the key is not a constant (constant keys become traversals)."""

    collection: Expression
    key: Expression
    range: Range
    open_range: Range
    bracket_range: Range

    __slots__ = ("bracket_range", "collection", "key", "open_range", "range")

    def __init__(
        self,
        collection: Expression,
        key: Expression,
        range: Range,
        open_range: Range,
        bracket_range: Range,
    ) -> None:
        self.collection = collection
        self.key = key
        self.range = range
        self.open_range = open_range
        self.bracket_range = bracket_range

    def children(self) -> Iterator[Expression]:
        yield self.collection
        yield self.key


class AnonSymbolExpr(Expression):
    """The per-item placeholder inside a splat: `each` is evaluated with it bound to an element."""

    range: Range

    __slots__ = ("range",)

    def __init__(self, range: Range) -> None:
        self.range = range


class SplatExpr(Expression):
    """`source[*].each` or the attribute-only `source.*.each`."""

    source: Expression
    each: Expression
    item: AnonSymbolExpr
    range: Range
    marker_range: Range
    attr_only: bool

    __slots__ = ("attr_only", "each", "item", "marker_range", "range", "source")

    def __init__(
        self,
        source: Expression,
        each: Expression,
        item: AnonSymbolExpr,
        range: Range,
        marker_range: Range,
        attr_only: bool = False,
    ) -> None:
        self.source = source
        self.each = each
        self.item = item
        self.range = range
        self.marker_range = marker_range
        self.attr_only = attr_only

    def children(self) -> Iterator[Expression]:
        yield self.source
        yield self.each


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

    __slots__ = (
        "close_range",
        "coll_expr",
        "cond_expr",
        "group",
        "key_expr",
        "key_var",
        "open_range",
        "range",
        "val_expr",
        "val_var",
    )

    def __init__(
        self,
        key_var: str,
        val_var: str,
        coll_expr: Expression,
        key_expr: Expression | None,
        val_expr: Expression,
        cond_expr: Expression | None,
        group: bool,
        range: Range,
        open_range: Range,
        close_range: Range,
    ) -> None:
        self.key_var = key_var
        self.val_var = val_var
        self.coll_expr = coll_expr
        self.key_expr = key_expr
        self.val_expr = val_expr
        self.cond_expr = cond_expr
        self.group = group
        self.range = range
        self.open_range = open_range
        self.close_range = close_range

    def children(self) -> Iterator[Expression]:
        yield self.coll_expr
        if self.key_expr is not None:
            yield self.key_expr
        yield self.val_expr
        if self.cond_expr is not None:
            yield self.cond_expr


class ParenthesesExpr(Expression):
    expression: Expression
    range: Range

    __slots__ = ("expression", "range")

    def __init__(self, expression: Expression, range: Range) -> None:
        self.expression = expression
        self.range = range

    def children(self) -> Iterator[Expression]:
        yield self.expression


class ExprSyntaxError(Expression):
    """A placeholder where the parser found no usable expression; a diagnostic explains why."""

    range: Range

    __slots__ = ("range",)

    def __init__(self, range: Range) -> None:
        self.range = range


# Structure --------------------------------------------------------------------------------


class Attribute(Record):
    """`name = expr` in a body."""

    name: str
    expr: Expression
    range: Range
    name_range: Range
    equals_range: Range

    __slots__ = ("equals_range", "expr", "name", "name_range", "range")

    def __init__(
        self,
        name: str,
        expr: Expression,
        range: Range,
        name_range: Range,
        equals_range: Range,
    ) -> None:
        self.name = name
        self.expr = expr
        self.range = range
        self.name_range = name_range
        self.equals_range = equals_range


class Block(Record):
    """`type "label" ... { body }`."""

    type: str
    labels: list[str]
    body: Body
    type_range: Range
    label_ranges: list[Range]
    open_brace_range: Range
    close_brace_range: Range

    __slots__ = (
        "body",
        "close_brace_range",
        "label_ranges",
        "labels",
        "open_brace_range",
        "type",
        "type_range",
    )

    def __init__(
        self,
        type: str,
        labels: list[str],
        body: Body,
        type_range: Range,
        label_ranges: list[Range],
        open_brace_range: Range,
        close_brace_range: Range,
    ) -> None:
        self.type = type
        self.labels = labels
        self.body = body
        self.type_range = type_range
        self.label_ranges = label_ranges
        self.open_brace_range = open_brace_range
        self.close_brace_range = close_brace_range

    @property
    def range(self) -> Range:
        return Range.between(self.type_range, self.close_brace_range)

    @property
    def def_range(self) -> Range:
        """Return the header's range, from the type to the last label (the brace excluded)."""
        last = self.label_ranges[-1] if self.label_ranges else self.type_range
        return Range.between(self.type_range, last)


class Body(Record):
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
    hidden_attributes: frozenset[str]
    hidden_blocks: frozenset[str]

    __slots__ = (
        "attributes",
        "blocks",
        "end_range",
        "hidden_attributes",
        "hidden_blocks",
        "items",
        "src_range",
    )

    def __init__(
        self,
        attributes: dict[str, Attribute],
        blocks: list[Block],
        items: list[Attribute | Block],
        src_range: Range,
        end_range: Range,
        hidden_attributes: frozenset[str] = frozenset(),
        hidden_blocks: frozenset[str] = frozenset(),
    ) -> None:
        self.attributes = attributes
        self.blocks = blocks
        self.items = items
        self.src_range = src_range
        self.end_range = end_range
        self.hidden_attributes = hidden_attributes
        self.hidden_blocks = hidden_blocks

    __eq__ = object.__eq__
    __hash__ = object.__hash__

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


class File(Record):
    """A parsed configuration file: its root body and the source bytes it came from."""

    body: Body
    bytes: bytes

    __slots__ = ("body", "bytes")

    def __init__(self, body: Body, bytes: bytes) -> None:
        self.body = body
        self.bytes = bytes

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
