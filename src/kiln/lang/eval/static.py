"""Reading the structure of an expression without evaluating it, as hcl's ExprList, ExprMap and ExprCall.

Configuration languages use these where an argument's shape matters more than its value:
`labels = [...]` in a dynamic block lists expressions to evaluate per element, and a type
constraint reads `object({...})` as a call with an object of types.

    items, diags = expr_list(attribute.expr)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error


@dataclass(frozen=True, slots=True)
class StaticCall:
    """A function call read without evaluation: the name, its range, the arguments and their range."""

    name: str
    name_range: Range
    arguments: list[Any]
    args_range: Range


def _native(expr: Any) -> Any:
    method = getattr(expr, "as_native_expression", None)
    expr = method() if method is not None else expr
    while hasattr(expr, "unwrap"):
        expr = expr.unwrap()
    return expr


def _invalid(detail: str, expr: Any) -> Diagnostics:
    diags = Diagnostics()
    diags.append(error("Invalid expression", detail, expr.range))
    return diags


def expr_list(expr: Any) -> tuple[list[Any], Diagnostics]:
    """Return the element expressions of a tuple constructor `[a, b]`, or an error for anything else."""
    native = _native(expr)
    if type(native).__name__ == "TupleConsExpr":
        return list(native.exprs), Diagnostics()
    return [], _invalid("A static list expression is required.", expr)


def expr_map(expr: Any) -> tuple[list[tuple[Any, Any]], Diagnostics]:
    """Return the (key, value) expression pairs of an object constructor `{k = v}`, or an error."""
    native = _native(expr)
    if type(native).__name__ == "ObjectConsExpr":
        return [(item.key_expr, item.value_expr) for item in native.items], Diagnostics()
    return [], _invalid("A static map expression is required.", expr)


def expr_call(expr: Any) -> tuple[StaticCall | None, Diagnostics]:
    """Return the function call `name(args)` that `expr` is, or an error for anything else."""
    native = _native(expr)
    if type(native).__name__ != "FunctionCallExpr":
        return None, _invalid("A static function call is required.", expr)
    args_range = Range.between(native.open_paren_range, native.close_paren_range)
    return StaticCall(native.name, native.name_range, list(native.args), args_range), Diagnostics()
