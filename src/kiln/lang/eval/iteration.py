"""`for` expressions and splat expressions: evaluation repeated over a collection's elements."""

from __future__ import annotations

from typing import Any

from kiln.hcl.diagnostics import Diagnostics, error
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.eval.context import EvalContext, ExpressionContext
from kiln.lang.eval.expressions import Result, evaluate, evaluator
from kiln.lang.eval.traversals import unmark, with_marks


def iterate(collection: V.Value) -> list[tuple[V.Value, V.Value]]:
    """Return (key, element) pairs as cty's ElementIterator: indices, map keys, or set elements."""
    type_ = collection.type
    if type_.is_map() or type_.is_object():
        return [(V.string_val(key), element) for key, element in collection.items()]
    if type_.is_set():
        return [(element, element) for element in collection.elements()]
    return [(V.number_val(position), element) for position, element in enumerate(collection.elements())]


def can_iterate(type_: T.Type) -> bool:
    return type_.is_collection() or type_.is_structural()


@evaluator("ForExpr")
def _for(expr: Any, ctx: EvalContext | None) -> Result:
    collection, diags = evaluate(expr.coll_expr, ctx)
    if collection.is_null:
        detail = "A null value cannot be used as the collection in a 'for' expression."
        diags.append(
            error(
                "Iteration over null value",
                detail,
                expr.coll_expr.range,
                context=expr.range,
                extra=ExpressionContext(expr.coll_expr, ctx),
            )
        )
        return V.DYNAMIC_VAL, diags
    if collection.type.is_dynamic():
        return V.DYNAMIC_VAL, diags
    collection, marks = unmark(collection)
    if not can_iterate(collection.type):
        detail = (
            f"A value of type {collection.type.friendly_name()} cannot be used as the collection "
            "in a 'for' expression."
        )
        diags.append(
            error(
                "Iteration over non-iterable value",
                detail,
                expr.coll_expr.range,
                context=expr.range,
                extra=ExpressionContext(expr.coll_expr, ctx),
            )
        )
        return V.DYNAMIC_VAL, diags
    if not collection.is_known:
        return with_marks(V.DYNAMIC_VAL, marks), diags

    if expr.cond_expr is not None:
        diags.extend(_precheck_condition(expr, ctx))
        if diags.has_errors():
            return V.DYNAMIC_VAL, diags

    if expr.key_expr is not None:
        return _for_object(expr, ctx, collection, marks, diags)
    return _for_tuple(expr, ctx, collection, marks, diags)


def _scope(expr: Any, ctx: EvalContext | None, key: V.Value, value: V.Value) -> EvalContext:
    scope = ctx.child() if ctx is not None else EvalContext({})
    if expr.key_var:
        scope.variables[expr.key_var] = key
    scope.variables[expr.val_var] = value
    return scope


def _precheck_condition(expr: Any, ctx: EvalContext | None) -> Diagnostics:
    """Check the `if` clause with unknown symbols, so a wrong type is reported once, not per element."""
    scope = _scope(expr, ctx, V.DYNAMIC_VAL, V.DYNAMIC_VAL)
    result, diags = evaluate(expr.cond_expr, scope)
    if result.is_null:
        detail = "The value of the 'if' clause must not be null."
        diags.append(
            error(
                "Condition is null",
                detail,
                expr.cond_expr.range,
                context=expr.range,
                extra=ExpressionContext(expr.cond_expr, scope),
            )
        )
        return diags
    try:
        convert(result, T.BOOL)
    except ConversionError as exc:
        detail = f"The 'if' clause value is invalid: {exc}."
        diags.append(
            error(
                "Invalid 'for' condition",
                detail,
                expr.cond_expr.range,
                context=expr.range,
                extra=ExpressionContext(expr.cond_expr, scope),
            )
        )
    return diags


