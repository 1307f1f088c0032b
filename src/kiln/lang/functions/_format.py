"""The printf-like verbs of `format` and `formatlist`, as cty's stdlib implements them.

A verb is ``%`` then flags (space ``#+-0``), an optional one-based argument index ``[n]``, an
optional width, an optional ``.precision`` and the verb letter. Widths and string precisions
count grapheme clusters. Numbers print like Go's ``fmt`` on a ``big.Float``: ``%v`` of
1000000 is ``1e+06``.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kiln.lang.functions._convert import ConversionError, convert
from kiln.lang.functions._text import grapheme_count, graphemes
from kiln.lang.types import BOOL, NUMBER, STRING, Type
from kiln.lang.values import Value, string_val, to_json


class FormatError(ValueError):
    """The format string is invalid or does not fit its arguments; the text is cty's."""


@dataclass
class _Verb:
    raw: str
    offset: int
    arg_number: int
    mode: str
    flags: str
    width: int
    precision: int

    @property
    def zero(self) -> bool:
        return "0" in self.flags

    @property
    def number_zero(self) -> bool:
        """Whether Go's fmt pads a number with zeros: "-" cancels "0" there."""
        return "0" in self.flags and "-" not in self.flags

    @property
    def minus(self) -> bool:
        return "-" in self.flags


def format_values(template: str, args: list[Value]) -> str:
    """Apply `template` to `args`, which must be wholly known. Raises `FormatError`."""
    out: list[str] = []
    next_arg = 1
    index = 0
    while index < len(template):
        percent = template.find("%", index)
        if percent < 0:
            out.append(template[index:])
            break
        out.append(template[index:percent])
        if template.startswith("%%", percent):
            out.append("%")
            index = percent + 2
            continue
        verb, index = _scan_verb(template, percent, next_arg)
        out.append(_append(verb, args))
        next_arg = verb.arg_number + 1
    return "".join(out)


def _scan_verb(template: str, percent: int, next_arg: int) -> tuple[_Verb, int]:
    """Scan one verb starting at `percent` as cty's state machine does; return it and the end."""
    index = percent + 1
    flags = _take(template, index, " #+-0")
    index += len(flags)

    arg_number = next_arg
    if index < len(template) and template[index] == "[":
        digits = _take_number(template, index + 1)
        index += 1 + len(digits)
        _expect(template, index, "]")
        arg_number = int(digits)
        index += 1

    width = _take_number(template, index)
    index += len(width)
    precision = ""
    if index < len(template) and template[index] == ".":
        precision = _take(template, index + 1, "0123456789") or "0"
        index += 1 + len(_take(template, index + 1, "0123456789"))

    if index >= len(template):
        raise FormatError(f"invalid format string starting at offset {_byte_offset(template, index)}")
    mode = template[index]
    if not (mode.isascii() and mode.isalpha()):
        _unrecognized(template, index)

    verb = _Verb(
        raw=template[percent : index + 1],
        offset=_byte_offset(template, percent),
        arg_number=arg_number,
        mode=mode,
        flags=flags,
        width=int(width) if width else -1,
        precision=int(precision) if precision else -1,
    )
    return verb, index + 1


def _take(template: str, index: int, allowed: str) -> str:
    end = index
    while end < len(template) and template[end] in allowed:
        end += 1
    return template[index:end]


def _take_number(template: str, index: int) -> str:
    """Take a decimal number that starts with 1 to 9, as argument indexes and widths do."""
    if index < len(template) and template[index] in "123456789":
        return template[index] + _take(template, index + 1, "0123456789")
    if index < len(template) and template[index] == "0":
        _unrecognized(template, index)
    return ""


def _expect(template: str, index: int, wanted: str) -> None:
    if index >= len(template):
        raise FormatError(f"invalid format string starting at offset {_byte_offset(template, index)}")
    if template[index] != wanted:
        _unrecognized(template, index)


def _unrecognized(template: str, index: int) -> None:
    if index >= len(template):
        raise FormatError(f"invalid format string starting at offset {_byte_offset(template, index)}")
    raise FormatError(
        f"unrecognized format character {_go_rune(template[index])} at offset {_byte_offset(template, index)}"
    )


def _byte_offset(template: str, index: int) -> int:
    return len(template[:index].encode())


