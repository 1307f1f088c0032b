"""Decode the typed values of the conformance corpus into kiln values.

A typed value is ``{"type": "list(string)", "value": [...]}`` and an unknown one
``{"type": T, "unknown": true, "refine": {...}}``. Inside a collection ``{"$unknown": true}``
is an unknown element, and ``{"$number": "1e+500"}`` is a number too large for a JSON double.
"""

from __future__ import annotations

import re
from typing import Any

from kiln.lang.types import (
    BOOL,
    DYNAMIC,
    NUMBER,
    STRING,
    ListType,
    MapType,
    ObjectType,
    SetType,
    TupleType,
    Type,
)
from kiln.lang.values import (
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
    unknown_val,
)

_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|[(){}\[\],=])")
_PRIMITIVES = {"string": STRING, "number": NUMBER, "bool": BOOL, "dynamic": DYNAMIC, "any": DYNAMIC}


def parse_type(text: str) -> Type:
    """Parse the corpus's type notation: ``object({a = number})``, ``tuple([string])``."""
    tokens = _TOKEN.findall(text)
    position, parsed = _parse(tokens, 0)
    assert position == len(tokens), f"trailing text in type {text!r}"
    return parsed


def _parse(tokens: list[str], position: int) -> tuple[int, Type]:
    word = tokens[position]
    if word in _PRIMITIVES:
        return position + 1, _PRIMITIVES[word]
    assert tokens[position + 1] == "(", f"expected ( after {word}"
    position += 2
    if word in ("list", "set", "map"):
        position, element = _parse(tokens, position)
        kind = {"list": ListType, "set": SetType, "map": MapType}[word]
        return position + 1, kind(element)
    if word == "tuple":
        assert tokens[position] == "["
        position += 1
        elements = []
        while tokens[position] != "]":
            position, element = _parse(tokens, position)
            elements.append(element)
            if tokens[position] == ",":
                position += 1
        return position + 2, TupleType(elements)
    assert word == "object", f"unknown type keyword {word}"
    assert tokens[position] == "{"
    position += 1
    attributes = {}
    while tokens[position] != "}":
        name = tokens[position]
        assert tokens[position + 1] == "="
        position, attributes[name] = _parse(tokens, position + 2)
        if tokens[position] == ",":
            position += 1
    return position + 2, ObjectType(attributes)


def decode_typed(encoded: dict[str, Any]) -> Value:
    value_type = parse_type(encoded["type"])
    if encoded.get("unknown"):
        return unknown_val(value_type)
    return decode_value(encoded["value"], value_type)


def decode_value(data: Any, value_type: Type) -> Value:
    if isinstance(data, dict) and data.get("$unknown"):
        return unknown_val(value_type)
    if data is None:
        return null_val(value_type)
    if value_type == STRING:
        return string_val(data)
    if value_type == BOOL:
        return bool_val(data)
    if value_type == NUMBER:
        return number_val(data["$number"] if isinstance(data, dict) else data)
    if isinstance(value_type, (ListType, SetType)):
        elements = [decode_value(item, value_type.element_type) for item in data]
        if isinstance(value_type, ListType):
            return list_val(elements) if elements else list_val_empty(value_type.element_type)
        return set_val(elements) if elements else set_val_empty(value_type.element_type)
    if isinstance(value_type, MapType):
        items = {key: decode_value(item, value_type.element_type) for key, item in data.items()}
        return map_val(items) if items else map_val_empty(value_type.element_type)
    if isinstance(value_type, TupleType):
        return tuple_val(
            [decode_value(item, t) for item, t in zip(data, value_type.element_types, strict=True)]
        )
    if isinstance(value_type, ObjectType):
        return object_val({name: decode_value(data[name], t) for name, t in value_type.attributes.items()})
    raise AssertionError(f"cannot decode a value of type {value_type!r}")