def _include(
    expr: Any, scope: EvalContext, diags: Diagnostics, report: bool
) -> tuple[bool | None, frozenset]:
    """Evaluate the `if` clause for one element: True, False, or None when the result is unusable."""
    if expr.cond_expr is None:
        return True, frozenset()
    raw, cond_diags = evaluate(expr.cond_expr, scope)
    diags.extend(cond_diags)
    if raw.is_null:
        if report:
            detail = "The value of the 'if' clause must not be null."
            diags.append(
                error(
                    "Invalid 'for' condition",
                    detail,
                    expr.cond_expr.range,
                    context=expr.range,
                    extra=ExpressionContext(expr.cond_expr, scope),
                )
            )
        return None, frozenset()
    try:
        include = convert(raw, T.BOOL)
    except ConversionError as exc:
        if report:
            detail = f"The 'if' clause value is invalid: {exc}."
            diags.append(
                error(
                    "Invalid 'for' condition",
                    detail,
                    expr.cond_expr.range,
                    context=expr.range,
                    extra=ExpressionContext(expr.cond_expr, scope),
                )
            )
        return None, frozenset()
    include, marks = unmark(include)
    if not include.is_known:
        return None, marks
    return include.as_bool(), marks


def _for_object(
    expr: Any, ctx: EvalContext | None, collection: V.Value, marks: frozenset, diags: Diagnostics
) -> Result:
    attributes: dict[str, V.Value] = {}
    groups: dict[str, list[V.Value]] = {}
    known = True
    for key, element in iterate(collection):
        scope = _scope(expr, ctx, key, element)
        include, include_marks = _include(expr, scope, diags, known)
        marks |= include_marks
        if include is None:
            known = False
            continue
        if not include:
            continue

        name, name_marks = _object_key(expr, scope, diags, known)
        if name is None:
            known = False
            continue
        marks |= name_marks
        value, value_diags = evaluate(expr.val_expr, scope)
        diags.extend(value_diags)
        if expr.group:
            groups.setdefault(name, []).append(value)
        elif name in attributes:
            detail = (
                f"Two different items produced the key \"{name}\" in this 'for' expression. If duplicates are "
                "expected, use the ellipsis (...) after the value expression to enable grouping by key."
            )
            diags.append(
                error(
                    "Duplicate object key",
                    detail,
                    expr.key_expr.range,
                    context=expr.range,
                    extra=ExpressionContext(expr.key_expr, scope),
                )
            )
        else:
            attributes[name] = value

    if not known:
        return with_marks(V.DYNAMIC_VAL, marks), diags
    if expr.group:
        attributes = {name: V.tuple_val(values) for name, values in groups.items()}
    return with_marks(V.object_val(attributes), marks), diags


def _object_key(
    expr: Any, scope: EvalContext, diags: Diagnostics, report: bool
) -> tuple[str | None, frozenset]:
    raw, key_diags = evaluate(expr.key_expr, scope)
    diags.extend(key_diags)
    if raw.is_null:
        if report:
            detail = "Key expression in 'for' expression must not produce a null value."
            diags.append(
                error(
                    "Invalid object key",
                    detail,
                    expr.key_expr.range,
                    context=expr.range,
                    extra=ExpressionContext(expr.key_expr, scope),
                )
            )
        return None, frozenset()
    if not raw.is_known:
        return None, frozenset()
    try:
        key = convert(raw, T.STRING)
    except ConversionError as exc:
        if report:
            detail = f"The key expression produced an invalid result: {exc}."
            diags.append(
                error(
                    "Invalid object key",
                    detail,
                    expr.key_expr.range,
                    context=expr.range,
                    extra=ExpressionContext(expr.key_expr, scope),
                )
            )
        return None, frozenset()
    key, marks = unmark(key)
    return key.as_str(), marks


def _for_tuple(
    expr: Any, ctx: EvalContext | None, collection: V.Value, marks: frozenset, diags: Diagnostics
) -> Result:
    elements: list[V.Value] = []
    known = True
    for key, element in iterate(collection):
        scope = _scope(expr, ctx, key, element)
        include, include_marks = _include(expr, scope, diags, known)
        marks |= include_marks
        if include is None:
            known = False
            continue
        if not include:
            continue
        value, value_diags = evaluate(expr.val_expr, scope)
        diags.extend(value_diags)
        elements.append(value)

    if not known:
        return with_marks(V.DYNAMIC_VAL, marks), diags
    return with_marks(V.tuple_val(elements), marks), diags


