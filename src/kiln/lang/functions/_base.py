"""Shared helpers for the function families: short constructors and refinements."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kiln.lang.function import ArgumentError, Function, FunctionError, Parameter
from kiln.lang.types import Type
from kiln.lang.values import Value

__all__ = [
    "ArgumentError",
    "Function",
    "FunctionError",
    "Parameter",
    "make",
    "refine_not_null",
    "whole_number",
]


def refine_not_null(value: Value) -> Value:
    """Promise that an unknown result will not be null (cty's ``Refine().NotNull()``)."""
    return value.refine_not_null()


def make(
    params: Sequence[Parameter],
    returns: Type | Callable[[list[Any]], Type],
    impl: Callable[[list[Any], Type], Value],
    *,
    var_param: Parameter | None = None,
    not_null: bool = True,
    description: str = "",
) -> Function:
    """Build a `Function`; `not_null` refines unknown results as never null, as most cty functions do."""
    return Function(
        params=list(params),
        return_type=returns,
        impl=impl,
        var_param=var_param,
        refine_result=refine_not_null if not_null else None,
        description=description,
    )


def whole_number(value: Value) -> int:
    """Return a number value as an int, as gocty's conversion to a Go int does.

    Raises `ValueError` with gocty's wording when the number is fractional or outside int64.
    """
    number = value.as_number()
    invalid = ValueError(f"value must be a whole number, between {-(2**63)} and {2**63 - 1}")
    if not number.is_finite() or number != number.to_integral_value():
        raise invalid
    whole = int(number)
    if not -(2**63) <= whole < 2**63:
        raise invalid
    return whole
