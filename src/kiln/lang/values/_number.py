"""Numbers as cty keeps them: binary floating point of high precision, shown as decimals.

cty stores a number as a Go ``big.Float``: a binary mantissa of some precision. Parsed
numbers get 512 bits (about 154 decimal digits), integers made by functions get 64, and
float64 results get 53. Each operation rounds its exact result to the larger operand
precision, to the nearest even mantissa, and numbers print as the shortest decimal that
identifies their binary value at that precision (Go's ``Text('f', -1)``).

kiln reproduces this. A `Number` is a `Decimal` holding that shortest decimal, and it also
carries the precision and the binary value, so ``0.1 + 0.2`` prints ``0.3`` as in cty while
``1.1 * 1.1`` prints ``1.2100...0001`` with 155 significant digits, also as in cty.
"""

from __future__ import annotations

import decimal
import math
import re
from decimal import Decimal
from fractions import Fraction

# The precision cty parses numbers with, in bits.
PARSE_PRECISION = 512
# Go gives an integer at least 64 bits of precision (big.Float.SetInt, cty.NumberIntVal).
INT_PRECISION = 64
FLOAT_PRECISION = 53

# Significant decimal digits of a 512-bit result such as 1/3, for callers that compute with
# decimal contexts of their own.
PRECISION = 155

# Decimal arithmetic for numbers too large or small to handle in binary; see `_exact`.
CONTEXT = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999_999,
    Emax=999_999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

POSITIVE_INFINITY = Decimal("Infinity")
NEGATIVE_INFINITY = Decimal("-Infinity")

# Beyond these magnitudes (about 1e±900) the exact decimal digits of a binary value pass
# Python's limit on converting integers to text (4300 digits), so kiln computes in decimal.
# NOTE: cty has no such limit (Go's exponent range is about 2**31); past it kiln rounds to
# `PRECISION` decimal digits instead of to binary.
_MAX_BINARY_EXPONENT = 900
_MAX_BINARY_BITS = 3000

# The number syntax cty.ParseNumberVal accepts through big.ParseFloat in base 10: an optional
# sign, digits with an optional fraction, and an optional exponent, or an infinity.
_NUMBER_SYNTAX = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_INFINITY_SYNTAX = re.compile(r"[+-]?(?:inf|Inf)")


class NumberSyntaxError(ValueError):
    """A string that is not a number in the syntax cty accepts."""


class Number(Decimal):
    """A number as cty keeps it: its shortest decimal, with binary precision and value.

    `binary` is the exact binary value as a `Fraction` (None for infinities and numbers
    beyond the binary range), and `precision` its mantissa size in bits.
    """

    __slots__ = ("binary", "precision")

    binary: Fraction | None
    precision: int

    # Decimal copies and pickles by text, which would drop the binary value and precision.
    def __reduce__(self) -> tuple[object, ...]:
        return (_make, (str(self), self.precision, self.binary))

    def __copy__(self) -> Number:
        return self

    def __deepcopy__(self, memo: object) -> Number:
        return self


def _make(text_or_decimal: Decimal | str | int, precision: int, binary: Fraction | None) -> Number:
    number = Number(text_or_decimal)
    number.precision = precision
    number.binary = binary
    return number


def precision_of(number: Decimal) -> int:
    return getattr(number, "precision", PARSE_PRECISION)


def binary_of(number: Decimal) -> Fraction | None:
    """Return the exact binary value behind `number`, rounding it to its precision if needed."""
    if isinstance(number, Number) and hasattr(number, "binary"):
        return number.binary
    if not number.is_finite() or _out_of_binary_range(number):
        return None
    return round_to_precision(Fraction(number), PARSE_PRECISION)


def _out_of_binary_range(number: Decimal) -> bool:
    return not number.is_zero() and abs(number.adjusted()) > _MAX_BINARY_EXPONENT


# Construction.


def from_decimal(number: Decimal, precision: int = PARSE_PRECISION) -> Decimal:
    """Round `number` to a binary value of `precision` bits, as cty.ParseNumberVal does."""
    if isinstance(number, Number) and getattr(number, "precision", None) == precision:
        return number
    if number.is_nan():
        raise ValueError("NaN is not a number value")
    if not number.is_finite():
        return number
    if _out_of_binary_range(number):
        return _make(CONTEXT.plus(number), precision, None)
    return from_binary(round_to_precision(Fraction(number), precision), precision)


def from_int(number: int) -> Number:
    """Return an integer exactly, with the precision Go gives integers (64 bits or more)."""
    return _make(number, max(INT_PRECISION, abs(number).bit_length()), Fraction(number))


def from_float(number: float) -> Decimal:
    """Return a float64 exactly, with 53 bits of precision, as cty.NumberFloatVal does."""
    if math.isnan(number):
        raise ValueError("NaN is not a number value")
    if math.isinf(number):
        return POSITIVE_INFINITY if number > 0 else NEGATIVE_INFINITY
    return from_binary(Fraction(number), FLOAT_PRECISION)


