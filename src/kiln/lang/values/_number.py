"""Arbitrary-precision numbers as cty keeps them, on top of `decimal.Decimal`.

cty stores numbers as 512-bit binary floats (about 154 significant decimal digits) and parses
literals at that precision, so ``0.1 + 0.2`` equals ``0.3``. kiln keeps numbers as decimals with
`PRECISION` significant digits, which gives the same results wherever a result fits in that
many digits.
"""

from __future__ import annotations

import decimal
import math
import re
from decimal import Decimal

# NOTE: 155 digits matches the length cty prints for a 512-bit result such as 1/3, but the
# last digit can differ because cty rounds in binary ("...335" where kiln prints "...333").
PRECISION = 155

CONTEXT = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999_999,
    Emax=999_999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

POSITIVE_INFINITY = Decimal("Infinity")
NEGATIVE_INFINITY = Decimal("-Infinity")

# The number syntax cty.ParseNumberVal accepts through big.ParseFloat in base 10: an optional
# sign, digits with an optional fraction, and an optional exponent; also "Inf" forms.
_NUMBER_SYNTAX = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_INFINITY_SYNTAX = re.compile(r"[+-]?(?:inf|Inf|INF)")


class NumberSyntaxError(ValueError):
    """A string that is not a number in the syntax cty accepts."""


def parse_number(text: str) -> Decimal:
    """Parse `text` as cty.ParseNumberVal does, raising `NumberSyntaxError` when it is not a number."""
    if _INFINITY_SYNTAX.fullmatch(text):
        return NEGATIVE_INFINITY if text.startswith("-") else POSITIVE_INFINITY
    if not _NUMBER_SYNTAX.fullmatch(text):
        raise NumberSyntaxError(f"{text!r} is not a number")
    return CONTEXT.create_decimal(text)


def from_float(number: float) -> Decimal:
    """Convert a float by its shortest round-trip text, as cty prints a float64 number."""
    if math.isnan(number):
        raise ValueError("NaN is not a number value")
    if number in (float("inf"), float("-inf")):
        return POSITIVE_INFINITY if number > 0 else NEGATIVE_INFINITY
    return Decimal(repr(number))


def format_number(number: Decimal) -> str:
    """Write `number` as cty converts a number to a string: no exponent, no trailing zeros.

    This is Go's ``big.Float.Text('f', -1)``: ``1e21`` becomes ``1000000000000000000000``
    and infinities become ``+Inf`` and ``-Inf``.
    """
    if number.is_infinite():
        return "-Inf" if number < 0 else "+Inf"
    if number.is_zero():
        return "-0" if number.is_signed() else "0"
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def is_whole(number: Decimal) -> bool:
    return number.is_finite() and number == number.to_integral_value()


def canonical(number: Decimal) -> Decimal:
    """Return the number with trailing zeros removed, so equal numbers have one form."""
    if number.is_infinite() or number.is_zero():
        return Decimal(0) if number.is_zero() else number
    return number.normalize(CONTEXT)
