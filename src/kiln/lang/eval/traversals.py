"""Traversal steps (`.attr`, `[key]`) applied to values, and traversals read from expressions.

`get_attr` and `index` reproduce hcl's `GetAttr` and `Index`: nulls, unknowns, marks and the
wrong kind of value give hcl's diagnostics instead of exceptions. `abs_traversal_for_expr`
and `rel_traversal_for_expr` read a reference such as `source.null.example` from an
expression without evaluating it, for arguments like `depends_on`.

    traversal, diags = abs_traversal_for_expr(attribute.expr)
    print(traversal.root_name)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.eval.context import EvalContext

INVALID_INDEX = "Invalid index"
NO_ELEMENT = "The given key does not identify an element in this collection value"


def unmark(value: V.Value) -> tuple[V.Value, frozenset]:
    if not value.marks:
        return value, frozenset()
    bare, marks = value.unmark()
    return bare, frozenset(marks)


def with_marks(value: V.Value, marks: frozenset) -> V.Value:
    return value.with_marks(marks) if marks else value


def key_value(key: Any) -> V.Value:
    """Return the value of a traversal index key, which the parser stores as str or Decimal."""
    if isinstance(key, V.Value):
        return key
    if isinstance(key, bool):
        return V.bool_val(key)
    if isinstance(key, (int, Decimal)):
        return V.number_val(key)
    return V.string_val(str(key))


def get_attr(value: V.Value, name: str, subject: Range | None) -> tuple[V.Value, Diagnostics]:
    """Return attribute `name` of an object (or element `name` of a map), as hcl's GetAttr."""
    diags = Diagnostics()
    if value.is_null:
        diags.append(
            error(
                "Attempt to get attribute from null value",
                "This value is null, so it does not have any attributes.",
                subject,
            )
        )
        return V.DYNAMIC_VAL, diags

    bare, marks = unmark(value)
    type_ = bare.type
    if type_.is_dynamic():
        return with_marks(V.DYNAMIC_VAL, marks), diags
    if type_.is_object():
        if not type_.has_attribute(name):
            detail = f"This object does not have an attribute named {_go_quote(name)}."
            diags.append(error("Unsupported attribute", detail, subject))
            return V.DYNAMIC_VAL, diags
        if not bare.is_known:
            return with_marks(V.unknown_val(type_.attribute_type(name)), marks), diags
        return with_marks(bare.get_attr(name), marks), diags
    if type_.is_map():
        if not bare.is_known:
            return with_marks(V.unknown_val(type_.element_type), marks), diags
        key = V.string_val(name)
        if not _has_index(bare, key):
            detail = f"This map does not have an element with the key {_go_quote(name)}."
            diags.append(error("Missing map element", detail, subject))
            return V.DYNAMIC_VAL, diags
        return with_marks(bare.index(key), marks), diags

    diags.append(error("Unsupported attribute", _attr_on_non_object(type_, name), subject))
    return V.DYNAMIC_VAL, diags


def _attr_on_non_object(type_: T.Type, name: str) -> str:
    for kind, word in ((T.ListType, "list"), (T.SetType, "set")):
        if isinstance(type_, kind) and type_.element_type.is_object():
            if type_.element_type.has_attribute(name):
                target = f"attribute {_go_quote(name)}"
            else:
                target = "an attribute"
            where = "for a specific element of the list, or across all elements of the list"
            if word == "set":
                where = "across all elements of the set"
            return f"Can't access attributes on a {word} of objects. Did you mean to access {target} {where}?"
    return f"Can't access attributes on a primitive-typed value ({type_.friendly_name()})."


def index(collection: V.Value, key: V.Value, subject: Range | None) -> tuple[V.Value, Diagnostics]:
    """Return the element of `collection` at `key`, as hcl's Index."""
    diags = Diagnostics()
    if collection.is_null:
        diags.append(
            error(
                "Attempt to index null value", "This value is null, so it does not have any indices.", subject
            )
        )
        return V.DYNAMIC_VAL, diags
    if key.is_null:
        diags.append(error(INVALID_INDEX, "Can't use a null value as an indexing key.", subject))
        return V.DYNAMIC_VAL, diags

    bare, marks = unmark(collection)
    type_ = bare.type
    if type_.is_dynamic() or key.type.is_dynamic():
        return with_marks(V.DYNAMIC_VAL, marks), diags
    if type_.is_list() or type_.is_tuple() or type_.is_map():
        return _index_sequence_or_map(bare, key, marks, subject)
    if type_.is_object():
        return _index_object(bare, key, marks, subject)
    if type_.is_set():
        detail = (
            "Elements of a set are identified only by their value and don't have any separate index or key "
            "to select with, so it's only possible to perform operations across all elements of the set."
        )
        diags.append(error(INVALID_INDEX, detail, subject))
        return V.DYNAMIC_VAL, diags
    diags.append(error(INVALID_INDEX, "This value does not have any indices.", subject))
    return V.DYNAMIC_VAL, diags