def _append(verb: _Verb, args: list[Value]) -> str:
    if verb.arg_number - 1 >= len(args):
        raise FormatError(
            f"not enough arguments for {_go_quote(verb.raw)} at {verb.offset}: "
            f"need index {verb.arg_number} but have {len(args)} total"
        )
    arg = args[verb.arg_number - 1]
    if verb.mode != "v" and arg.is_null:
        raise FormatError(
            f"unsupported value for {_go_quote(verb.raw)} at {verb.offset}: null value cannot be formatted"
        )
    if verb.mode == "v":
        return _format_as_is(verb, arg)
    if verb.mode == "t":
        return "true" if _convert(verb, arg, BOOL).as_bool() else "false"
    if verb.mode in "bdoxXeEfgG":
        number = _convert(verb, arg, NUMBER).as_number()
        if verb.mode in "bdoxX":
            return _format_integer(verb, number)
        return _pad_float(verb, _format_number(verb, number))
    if verb.mode in "sq":
        return _format_string(verb, _convert(verb, arg, STRING).as_str())
    raise FormatError(
        f"unsupported format verb {_go_rune(verb.mode)} in {_go_quote(verb.raw)} at offset {verb.offset}"
    )


def _convert(verb: _Verb, arg: Value, target: Type) -> Value:
    try:
        return convert(arg, target)
    except ConversionError as error:
        raise FormatError(f"unsupported value for {_go_quote(verb.raw)} at {verb.offset}: {error}") from None


def _format_as_is(verb: _Verb, arg: Value) -> str:
    if "#" not in verb.flags and not arg.is_null:
        if arg.type == STRING:
            return _pad_text(verb, arg.as_str())
        if arg.type == NUMBER:
            return _pad_text(verb, format_general(arg.as_number(), -1, "e"))
    return _pad_text(verb, to_json(arg))


def _format_string(verb: _Verb, text: str) -> str:
    if verb.precision > 0:
        text = "".join(graphemes(text)[: verb.precision])
    if verb.mode == "q":
        text = to_json(string_val(text))
    return _pad_text(verb, text)


def _pad_text(verb: _Verb, text: str) -> str:
    if verb.width < 0:
        return text
    missing = verb.width - grapheme_count(text)
    if missing <= 0:
        return text
    pad = ("0" if verb.zero else " ") * missing
    return text + pad if verb.minus else pad + text


def _pad_float(verb: _Verb, body: str) -> str:
    """Pad a formatted float as big.Float's Format: zero padding wins over "-" (except for Inf)."""
    sign = ""
    if body[:1] == "-":
        sign, body = "-", body[1:]
    elif body[:1] == "+":
        sign, body = (" " if " " in verb.flags else "+"), body[1:]
    elif "+" in verb.flags:
        sign = "+"
    elif " " in verb.flags:
        sign = " "
    padding = max(verb.width - len(sign) - len(body), 0)
    if verb.number_zero and body != "Inf":
        return sign + "0" * padding + body
    if verb.minus:
        return sign + body + " " * padding
    return " " * padding + sign + body


def _format_number(verb: _Verb, number: Decimal) -> str:
    if number.is_infinite():
        return "-Inf" if number < 0 else "+Inf"
    if verb.mode in "eE":
        text = format_exponent(number, 6 if verb.precision < 0 else verb.precision)
    elif verb.mode == "f":
        text = format_fixed(number, 6 if verb.precision < 0 else verb.precision)
    else:
        text = format_general(number, verb.precision, "e")
    return text.upper() if verb.mode in "EG" else text


def _format_integer(verb: _Verb, number: Decimal) -> str:
    """Format and pad an integer as big.Int's Format does."""
    if not number.is_finite() or number != number.to_integral_value():
        raise FormatError(
            f"unsupported value for {_go_quote(verb.raw)} at {verb.offset}: an integer is required"
        )
    whole = int(number)
    digits = format(abs(whole), verb.mode)
    sign = "-" if whole < 0 else "+" if "+" in verb.flags else " " if " " in verb.flags else ""
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(verb.mode, "") if "#" in verb.flags else ""

    zeros = 0
    if verb.precision >= 0:
        if digits == "0" and verb.precision == 0:
            # big.Int prints nothing at all, not even padding, for zero at precision zero.
            return ""
        zeros = max(verb.precision - len(digits), 0)

    left = right = 0
    missing = verb.width - (len(sign) + len(prefix) + zeros + len(digits))
    if missing > 0:
        if verb.minus:
            right = missing
        elif verb.number_zero and verb.precision < 0:
            zeros += missing
        else:
            left = missing
    return " " * left + sign + prefix + "0" * zeros + digits + " " * right