def parse_number(text: str) -> Decimal:
    """Parse `text` as cty.ParseNumberVal does, raising `NumberSyntaxError` when it is not a number."""
    if _INFINITY_SYNTAX.fullmatch(text):
        return NEGATIVE_INFINITY if text.startswith("-") else POSITIVE_INFINITY
    if not _NUMBER_SYNTAX.fullmatch(text):
        raise NumberSyntaxError(f"{text!r} is not a number")
    return from_decimal(Decimal(text))


def from_binary(value: Fraction, precision: int) -> Number:
    """Return the `Number` for an exact binary value that fits in `precision` bits."""
    return _make(shortest_decimal(value, precision), precision, value)


# Binary rounding.


def round_to_precision(value: Fraction, precision: int) -> Fraction:
    """Round an exact rational to a binary mantissa of `precision` bits, ties to even."""
    if value == 0:
        return Fraction(0)
    negative = value < 0
    numerator, denominator = abs(value.numerator), value.denominator

    # Find the shift that puts the quotient in [2**(precision-1), 2**precision).
    shift = precision - (numerator.bit_length() - denominator.bit_length()) - 1
    while True:
        scaled_numerator = numerator << shift if shift >= 0 else numerator
        scaled_denominator = denominator if shift >= 0 else denominator << -shift
        quotient, remainder = divmod(scaled_numerator, scaled_denominator)
        if quotient >= 1 << precision:
            shift -= 1
        elif quotient < 1 << (precision - 1):
            shift += 1
        else:
            break

    twice = remainder * 2
    if twice > scaled_denominator or (twice == scaled_denominator and quotient & 1):
        quotient += 1
    result = Fraction(quotient) / (Fraction(2) ** shift) if shift >= 0 else Fraction(quotient * 2**-shift)
    return -result if negative else result


def minimum_precision(value: Fraction) -> int:
    """Return the bits needed to hold a binary value exactly, as big.Float.MinPrec."""
    if value == 0:
        return 0
    numerator = abs(value.numerator)
    trailing = (numerator & -numerator).bit_length() - 1
    return numerator.bit_length() - trailing


# Shortest decimal, as Go's big.Float formats with precision -1.


def shortest_decimal(value: Fraction, precision: int) -> Decimal:
    """Return the shortest decimal that rounds back to `value` at `precision` bits.

    This follows Go's roundShortest: the bounds lie half a unit in the last place either
    side, and they count as inside only when the mantissa is even.
    """
    if value == 0:
        return Decimal(0)
    negative = value < 0
    magnitude = abs(value)

    # Write the value as mantissa * 2**exponent with a mantissa of exactly precision bits,
    # then double the mantissa so that its last bit is half a unit in the last place.
    mantissa, exponent = _mantissa_exponent(magnitude, precision)
    inclusive = mantissa & 1 == 0
    mantissa, exponent = mantissa << 1, exponent - 1

    digits, point = _exact_decimal(mantissa, exponent)
    lower, _ = _exact_decimal(mantissa - 1, exponent)
    upper, _ = _exact_decimal(mantissa + 1, exponent)
    digits, point = _shorten(digits, point, lower, upper, inclusive)

    text = f"{'-' if negative else ''}0.{digits}e{point}"
    return Decimal(text).normalize(decimal.Context(prec=max(len(digits), 1)))


def _mantissa_exponent(magnitude: Fraction, precision: int) -> tuple[int, int]:
    numerator, denominator = magnitude.numerator, magnitude.denominator
    # A binary value has a power of two as denominator.
    exponent = -(denominator.bit_length() - 1)
    shift = precision - numerator.bit_length()
    if shift < 0:
        # Only trailing zero bits go, since the value fits in `precision` bits.
        return numerator >> -shift, exponent - shift
    return numerator << shift, exponent - shift


def _exact_decimal(mantissa: int, exponent: int) -> tuple[str, int]:
    """Return the digits and point position of mantissa * 2**exponent (value = 0.digits * 10**point)."""
    if exponent >= 0:
        digits = str(mantissa << exponent)
        point = len(digits)
    else:
        digits = str(mantissa * 5**-exponent)
        point = len(digits) + exponent
    stripped = digits.rstrip("0")
    return stripped or "0", point


def _shorten(digits: str, point: int, lower: str, upper: str, inclusive: bool) -> tuple[str, int]:
    for index, digit in enumerate(digits):
        low = lower[index] if index < len(lower) else "0"
        high = upper[index] if index < len(upper) else "0"
        may_round_down = low != digit or (inclusive and index + 1 == len(lower))
        may_round_up = digit != high and (inclusive or int(digit) + 1 < int(high) or index + 1 < len(upper))
        if may_round_down and may_round_up:
            return _round_nearest(digits, point, index + 1)
        if may_round_down:
            return _round_down(digits, point, index + 1)
        if may_round_up:
            return _round_up(digits, point, index + 1)
    return digits, point


