"""Set membership and order, following cty's set rules.

cty keeps set elements in a fixed order: known strings by text, numbers by value, false
before true, and other types by their hash text compared byte by byte, with unknown elements
and then nulls last. The hash text (Go's formatting of each element) is reproduced here
because it decides that order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kiln.lang.types import BOOL, NUMBER, STRING
from kiln.lang.values import _number

if TYPE_CHECKING:
    from kiln.lang.values._value import Value


def set_members(elements: list[Value]) -> tuple[Value, ...]:
    """Remove duplicates and order the elements, as cty's set rules do."""
    # Equal values have equal hash text, so only elements in the same bucket need comparing.
    buckets: dict[bytes, list[Value]] = {}
    members: list[Value] = []
    for element in elements:
        # Unknown values never equal anything, so each one stays a separate member.
        if element.is_known:
            bucket = buckets.setdefault(hash_bytes(element), [])
            if any(set_equivalent(element, member) for member in bucket):
                continue
            bucket.append(element)
        members.append(element)
    return _set_order(members)


def set_equivalent(a: Value, b: Value) -> bool:
    from kiln.lang.values._ops import equals

    return equals(a, b).true() or (a.is_null and b.is_null)


def _set_order(members: list[Value]) -> tuple[Value, ...]:
    """Order set members as cty: known values first, then unknowns, then nulls.

    Known strings sort by text, numbers by value and false before true. Other types have no
    natural order, so cty compares their hash text byte by byte.
    """
    known = [member for member in members if member.is_known and not member.is_null]
    unknown = [member for member in members if not member.is_known]
    nulls = [member for member in members if member.is_known and member.is_null]
    known.sort(key=_set_sort_key)
    return tuple(known + unknown + nulls)


def _set_sort_key(value: Value) -> Any:
    if value.type.is_primitive():
        # Python orders str by code point, which is the UTF-8 byte order Go compares.
        return value._raw
    return hash_bytes(value)


def hash_bytes(value: Value) -> bytes:
    parts: list[str] = []
    _append_hash_text(value, parts)
    return "".join(parts).encode("utf-8")


def _append_hash_text(value: Value, out: list[str]) -> None:
    """Write cty's set-hash text for `value`, which decides the order of complex set elements."""
    if not value.is_known:
        out.append("?")
        return
    if value.is_null:
        out.append("~")
        return
    raw = value._raw
    value_type = value.type
    if value_type == NUMBER:
        out.append(_go_general_format(raw))
    elif value_type == BOOL:
        out.append("T" if raw else "F")
    elif value_type == STRING:
        out.append(_go_quote(raw))
    elif value_type.is_map():
        out.append("{")
        for key, element in raw.items():
            out.append(_go_quote(key) + ":")
            _append_hash_text(element, out)
            out.append(";")
        out.append("}")
    elif value_type.is_list() or value_type.is_set():
        out.append("[")
        for element in raw:
            _append_hash_text(element, out)
            out.append(";")
        out.append("]")
    else:
        out.append("<")
        for element in raw.values() if isinstance(raw, dict) else raw:
            _append_hash_text(element, out)
            out.append(";")
        out.append(">")


def _go_general_format(number: Decimal) -> str:
    """Write a number as Go's big.Float String method does: ``%g`` with 10 significant digits."""
    if number.is_infinite():
        return "-Inf" if number < 0 else "+Inf"
    if number.is_zero():
        return "0"
    rounded = Decimal(format(number, ".9e"))
    exponent = rounded.adjusted()
    if exponent < -4 or exponent >= 10:
        mantissa, _, _ = format(rounded, ".9e").partition("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return _number.format_number(rounded)


_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def _go_quote(text: str) -> str:
    """Quote a string as Go's ``%q`` verb does (strconv.Quote)."""
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)