def _digits(number: Decimal, *, binary: bool = False) -> tuple[str, int]:
    """Return the significant digits of |number| without trailing zeros and the decimal point position.

    With `binary`, the digits are those of the nearest 512-bit binary float, which is how
    cty stores numbers. Rounding then breaks ties as Go does: 0.05 is stored a little above
    0.05, so ``%.1f`` of it gives 0.1.
    """
    if number.is_zero():
        return "", 0
    magnitude = abs(number)
    if binary:
        magnitude = _nearest_binary512(magnitude)
    _, digit_tuple, exponent = magnitude.normalize(decimal.Context(prec=2000)).as_tuple()
    digits = "".join(map(str, digit_tuple))
    assert isinstance(exponent, int)
    return digits, len(digits) + exponent


def _nearest_binary512(magnitude: Decimal) -> Decimal:
    """Round a positive decimal to the nearest float with a 512-bit mantissa, exactly."""
    exact = Fraction(magnitude)
    exponent = exact.numerator.bit_length() - exact.denominator.bit_length()
    if Fraction(2) ** exponent > exact:
        exponent -= 1
    scaled = exact * Fraction(2) ** (511 - exponent)
    mantissa = round(scaled)  # Python rounds a Fraction half to even.
    value = Fraction(mantissa) * Fraction(2) ** (exponent - 511)
    context = decimal.Context(prec=2000)
    return context.divide(Decimal(value.numerator), Decimal(value.denominator))


def _round_digits(digits: str, point: int, keep: int) -> tuple[str, int]:
    """Round a digit string to `keep` digits, half to even, as Go's decimal rounding."""
    if keep < 0 or len(digits) <= keep:
        return digits, point
    head, tail = digits[:keep], digits[keep:]
    round_up = tail[0] > "5" or (
        tail[0] == "5" and (tail[1:].strip("0") != "" or (head and int(head[-1]) % 2))
    )
    if not round_up:
        return head.rstrip("0"), point
    value = int(head or "0") + 1
    text = str(value)
    if len(text) > len(head):
        point += 1
    return text.rstrip("0"), point


def format_exponent(number: Decimal, precision: int) -> str:
    """Format like Go's %e: one leading digit, `precision` fraction digits, exponent of 2+ digits."""
    negative = number.is_signed() and not number.is_zero()
    digits, point = _digits(number, binary=True)
    digits, point = _round_digits(digits, point, precision + 1)
    return ("-" if negative else "") + _exponent_form(digits, point, precision)


def _exponent_form(digits: str, point: int, precision: int) -> str:
    first = digits[:1] or "0"
    fraction = digits[1:].ljust(precision, "0")[:precision] if precision > 0 else ""
    exponent = point - 1 if digits else 0
    sign = "-" if exponent < 0 else "+"
    text = first + ("." + fraction if fraction else "")
    return f"{text}e{sign}{abs(exponent):02d}"


def format_fixed(number: Decimal, precision: int) -> str:
    """Format like Go's %f with `precision` fraction digits."""
    negative = number.is_signed() and not number.is_zero()
    digits, point = _digits(number, binary=True)
    digits, point = _round_digits(digits, point, point + precision)
    return ("-" if negative else "") + _fixed_form(digits, point, precision)


def _fixed_form(digits: str, point: int, precision: int) -> str:
    if point > 0:
        whole = digits[:point].ljust(point, "0")
    else:
        whole = "0"
    fraction = ""
    if precision > 0:
        padded = ("0" * max(-point, 0)) + digits[max(point, 0) :]
        fraction = "." + padded.ljust(precision, "0")[:precision]
    return whole + fraction


def format_general(number: Decimal, precision: int, letter: str) -> str:
    """Format like Go's %g on a big.Float; a negative `precision` means the shortest form."""
    if number.is_infinite():
        return "-Inf" if number < 0 else "+Inf"
    negative = number.is_signed() and not number.is_zero()
    shortest = precision < 0
    digits, point = _digits(number, binary=not shortest)
    if shortest:
        precision = len(digits)
    else:
        precision = max(precision, 1)
        digits, point = _round_digits(digits, point, precision)
    exponent_limit = precision
    if exponent_limit > len(digits) >= point:
        exponent_limit = len(digits)
    if shortest:
        exponent_limit = 6
    exponent = point - 1
    sign = "-" if negative else ""
    if not digits:
        return sign + "0"
    if exponent < -4 or exponent >= exponent_limit:
        keep = min(precision, len(digits))
        return sign + _exponent_form(digits, point, keep - 1).replace("e", letter)
    if precision > point:
        precision = len(digits)
    return sign + _fixed_form(digits, point, max(precision - point, 0))


def _go_quote(text: str) -> str:
    from kiln.lang.functions._gotime import go_quote

    return go_quote(text)


def _go_rune(char: str) -> str:
    return "'" + char.replace("\\", "\\\\").replace("'", "\\'") + "'"
