"""JSON encoding and decoding of values, as cty's json package (behind jsonencode and jsondecode).

Encoding writes compact JSON with object keys sorted, numbers without exponent and strings
escaped as Go's encoding/json escapes them: ``<``, ``>`` and ``&`` become ``\\u003c``,
``\\u003e`` and ``\\u0026``.
"""

from __future__ import annotations

from typing import Any

from kiln.lang.types import BOOL, DYNAMIC, NUMBER, STRING, ObjectType, TupleType, Type
from kiln.lang.values import _gojson, _number
from kiln.lang.values._gojson import NumberText, Pairs
from kiln.lang.values._value import (
    Value,
    bool_val,
    list_val,
    list_val_empty,
    map_val,
    map_val_empty,
    null_val,
    number_val,
    object_val,
    set_val,
    set_val_empty,
    string_val,
    tuple_val,
)


class JSONError(ValueError):
    """A value that cannot be encoded, or JSON text that does not decode to the requested type.

    `path` names the element at fault (attribute names as str, indexes as int).
    """

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


# Encoding.


def to_json(value: Value) -> str:
    """Encode a wholly known, unmarked value as compact JSON text.

    >>> to_json(object_val({"b": number_val(1), "a": string_val("<x>")}))
    '{"a":"\\\\u003cx\\\\u003e","b":1}'
    """
    if value.contains_marked():
        raise JSONError("value has marks, so it cannot be serialized as JSON")
    out: list[str] = []
    _encode(value, out, ())
    return "".join(out)


def _encode(value: Value, out: list[str], path: tuple[str | int, ...]) -> None:
    if not value.is_known:
        raise JSONError("value is not known", path)
    if value.is_null:
        out.append("null")
        return
    value_type = value.type
    if value_type == STRING:
        out.append(_go_json_string(value.as_str()))
    elif value_type == NUMBER:
        if value.as_number().is_infinite():
            raise JSONError("cannot serialize infinity as JSON", path)
        out.append(_number.format_number(value.as_number()))
    elif value_type == BOOL:
        out.append("true" if value.as_bool() else "false")
    elif value_type.is_map() or value_type.is_object():
        out.append("{")
        for position, (key, element) in enumerate(value.items()):
            if position:
                out.append(",")
            out.append(_go_json_string(key) + ":")
            _encode(element, out, (*path, key))
        out.append("}")
    else:
        out.append("[")
        for position, element in enumerate(value.elements()):
            if position:
                out.append(",")
            _encode(element, out, (*path, position))
        out.append("]")


_GO_JSON_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _go_json_string(text: str) -> str:
    """Quote a string as Go's encoding/json does with HTML escaping on (its default)."""
    out = ['"']
    for char in text:
        escaped = _GO_JSON_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        elif "\ud800" <= char <= "\udfff":
            # A lone surrogate is not text; Go writes invalid UTF-8 as U+FFFD.
            out.append("\ufffd")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


# Decoding.


def _parse(text: str) -> Any:
    try:
        return _gojson.parse(text)
    except _gojson.GoJSONSyntaxError as error:
        raise JSONError(str(error)) from None


def implied_type_of_json(text: str) -> Type:
    """Return the type cty's json.ImpliedType gives: objects become object types, arrays tuples."""
    return _implied_type(_parse(text), ())


def _implied_type(data: Any, path: tuple[str | int, ...]) -> Type:
    if data is None:
        return DYNAMIC
    if isinstance(data, bool):
        return BOOL
    if isinstance(data, NumberText):
        return NUMBER
    if isinstance(data, str):
        return STRING
    if isinstance(data, Pairs):
        attributes: dict[str, Type] = {}
        for key, element in data:
            element_type = _implied_type(element, (*path, key))
            # As in cty, a repeated key is allowed when its values have the same type, and
            # the last value wins.
            if key in attributes and attributes[key] != element_type:
                raise JSONError(f'duplicate "{key}" property in JSON object', path)
            attributes[key] = element_type
        return ObjectType(attributes)
    return TupleType([_implied_type(element, (*path, i)) for i, element in enumerate(data)])


def from_json(text: str, type_: Type = DYNAMIC) -> Value:
    """Decode JSON text into a value of `type_`, as cty's json.Unmarshal.

    With `DYNAMIC` (the default) the type is implied from the text, as jsondecode does.

        >>> from_json('{"a": [1, 2]}').type
        <Type object({a=tuple([number,number])})>
    """
    data = _parse(text)
    if type_.is_dynamic():
        type_ = _implied_type(data, ())
    return _decode(data, type_, ())


def _decode(data: Any, type_: Type, path: tuple[str | int, ...]) -> Value:
    if type_.is_dynamic():
        # NOTE: cty expects a {"value": ..., "type": ...} wrapper here; kiln implies the type
        # instead, which is what every caller of this module wants.
        type_ = _implied_type(data, path)
    if data is None:
        return null_val(type_)
    if type_.is_primitive():
        return _decode_primitive(data, type_, path)
    if type_.is_list() or type_.is_set():
        return _decode_sequence(data, type_, path)
    if type_.is_tuple():
        if not isinstance(data, list) or isinstance(data, Pairs):
            raise JSONError("array is required", path)
        if len(data) != len(type_.element_types):
            raise JSONError(f"tuple of {len(type_.element_types)} elements is required", path)
        return tuple_val(
            [_decode(d, t, (*path, i)) for i, (d, t) in enumerate(zip(data, type_, strict=True))]
        )
    return _decode_mapping(data, type_, path)


def _decode_primitive(data: Any, type_: Type, path: tuple[str | int, ...]) -> Value:
    if type_ == STRING:
        if isinstance(data, bool):
            return string_val("true" if data else "false")
        if isinstance(data, str):
            return string_val(str(data))
        raise JSONError("string is required", path)
    if type_ == NUMBER:
        if isinstance(data, str) and not isinstance(data, bool):
            try:
                return number_val(_number.parse_number(str(data)))
            except _number.NumberSyntaxError:
                raise JSONError("a number is required", path) from None
        raise JSONError("number is required", path)
    if isinstance(data, bool):
        return bool_val(data)
    if isinstance(data, str) and not isinstance(data, NumberText) and data in ("true", "false"):
        return bool_val(data == "true")
    raise JSONError("bool is required", path)


def _decode_sequence(data: Any, type_: Type, path: tuple[str | int, ...]) -> Value:
    if not isinstance(data, list) or isinstance(data, Pairs):
        raise JSONError("array is required", path)
    element_type = type_.element_type
    elements = [_decode(element, element_type, (*path, i)) for i, element in enumerate(data)]
    if type_.is_list():
        return list_val(elements) if elements else list_val_empty(element_type)
    return set_val(elements) if elements else set_val_empty(element_type)


def _decode_mapping(data: Any, type_: Type, path: tuple[str | int, ...]) -> Value:
    if not isinstance(data, Pairs):
        raise JSONError("object is required", path)
    if type_.is_map():
        element_type = type_.element_type
        decoded = {key: _decode(element, element_type, (*path, key)) for key, element in data}
        return map_val(decoded) if decoded else map_val_empty(element_type)

    attributes = type_.attributes
    decoded = {}
    for key, element in data:
        if key not in attributes:
            raise JSONError(f'unsupported attribute "{key}"', path)
        decoded[key] = _decode(element, attributes[key], (*path, key))
    for name, attribute_type in attributes.items():
        decoded.setdefault(name, null_val(attribute_type))
    return object_val(decoded)
