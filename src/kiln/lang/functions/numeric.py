"""Numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum and sum.

All but `sum` follow cty's stdlib; `sum` is Packer's own. `log` and `pow` compute in binary64
floating point, as cty does, while the others keep full precision.
"""

from __future__ import annotations

import decimal
import math
from decimal import Decimal

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make, whole_number
from kiln.lang.types import DYNAMIC, NUMBER, STRING, Type
from kiln.lang.values import Value, number_val

# cty numbers are 512-bit binary floats; 155 significant digits is the decimal equivalent.
_ARITHMETIC = decimal.Context(prec=155, Emin=-999_999_999, Emax=999_999_999, traps=[decimal.InvalidOperation])


def _number_param(name: str = "num") -> Parameter:
    return Parameter(name, NUMBER, allow_dynamic_type=True)


def _abs(args: list[Value], _: Type) -> Value:
    return number_val(abs(args[0].as_number()))


def _ceil(args: list[Value], _: Type) -> Value:
    number = args[0].as_number()
    if number.is_infinite():
        return args[0]
    return number_val(int(number.to_integral_value(rounding=decimal.ROUND_CEILING)))


def _floor(args: list[Value], _: Type) -> Value:
    number = args[0].as_number()
    if number.is_infinite():
        return args[0]
    return number_val(int(number.to_integral_value(rounding=decimal.ROUND_FLOOR)))


def _float_result(compute: float) -> Value:
    if math.isnan(compute):
        raise FunctionError("result is not a number (NaN)")
    return number_val(compute)


def _log(args: list[Value], _: Type) -> Value:
    number, base = float(args[0].as_number()), float(args[1].as_number())
    return _float_result(_go_log(number) / _go_log(base))


def _go_log(number: float) -> float:
    """Return the natural logarithm as Go's math.Log: -Inf at 0 and NaN below it."""
    if number == 0:
        return -math.inf
    if number < 0:
        return math.nan
    return math.log(number)


def _pow(args: list[Value], _: Type) -> Value:
    number, power = float(args[0].as_number()), float(args[1].as_number())
    try:
        return _float_result(math.pow(number, power))
    except OverflowError:
        return number_val(math.inf)
    except ValueError:
        # Go's math.Pow returns Inf for a zero base with a negative exponent, and NaN for a
        # negative base with a fractional exponent.
        if number == 0:
            return number_val(math.inf)
        raise FunctionError("result is not a number (NaN)") from None


def _extreme(pick_max: bool):  # type: ignore[no-untyped-def]
    def impl(args: list[Value], _: Type) -> Value:
        if not args:
            raise FunctionError("must pass at least one number")
        best = args[0].as_number()
        for arg in args[1:]:
            number = arg.as_number()
            if (number > best) if pick_max else (number < best):
                best = number
        return number_val(best)

    return impl


def _signum(args: list[Value], _: Type) -> Value:
    try:
        number = whole_number(args[0])
    except ValueError as error:
        raise FunctionError(str(error)) from None
    return number_val((number > 0) - (number < 0))


def _parseint_type(args: list[Value]) -> Type:
    if args[0].type != STRING:
        raise ArgumentError(0, f"first argument must be a string, not {args[0].type.friendly_name()}")
    return NUMBER


def _parseint(args: list[Value], _: Type) -> Value:
    text = args[0].as_str()
    try:
        base = whole_number(args[1])
    except ValueError as error:
        raise ArgumentError(1, str(error)) from None
    if not 2 <= base <= 62:
        raise ArgumentError(1, "base must be a whole number between 2 and 62 inclusive")
    parsed = parse_big_int(text, base)
    if parsed is None:
        raise ArgumentError(0, f"cannot parse {_go_quote(text)} as a base {base} integer")
    return number_val(parsed)


_DIGIT_VALUES = {c: i for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def parse_big_int(text: str, base: int) -> int | None:
    """Parse as Go's ``big.Int.SetString(text, base)``; None when `text` is not valid.

    Up to base 36 letters are case-insensitive; above it, lowercase letters are 10 to 35 and
    uppercase letters 36 to 61.
    """
    sign = 1
    if text[:1] in ("+", "-"):
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    if not text:
        return None
    total = 0
    for char in text:
        digit = _DIGIT_VALUES.get(char.lower() if base <= 36 else char)
        if digit is None or digit >= base:
            return None
        total = total * base + digit
    return sign * total


def _sum(args: list[Value], _: Type) -> Value:
    collection = args[0]
    if not collection.can_iterate_elements():
        raise ArgumentError(0, "cannot sum noniterable")
    if collection.length_int() == 0:
        raise ArgumentError(0, "cannot sum an empty list")
    if not (collection.type.is_list() or collection.type.is_set() or collection.type.is_tuple()):
        raise ArgumentError(
            0, f"argument must be list, set, or tuple. Received {collection.type.friendly_name()}"
        )
    if not collection.is_wholly_known:
        from kiln.lang.values import unknown_val

        return unknown_val(NUMBER)

    total: Decimal | None = None
    for element in collection.elements():
        number = _sum_operand(element)
        try:
            total = number if total is None else _ARITHMETIC.add(total, number)
        except decimal.InvalidOperation:
            raise FunctionError("can't compute sum of opposing infinities") from None
    assert total is not None
    return number_val(total)


def _sum_operand(element: Value) -> Decimal:
    from kiln.lang.convert import ConversionError, convert

    wrong = ArgumentError(0, "argument must be list, set, or tuple of number values")
    if element.is_null:
        raise wrong
    try:
        return convert(element, NUMBER).as_number()
    except ConversionError:
        raise wrong from None


def _go_quote(text: str) -> str:
    from kiln.lang.functions._gotime import go_quote

    return go_quote(text)


def numeric_functions() -> dict[str, Function]:
    return {
        "abs": make([_number_param()], NUMBER, _abs),
        "ceil": make([Parameter("num", NUMBER)], NUMBER, _ceil),
        "floor": make([Parameter("num", NUMBER)], NUMBER, _floor),
        "log": make([Parameter("num", NUMBER), Parameter("base", NUMBER)], NUMBER, _log),
        "max": make([], NUMBER, _extreme(True), var_param=_number_param("numbers")),
        "min": make([], NUMBER, _extreme(False), var_param=_number_param("numbers")),
        "parseint": make(
            [Parameter("number", DYNAMIC), Parameter("base", NUMBER)],
            _parseint_type,
            _parseint,
        ),
        "pow": make([Parameter("num", NUMBER), Parameter("power", NUMBER)], NUMBER, _pow),
        "signum": make([Parameter("num", NUMBER)], NUMBER, _signum),
        "sum": make([Parameter("list", DYNAMIC)], NUMBER, _sum),
    }