def _index_sequence_or_map(
    collection: V.Value, key: V.Value, marks: frozenset, subject: Range | None
) -> tuple[V.Value, Diagnostics]:
    diags = Diagnostics()
    type_ = collection.type
    want = T.STRING if type_.is_map() else T.NUMBER
    try:
        key = convert(key, want)
    except ConversionError as exc:
        diags.append(error(INVALID_INDEX, f"{NO_ELEMENT}: {exc}.", subject))
        return V.DYNAMIC_VAL, diags

    bare_key, key_marks = unmark(key)
    if not collection.is_known or not bare_key.is_known:
        result = V.DYNAMIC_VAL if type_.is_tuple() else V.unknown_val(type_.element_type)
        return with_marks(result, marks | key_marks), diags
    if not _has_index(collection, bare_key):
        detail = f"{NO_ELEMENT}."
        if want is T.NUMBER and not key_marks:
            detail = _sequence_index_detail(collection, bare_key.as_number())
        diags.append(error(INVALID_INDEX, detail, subject))
        return V.DYNAMIC_VAL, diags
    return with_marks(collection.index(bare_key), marks | key_marks), diags


def _sequence_index_detail(collection: V.Value, number: Decimal) -> str:
    if number < 0:
        return f"{NO_ELEMENT}: a negative number is not a valid index for a sequence."
    if number != number.to_integral_value():
        return f"{NO_ELEMENT}: indexing a sequence requires a whole number, but the given index has a fractional part."
    length = collection.length_int()
    if length == 0:
        return f"{NO_ELEMENT}: the collection has no elements."
    if number >= length:
        return f"{NO_ELEMENT}: the given index is greater than or equal to the length of the collection."
    return f"{NO_ELEMENT}."


def _index_object(
    collection: V.Value, key: V.Value, marks: frozenset, subject: Range | None
) -> tuple[V.Value, Diagnostics]:
    diags = Diagnostics()
    was_number = key.type == T.NUMBER
    try:
        key = convert(key, T.STRING)
    except ConversionError as exc:
        diags.append(error(INVALID_INDEX, f"{NO_ELEMENT}: {exc}.", subject))
        return V.DYNAMIC_VAL, diags

    bare_key, key_marks = unmark(key)
    if not collection.is_known or not bare_key.is_known:
        return with_marks(V.DYNAMIC_VAL, marks | key_marks), diags
    name = bare_key.as_str()
    if not collection.type.has_attribute(name):
        detail = f"{NO_ELEMENT}."
        if was_number:
            detail += " An object only supports looking up attributes by name, not by numeric index."
        diags.append(error(INVALID_INDEX, detail, subject))
        return V.DYNAMIC_VAL, diags
    return with_marks(collection.get_attr(name), marks | key_marks), diags


def _has_index(collection: V.Value, key: V.Value) -> bool:
    found = collection.has_index(key)
    found, _ = unmark(found)
    return found.is_known and found.as_bool()


def apply_step(value: V.Value, step: Any) -> tuple[V.Value, Diagnostics]:
    """Apply one relative traversal step (attribute or index) to `value`."""
    kind = type(step).__name__
    if kind == "TraverseAttr":
        return get_attr(value, step.name, step.range)
    if kind == "TraverseIndex":
        if step.key is None:
            # The parser has already reported the unusable key.
            return V.DYNAMIC_VAL, Diagnostics()
        return index(value, key_value(step.key), step.range)
    diags = Diagnostics()
    diags.append(error("Invalid traversal", "A splat cannot appear inside a plain reference.", step.range))
    return V.DYNAMIC_VAL, diags


def traverse_rel(value: V.Value, steps: Any) -> tuple[V.Value, Diagnostics]:
    """Apply relative traversal steps in order, stopping at the first error."""
    diags = Diagnostics()
    for step in steps:
        value, step_diags = apply_step(value, step)
        diags.extend(step_diags)
        if step_diags.has_errors():
            return V.DYNAMIC_VAL, diags
    return value, diags


