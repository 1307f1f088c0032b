"""Binary and unary operators, with hcl's operand conversion and diagnostics.

Arithmetic and comparison operands convert to number, logical operands to bool; `==` and `!=`
compare without conversion, so `"1" == 1` is false. An unknown operand gives an unknown result
of the operator's result type, and the marks of both operands (sensitive, for example) carry
over to the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.eval.context import ExpressionContext


@dataclass(frozen=True, slots=True)
class Operator:
    """An operator's operand type (None: any type, unconverted), result type and implementation."""

    operand_type: T.Type | None
    result_type: T.Type
    apply: Callable[..., V.Value]


def _not_equal(a: V.Value, b: V.Value) -> V.Value:
    return V.logical_not(V.equals(a, b))


BINARY_OPERATORS: dict[str, Operator] = {
    "add": Operator(T.NUMBER, T.NUMBER, V.add),
    "subtract": Operator(T.NUMBER, T.NUMBER, V.subtract),
    "multiply": Operator(T.NUMBER, T.NUMBER, V.multiply),
    "divide": Operator(T.NUMBER, T.NUMBER, V.divide),
    "modulo": Operator(T.NUMBER, T.NUMBER, V.modulo),
    "equal": Operator(None, T.BOOL, V.equals),
    "notequal": Operator(None, T.BOOL, _not_equal),
    "lessthan": Operator(T.NUMBER, T.BOOL, V.less_than),
    "lessthanorequal": Operator(T.NUMBER, T.BOOL, V.less_than_or_equal_to),
    "greaterthan": Operator(T.NUMBER, T.BOOL, V.greater_than),
    "greaterthanorequal": Operator(T.NUMBER, T.BOOL, V.greater_than_or_equal_to),
    "logicaland": Operator(T.BOOL, T.BOOL, V.logical_and),
    "logicalor": Operator(T.BOOL, T.BOOL, V.logical_or),
}

UNARY_OPERATORS: dict[str, Operator] = {
    "negate": Operator(T.NUMBER, T.NUMBER, V.negate),
    "logicalnot": Operator(T.BOOL, T.BOOL, V.logical_not),
}


def operator_key(op: Any) -> str:
    """Normalise an operation enum member (`LessThanOrEqual`, `LESS_THAN_OR_EQUAL`) to a table key."""
    name = getattr(op, "name", None) or str(op)
    return name.replace("_", "").lower()


def _convert_operand(
    value: V.Value, operator: Operator, side: str, operand: Any, ctx: Any, context: Range
) -> tuple[V.Value, Diagnostics]:
    diags = Diagnostics()
    if operator.operand_type is None:
        return value, diags
    try:
        return convert(value, operator.operand_type), diags
    except ConversionError as exc:
        detail = f"Unsuitable value for {side} operand: {exc}."
        extra = ExpressionContext(operand, ctx)
        diags.append(error("Invalid operand", detail, operand.range, context=context, extra=extra))
        return V.unknown_val(operator.operand_type), diags


def apply_operator(
    operator: Operator, operands: list[V.Value], context: Range
) -> tuple[V.Value, Diagnostics]:
    """Apply an operator to converted operands; the value operations handle unknowns and marks."""
    diags = Diagnostics()
    if operator.operand_type is not None and any(operand.is_null for operand in operands):
        diags.append(error("Operation failed", "Error during operation: argument must not be null.", context))
        return V.unknown_val(operator.result_type), diags
    try:
        return operator.apply(*operands), diags
    except V.OperationError as exc:
        diags.append(error("Operation failed", f"Error during operation: {exc}.", context))
        return V.unknown_val(operator.result_type), diags


def evaluate_binary(
    operator: Operator, expr: Any, lhs: V.Value, rhs: V.Value, ctx: Any
) -> tuple[V.Value, Diagnostics]:
    """Apply a binary operator to the values of `expr.lhs` and `expr.rhs`, evaluated in `ctx`."""
    diags = Diagnostics()
    lhs, lhs_diags = _convert_operand(lhs, operator, "left", expr.lhs, ctx, expr.range)
    rhs, rhs_diags = _convert_operand(rhs, operator, "right", expr.rhs, ctx, expr.range)
    diags.extend(lhs_diags)
    diags.extend(rhs_diags)
    if diags.has_errors():
        return V.unknown_val(operator.result_type), diags

    result, op_diags = apply_operator(operator, [lhs, rhs], expr.range)
    diags.extend(op_diags)
    return result, diags


def evaluate_unary(operator: Operator, expr: Any, operand: V.Value, ctx: Any) -> tuple[V.Value, Diagnostics]:
    """Apply a unary operator to the value of `expr.val`, evaluated in `ctx`."""
    value, diags = _convert_operand(operand, operator, "unary", expr.val, ctx, expr.range)
    if diags.has_errors():
        return V.unknown_val(operator.result_type), diags

    result, op_diags = apply_operator(operator, [value], expr.range)
    diags.extend(op_diags)
    return result, diags