@evaluator("SplatExpr")
def _splat(expr: Any, ctx: EvalContext | None) -> Result:
    source, diags = evaluate(expr.source, ctx)
    if diags.has_errors():
        return V.DYNAMIC_VAL, diags

    type_ = source.type
    # A splat on a single value treats it as a one-element tuple, and on null as an empty one.
    upgrade = not (type_.is_tuple() or type_.is_list() or type_.is_set())
    if source.is_null:
        if upgrade:
            return with_marks(V.EMPTY_TUPLE, source.marks), diags
        detail = "Splat expressions (with the * symbol) cannot be applied to null sequences."
        diags.append(
            error(
                "Splat of null value",
                detail,
                expr.source.range,
                context=expr.range,
                extra=ExpressionContext(expr.source, ctx),
            )
        )
        return V.DYNAMIC_VAL, diags
    if type_.is_dynamic():
        return with_marks(V.DYNAMIC_VAL, source.marks), diags

    upgraded_unknown = False
    if upgrade:
        # An unknown single value that might turn out null could give zero elements or one,
        # so the result stays unknown.
        upgraded_unknown = not source.is_known and unmark(source)[0].range().could_be_null()
        source = with_marks(V.tuple_val([unmark(source)[0]]), source.marks)
        type_ = source.type
    if not source.is_known:
        result_type = _splat_result_type(expr, ctx, type_)
        result = V.unknown_val(result_type)
        if not result_type.is_dynamic():
            result = result.refine_not_null()
        return with_marks(result, source.marks), diags

    source, marks = unmark(source)
    scope = ctx.child() if ctx is not None else EvalContext({})
    results: list[V.Value] = []
    known = True
    for element in source.elements():
        scope._anonymous[id(expr.item)] = element
        value, each_diags = evaluate(expr.each, scope)
        diags.extend(each_diags)
        known = known and not each_diags.has_errors()
        results.append(value)

    if upgraded_unknown:
        return with_marks(V.DYNAMIC_VAL, marks), diags
    if not known:
        return with_marks(V.unknown_val(_splat_result_type(expr, ctx, type_)), marks), diags
    if type_.is_list() or type_.is_set():
        return _splat_list(expr, ctx, type_, results, marks, diags)
    return with_marks(V.tuple_val(results), marks), diags


def _splat_list(
    expr: Any,
    ctx: EvalContext | None,
    source_type: T.Type,
    results: list[V.Value],
    marks: frozenset,
    diags: Diagnostics,
) -> Result:
    if not results:
        element_type = _splat_result_type(expr, ctx, source_type).element_type
        return with_marks(V.list_val_empty(element_type), marks), diags
    if len({result.type for result in results}) > 1:
        detail = (
            "The second level of splat expression produced elements of different types, so it isn't possible "
            "to construct a valid list to represent the top-level result.\n\nConsider using a for expression "
            "instead, to produce a tuple-typed result which can therefore have non-homogenous element types."
        )
        diags.append(error("Invalid nested splat expressions", detail, expr.each.range, context=expr.range))
        return V.DYNAMIC_VAL, diags
    return with_marks(V.list_val(results), marks), diags


def _splat_result_type(expr: Any, ctx: EvalContext | None, source_type: T.Type) -> T.Type:
    """Return the type a splat would produce, by evaluating its traversal on unknown elements."""
    scope = ctx.child() if ctx is not None else EvalContext({})

    def each_type(element_type: T.Type) -> T.Type:
        scope._anonymous[id(expr.item)] = V.unknown_val(element_type)
        value, _ = evaluate(expr.each, scope)
        return value.type

    if source_type.is_list() or source_type.is_set():
        return T.ListType(each_type(source_type.element_type))
    if source_type.is_tuple():
        return T.TupleType([each_type(element) for element in source_type.element_types])
    return T.DYNAMIC