def traverse_abs(traversal: Any, ctx: EvalContext | None) -> tuple[V.Value, Diagnostics]:
    """Look up the traversal's root variable in `ctx` and apply the remaining steps."""
    steps = list(traversal)
    root = steps[0]
    diags = Diagnostics()
    if ctx is None or not ctx.allows_variables():
        diags.append(error("Variables not allowed", "Variables may not be used here.", root.range))
        return V.DYNAMIC_VAL, diags

    value = ctx.lookup_variable(root.name)
    if value is None:
        suggestion = _did_you_mean(root.name, ctx.variable_names())
        detail = f"There is no variable named {_go_quote(root.name)}.{suggestion}"
        diags.append(error("Unknown variable", detail, root.range))
        return V.DYNAMIC_VAL, diags
    return traverse_rel(value, steps[1:])


def _did_you_mean(name: str, candidates: list[str]) -> str:
    from kiln.hcl.diagnostics import suggest_name

    suggestion = suggest_name(name, candidates)
    return f" Did you mean {_go_quote(suggestion)}?" if suggestion else ""


def _go_quote(text: str) -> str:
    """Quote `text` as Go's %q does for the printable strings that names are."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


# Reading traversals from expressions, without evaluating them.

_STATIC_REFERENCE_DETAIL = (
    "A single static variable reference is required: only attribute access and indexing with "
    "constant keys. No calculations, function calls, template expressions, etc are allowed here."
)


def _unwrap(expr: Any) -> Any:
    native = getattr(expr, "as_native_expression", None)
    if native is not None:
        expr = native()
    # Parentheses stay: as in hcl, `(var.x)` is an expression, not a reference.
    while hasattr(expr, "unwrap"):
        expr = expr.unwrap()
    return expr


def abs_traversal_for_expr(expr: Any) -> tuple[Any, Diagnostics]:
    """Return the absolute traversal (`var.x[0]`) that `expr` consists of, as hcl's AbsTraversalForExpr.

    Anything but a plain reference is an "Invalid expression" error and returns None.
    """
    as_traversal = getattr(expr, "as_traversal", None)
    if as_traversal is not None:
        # HCL's JSON syntax spells a reference as a string (`"var.x"`), as hcl's AsTraversal reads it.
        traversal = as_traversal()
        if traversal is not None:
            return traversal, Diagnostics()
        return None, Diagnostics([error("Invalid expression", _STATIC_REFERENCE_DETAIL, expr.range)])
    traversal = _as_traversal(_unwrap(expr))
    if traversal is not None:
        return traversal, Diagnostics()
    diags = Diagnostics()
    diags.append(error("Invalid expression", _STATIC_REFERENCE_DETAIL, expr.range))
    return None, diags


def _as_traversal(native: Any) -> Any:
    """Return the traversal a native expression spells, or None, as hcl's AsTraversal methods do."""
    from kiln.hcl.syntax.ast import Traversal, TraverseRoot

    kind = type(native).__name__
    if kind == "ScopeTraversalExpr":
        return native.traversal
    if kind == "RelativeTraversalExpr":
        source = _as_traversal(_unwrap(native.source))
        return Traversal([*source, *native.traversal]) if source is not None else None
    if kind == "ObjectConsKeyExpr":
        return None if native.force_non_literal else _as_traversal(_unwrap(native.wrapped))
    keyword = _literal_keyword(native)
    if keyword is not None:
        return Traversal([TraverseRoot(keyword, native.range)])
    return None


def _literal_keyword(expr: Any) -> str | None:
    """Return `true`, `false` or `null` for the literal those keywords parse to, else None.

    Traversal syntax has no such keywords, so where an expression is read as a reference
    (an object key in a type constraint, say) hcl reads them back as plain names.
    """
    if type(expr).__name__ != "LiteralValueExpr":
        return None
    if expr.value is None:
        return "null"
    if isinstance(expr.value, bool):
        return "true" if expr.value else "false"
    return None


def rel_traversal_for_expr(expr: Any) -> tuple[list[Any], Diagnostics]:
    """Return the steps of a reference with its root turned into an attribute step.

    As hcl's RelTraversalForExpr: `foo.bar` becomes the relative steps `.foo.bar`.
    """
    from kiln.hcl.syntax.ast import TraverseAttr

    traversal, diags = abs_traversal_for_expr(expr)
    if traversal is None:
        return [], diags
    steps = list(traversal)
    root = steps[0]
    return [TraverseAttr(root.name, root.range), *steps[1:]], diags


def traversal_for_expr(expr: Any) -> tuple[Any, Diagnostics]:
    """Return the absolute traversal an expression consists of; the common name for references."""
    return abs_traversal_for_expr(expr)


def expr_as_keyword(expr: Any) -> str | None:
    """Return the name of a bare single identifier (`foo`), else None, as hcl's ExprAsKeyword."""
    if expr is None:
        return None
    traversal, diags = abs_traversal_for_expr(expr)
    if diags.has_errors():
        return None
    steps = list(traversal)
    if len(steps) != 1:
        return None
    return steps[0].name