def _round_nearest(digits: str, point: int, keep: int) -> tuple[str, int]:
    if keep >= len(digits):
        return digits, point
    if digits[keep] == "5" and keep + 1 == len(digits):
        round_up = keep > 0 and int(digits[keep - 1]) % 2 == 1
    else:
        round_up = digits[keep] >= "5"
    return _round_up(digits, point, keep) if round_up else _round_down(digits, point, keep)


def _round_down(digits: str, point: int, keep: int) -> tuple[str, int]:
    if keep >= len(digits):
        return digits, point
    return digits[:keep].rstrip("0") or "0", point


def _round_up(digits: str, point: int, keep: int) -> tuple[str, int]:
    if keep >= len(digits):
        return digits, point
    while keep > 0 and digits[keep - 1] == "9":
        keep -= 1
    if keep == 0:
        return "1", point + 1
    return digits[: keep - 1] + str(int(digits[keep - 1]) + 1), point


# Arithmetic, rounding as big.Float does.


def add(a: Decimal, b: Decimal) -> Decimal:
    return _binary_operation(a, b, lambda x, y: x + y, CONTEXT.add)


def subtract(a: Decimal, b: Decimal) -> Decimal:
    return _binary_operation(a, b, lambda x, y: x - y, CONTEXT.subtract)


def multiply(a: Decimal, b: Decimal) -> Decimal:
    """Return ``a * b``; cty rounds the product to 512 bits, then keeps what precision it needs."""
    if not (a.is_finite() and b.is_finite()):
        return CONTEXT.multiply(a, b)
    x, y = binary_of(a), binary_of(b)
    if x is None or y is None:
        return _exact(CONTEXT.multiply(a, b), max(precision_of(a), precision_of(b)))
    product = round_to_precision(x * y, PARSE_PRECISION)
    if not _in_binary_range(product):
        return _exact(CONTEXT.multiply(a, b), max(precision_of(a), precision_of(b)))
    precision = max(precision_of(a), precision_of(b), minimum_precision(product))
    return _signed_zero(from_binary(product, precision), a.is_signed() != b.is_signed())


def divide(a: Decimal, b: Decimal) -> Decimal:
    """Return ``a / b`` for a non-zero `b`, rounded to the larger operand precision."""
    return _binary_operation(a, b, lambda x, y: x / y, CONTEXT.divide)


def modulo(a: Decimal, b: Decimal) -> Decimal:
    """Return ``a % b`` as cty's Modulo computes it: ``a - b * trunc(a / b)`` in binary steps.

    With an infinite operand cty multiplies instead, and modulo zero returns `a`.
    """
    if a.is_infinite() or b.is_infinite():
        return CONTEXT.multiply(a, b)
    if b.is_zero():
        return a
    x, y = binary_of(a), binary_of(b)
    if x is None or y is None:
        return _exact(CONTEXT.remainder(a, b), precision_of(a))
    precision = precision_of(a)
    quotient = round_to_precision(x / y, max(precision, precision_of(b)))
    whole = round_to_precision(Fraction(math.trunc(quotient)), precision)
    product = round_to_precision(y * whole, precision)
    return from_binary(round_to_precision(x - product, precision), precision)


def negate(number: Decimal) -> Decimal:
    if not number.is_finite():
        return -number
    binary = binary_of(number)
    # copy_negate keeps the sign of a zero, which unary minus on a Decimal drops.
    negated = Number(number.copy_negate())
    negated.precision = precision_of(number)
    negated.binary = -binary if binary is not None else None
    return negated


def absolute(number: Decimal) -> Decimal:
    return negate(number) if number.is_signed() else number


def _binary_operation(a: Decimal, b: Decimal, exact, fallback) -> Decimal:
    precision = max(precision_of(a), precision_of(b))
    if not (a.is_finite() and b.is_finite()):
        return fallback(a, b)
    x, y = binary_of(a), binary_of(b)
    if x is None or y is None:
        return _exact(fallback(a, b), precision)
    result = round_to_precision(exact(x, y), precision)
    if not _in_binary_range(result):
        return _exact(fallback(a, b), precision)
    return from_binary(result, precision)


def _in_binary_range(value: Fraction) -> bool:
    if value == 0:
        return True
    magnitude_bits = abs(value.numerator).bit_length() - value.denominator.bit_length()
    return abs(magnitude_bits) < _MAX_BINARY_BITS and value.denominator.bit_length() < _MAX_BINARY_BITS + 600


def _exact(number: Decimal, precision: int) -> Decimal:
    if not number.is_finite():
        return number
    if _out_of_binary_range(number):
        return _make(number, precision, None)
    return from_decimal(number, precision)


def _signed_zero(number: Decimal, negative: bool) -> Decimal:
    # Go keeps the sign of a zero product ("-0"), which Fraction arithmetic loses.
    if number.is_zero() and negative:
        return negate(number)
    return number


# Formatting.


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
