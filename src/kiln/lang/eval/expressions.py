"""Evaluation of HCL expressions to values, with hcl's semantics and diagnostics.

`evaluate(expr, ctx)` works on the native syntax tree of `kiln.hcl.syntax.ast`. A JSON-syntax
expression offers `as_native_expression()`, and the evaluator works on the node it returns.
Bad input does not raise (a hypothesis test feeds generated expressions): each problem becomes
a diagnostic whose subject is the range of the expression at fault. An unknown value replaces
the failed result, so evaluation can go on and report every problem.

    value, diags = evaluate(expr, EvalContext({"var": object_val({"n": number_val(2)})}))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.lang import values as V
from kiln.lang.convert import unify
from kiln.lang.eval import operators, traversals
from kiln.lang.eval.context import EvalContext, ExpressionContext

Result = tuple[V.Value, Diagnostics]
_EVALUATORS: dict[str, Callable[[Any, EvalContext | None], Result]] = {}


def evaluate(expr: Any, ctx: EvalContext | None = None) -> Result:
    """Evaluate an expression of either syntax in `ctx`; None allows no variables or functions.

    A node that is not an expression of either syntax is a programming error and raises TypeError.
    """
    evaluator = _EVALUATORS.get(type(expr).__name__)
    if evaluator is None:
        to_native = getattr(expr, "to_native", None)
        native = getattr(expr, "as_native_expression", None)
        if to_native is not None:
            # A JSON string that is not a valid template fails while converting, and hcl reports
            # that when the value is evaluated.
            expr, problems = to_native()
            if problems.has_errors():
                return V.DYNAMIC_VAL, problems
        elif native is not None:
            expr = native()
        evaluator = _EVALUATORS.get(type(expr).__name__)
    if evaluator is None:
        raise TypeError(f"cannot evaluate {type(expr).__name__}: not an HCL expression node")
    value, diags = evaluator(expr, ctx)
    # Diagnostics raised by this node itself (nested nodes have already claimed theirs)
    # record the node and scope, so a renderer can show the values it used.
    for diagnostic in diags:
        if diagnostic.extra is None:
            diagnostic.extra = ExpressionContext(expr, ctx)
    return value, diags


def evaluator(*names: str) -> Callable[[Callable[[Any, EvalContext | None], Result]], Any]:
    def register(function: Callable[[Any, EvalContext | None], Result]) -> Any:
        for name in names:
            _EVALUATORS[name] = function
        return function

    return register


def literal_value(value: Any) -> V.Value:
    """Return the Value of a literal the parser stores as str, Decimal, bool or None."""
    if isinstance(value, V.Value):
        return value
    if value is None:
        return V.null_val(V.DYNAMIC_VAL.type)
    if isinstance(value, bool):
        return V.bool_val(value)
    if isinstance(value, str):
        return V.string_val(value)
    return V.number_val(value)


@evaluator("LiteralValueExpr")
def _literal(expr: Any, ctx: EvalContext | None) -> Result:
    return literal_value(expr.value), Diagnostics()


@evaluator("ParenthesesExpr")
def _parentheses(expr: Any, ctx: EvalContext | None) -> Result:
    return evaluate(expr.expression, ctx)


@evaluator("ExprSyntaxError")
def _syntax_error(expr: Any, ctx: EvalContext | None) -> Result:
    # The parser has already reported why there is no usable expression here.
    return V.DYNAMIC_VAL, Diagnostics()


@evaluator("ScopeTraversalExpr")
def _scope_traversal(expr: Any, ctx: EvalContext | None) -> Result:
    return traversals.traverse_abs(expr.traversal, ctx)


@evaluator("RelativeTraversalExpr")
def _relative_traversal(expr: Any, ctx: EvalContext | None) -> Result:
    source, diags = evaluate(expr.source, ctx)
    value, step_diags = traversals.traverse_rel(source, expr.traversal)
    diags.extend(step_diags)
    return value, diags


@evaluator("AnonSymbolExpr")
def _anonymous_symbol(expr: Any, ctx: EvalContext | None) -> Result:
    value = ctx.anonymous_value(expr) if ctx is not None else None
    return (value if value is not None else V.DYNAMIC_VAL), Diagnostics()


@evaluator("IndexExpr")
def _index(expr: Any, ctx: EvalContext | None) -> Result:
    collection, diags = evaluate(expr.collection, ctx)
    key, key_diags = evaluate(expr.key, ctx)
    diags.extend(key_diags)
    subject = getattr(expr, "bracket_range", None) or expr.range
    value, index_diags = traversals.index(collection, key, subject)
    diags.extend(index_diags)
    return value, diags


@evaluator("TupleConsExpr")
def _tuple_cons(expr: Any, ctx: EvalContext | None) -> Result:
    diags = Diagnostics()
    elements = []
    for element_expr in expr.exprs:
        element, element_diags = evaluate(element_expr, ctx)
        diags.extend(element_diags)
        elements.append(element)
    return V.tuple_val(elements), diags


@evaluator("ObjectConsKeyExpr")
def _object_key(expr: Any, ctx: EvalContext | None) -> Result:
    diags = Diagnostics()
    if not expr.force_non_literal:
        wrapped = expr.wrapped
        if type(wrapped).__name__ == "ScopeTraversalExpr" and len(list(wrapped.traversal)) > 1:
            detail = (
                "If this expression is intended to be a reference, wrap it in parentheses. If it's instead "
                "intended as a literal name containing periods, wrap it in quotes to create a string literal."
            )
            diags.append(error("Ambiguous attribute key", detail, expr.range))
            return V.DYNAMIC_VAL, diags
        keyword = traversals.expr_as_keyword(wrapped)
        if keyword is not None:
            return V.string_val(keyword), diags
    return evaluate(expr.wrapped, ctx)


@evaluator("ObjectConsExpr")
def _object_cons(expr: Any, ctx: EvalContext | None) -> Result:
    from kiln.lang import types as T
    from kiln.lang.convert import ConversionError, convert

    diags = Diagnostics()
    attributes: dict[str, V.Value] = {}
    marks: frozenset = frozenset()
    known = True
    for item in expr.items:
        key, key_diags = evaluate(item.key_expr, ctx)
        value, value_diags = evaluate(item.value_expr, ctx)
        diags.extend(key_diags)
        diags.extend(value_diags)
        if key_diags.has_errors():
            known = False
            continue
        if key.is_null:
            diags.append(
                error(
                    "Null value as key",
                    "Can't use a null value as a key.",
                    item.value_expr.range,
                    extra=ExpressionContext(item.key_expr, ctx),
                )
            )
            known = False
            continue
        key, key_marks = traversals.unmark(key)
        marks |= key_marks
        try:
            key = convert(key, T.STRING)
        except ConversionError as exc:
            detail = f"Can't use this value as a key: {exc}."
            diags.append(
                error(
                    "Incorrect key type",
                    detail,
                    item.key_expr.range,
                    extra=ExpressionContext(item.key_expr, ctx),
                )
            )
            known = False
            continue
        if not key.is_known:
            known = False
            continue
        attributes[key.as_str()] = value

    if not known:
        return V.DYNAMIC_VAL, diags
    return traversals.with_marks(V.object_val(attributes), marks), diags


@evaluator("BinaryOpExpr")
def _binary(expr: Any, ctx: EvalContext | None) -> Result:
    # A chain such as `a + b + c` nests on its left operand, so a long one would recurse once per
    # term. The left spine is walked in a loop instead, in the same order: left, then each right.
    spine = [expr]
    node = expr.lhs
    while type(node).__name__ == type(expr).__name__:
        spine.append(node)
        node = node.lhs
    value, diags = evaluate(node, ctx)
    for current in reversed(spine):
        operator = operators.BINARY_OPERATORS[operators.operator_key(current.op)]
        rhs, rhs_diags = evaluate(current.rhs, ctx)
        diags.extend(rhs_diags)
        value, op_diags = operators.evaluate_binary(operator, current, value, rhs, ctx)
        diags.extend(op_diags)
    return value, diags


@evaluator("UnaryOpExpr")
def _unary(expr: Any, ctx: EvalContext | None) -> Result:
    operator = operators.UNARY_OPERATORS[operators.operator_key(expr.op)]
    operand, diags = evaluate(expr.val, ctx)
    value, op_diags = operators.evaluate_unary(operator, expr, operand, ctx)
    diags.extend(op_diags)
    return value, diags


@evaluator("ConditionalExpr")
def _conditional(expr: Any, ctx: EvalContext | None) -> Result:
    from kiln.lang import types as T
    from kiln.lang.convert import ConversionError, convert

    true_value, true_diags = evaluate(expr.true_result, ctx)
    false_value, false_diags = evaluate(expr.false_result, ctx)
    diags = Diagnostics()

    result_type = _conditional_result_type(true_value, false_value)
    if result_type is None:
        detail = (
            "The true and false result expressions must have consistent types. "
            f"{_describe_type_mismatch(true_value.type, false_value.type)}."
        )
        subject = Range.between(expr.true_result.range, expr.false_result.range)
        diags.append(error("Inconsistent conditional result types", detail, subject, context=expr.range))
        return V.DYNAMIC_VAL, diags

    condition, condition_diags = evaluate(expr.condition, ctx)
    diags.extend(condition_diags)
    if condition.is_null:
        detail = "The condition value is null. Conditions must either be true or false."
        diags.append(
            error(
                "Null condition",
                detail,
                expr.condition.range,
                context=expr.range,
                extra=ExpressionContext(expr.condition, ctx),
            )
        )
        return V.unknown_val(result_type), diags
    # The result carries the marks of the condition and of both results, as hcl's does, so
    # a sensitive value in either branch keeps the result sensitive whichever is chosen.
    condition, marks = traversals.unmark(condition)
    true_value, true_marks = traversals.unmark(true_value)
    false_value, false_marks = traversals.unmark(false_value)
    marks = marks | true_marks | false_marks
    if not condition.is_known:
        if true_value.is_null and false_value.is_null:
            return traversals.with_marks(V.null_val(result_type), marks), diags
        result = _unknown_conditional(true_value, false_value, result_type)
        return traversals.with_marks(result, marks), diags
    try:
        condition = convert(condition, T.BOOL)
    except ConversionError:
        detail = "The condition expression must be of type bool."
        diags.append(
            error(
                "Incorrect condition type",
                detail,
                expr.condition.range,
                context=expr.range,
                extra=ExpressionContext(expr.condition, ctx),
            )
        )
        return V.unknown_val(result_type), diags

    chosen, chosen_diags, chosen_expr, which = (
        (true_value, true_diags, expr.true_result, "true")
        if condition.as_bool()
        else (false_value, false_diags, expr.false_result, "false")
    )
    diags.extend(chosen_diags)
    if not result_type.is_dynamic() and chosen.type != result_type:
        try:
            chosen = convert(chosen, result_type)
        except ConversionError as exc:
            detail = f"The {which} result value has the wrong type: {exc}."
            diags.append(
                error(
                    "Inconsistent conditional result types",
                    detail,
                    chosen_expr.range,
                    context=expr.range,
                    extra=ExpressionContext(chosen_expr, ctx),
                )
            )
            chosen = V.unknown_val(result_type)
    return traversals.with_marks(chosen, marks), diags


def _unknown_conditional(true_value: V.Value, false_value: V.Value, result_type: Any) -> V.Value:
    """Return the unknown result of a conditional on an unknown condition, refined as hcl does.

    The result is not null if neither result is null, and a number or collection result keeps
    the widest bounds of the two results.
    """
    from kiln.lang import types as T

    true_range, false_range = true_value.range(), false_value.range()
    not_null = true_range.definitely_not_null() and false_range.definitely_not_null()
    if true_value.type == T.NUMBER and false_value.type == T.NUMBER:
        builder = V.unknown_val(T.NUMBER).refine()
        if not_null:
            builder = builder.not_null()
        lower = _wider_bound(true_range.number_lower_bound(), false_range.number_lower_bound(), V.less_than)
        upper = _wider_bound(
            true_range.number_upper_bound(), false_range.number_upper_bound(), V.greater_than
        )
        if lower is not None:
            builder = builder.number_lower_bound(*lower)
        if upper is not None:
            builder = builder.number_upper_bound(*upper)
        return builder.new_value()
    if true_value.type.is_collection() and true_value.type == false_value.type:
        builder = V.unknown_val(result_type).refine()
        if not_null:
            builder = builder.not_null()
        lower = min(true_range.length_lower_bound(), false_range.length_lower_bound())
        upper = max(true_range.length_upper_bound(), false_range.length_upper_bound())
        return builder.collection_length_lower_bound(lower).collection_length_upper_bound(upper).new_value()
    result = V.unknown_val(result_type)
    return result.refine_not_null() if not_null else result


def _wider_bound(
    true_bound: tuple[V.Value, bool], false_bound: tuple[V.Value, bool], beyond: Any
) -> tuple[V.Value, bool] | None:
    """Return whichever bound reaches further (`beyond` compares them), or None if one is unknown."""
    (true_limit, true_inclusive), (false_limit, false_inclusive) = true_bound, false_bound
    if not (true_limit.is_known and false_limit.is_known):
        return None
    if beyond(true_limit, false_limit).as_bool():
        return true_limit, true_inclusive
    if true_limit.equals(false_limit).as_bool():
        return false_limit, true_inclusive or false_inclusive
    return false_limit, false_inclusive


def _conditional_result_type(true_value: V.Value, false_value: V.Value) -> Any:
    dynamic = V.DYNAMIC_VAL.type
    if true_value.is_null and true_value.type.is_dynamic():
        return false_value.type
    if false_value.is_null and false_value.type.is_dynamic():
        return true_value.type
    if true_value.type.is_dynamic() or false_value.type.is_dynamic():
        return dynamic
    unified, _ = unify([true_value.type, false_value.type], unsafe=True)
    return unified


def _describe_type_mismatch(true_type: Any, false_type: Any) -> str:
    """Describe how the two result types of a conditional differ, as hcl's message does."""
    if true_type.is_object() and false_type.is_object():
        for name in sorted(true_type.attributes):
            if not false_type.has_attribute(name):
                return f"The 'true' value includes object attribute \"{name}\", which is absent in the 'false' value"
            true_attribute, false_attribute = true_type.attribute_type(name), false_type.attribute_type(name)
            if true_attribute != false_attribute:
                inner = _describe_type_mismatch(true_attribute, false_attribute)
                return f'Type mismatch for object attribute "{name}": {inner}'
        for name in sorted(false_type.attributes):
            if not true_type.has_attribute(name):
                return f"The 'false' value includes object attribute \"{name}\", which is absent in the 'true' value"
    elif true_type.is_tuple() and false_type.is_tuple():
        true_elements, false_elements = list(true_type.element_types), list(false_type.element_types)
        if len(true_elements) != len(false_elements):
            return (
                f"The 'true' tuple has length {len(true_elements)}, "
                f"but the 'false' tuple has length {len(false_elements)}"
            )
        for position, (true_element, false_element) in enumerate(zip(true_elements, false_elements)):
            if true_element != false_element:
                inner = _describe_type_mismatch(true_element, false_element)
                return f"Type mismatch for tuple element {position}: {inner}"
    elif true_type.is_collection() and type(true_type) is type(false_type):
        true_element, false_element = true_type.element_type, false_type.element_type
        structural = (true_element.is_object() and false_element.is_object()) or (
            true_element.is_tuple() and false_element.is_tuple()
        )
        if structural:
            noun = "map"
            if true_type.is_list():
                noun = "list"
            elif true_type.is_set():
                noun = "set"
            return f"Mismatched {noun} element types: {_describe_type_mismatch(true_element, false_element)}"

    true_name, false_name = true_type.friendly_name(), false_type.friendly_name()
    if true_name == false_name:
        return (
            "At least one deeply-nested attribute or element is not compatible across both the 'true' "
            "and the 'false' value"
        )
    return f"The 'true' value is {true_name}, but the 'false' value is {false_name}"


# The remaining node kinds live in their own modules and register themselves on import.
from kiln.lang.eval import calls, iteration, templates  # noqa: F401
