"""Placeholders for unknown values, as Packer writes them into plug-in configuration.

Packer prepares provisioners and post-processors before every value of a build is known.
It sends their configuration to plug-ins with each unknown replaced: a string by
``"<unknown>"``, a number by 0, a bool by false, and a collection or structure by an empty
one. Known values are kept, recursively, and nulls stay null.
"""

from __future__ import annotations

from kiln.lang.types import BOOL, NUMBER, STRING
from kiln.lang.values import (
    EMPTY_OBJECT,
    EMPTY_TUPLE,
    FALSE,
    Value,
    list_val,
    list_val_empty,
    map_val,
    map_val_empty,
    number_val,
    object_val,
    set_val,
    set_val_empty,
    string_val,
    tuple_val,
)

UNKNOWN_STRING = "<unknown>"


def write_unknown_placeholders(value: Value) -> Value:
    """Return `value` with every unknown replaced by its placeholder."""
    if value.is_null:
        return value
    value_type = value.type
    if value_type.is_primitive():
        if value.is_known:
            return value
        return {STRING: string_val(UNKNOWN_STRING), NUMBER: number_val(0), BOOL: FALSE}[value_type]
    if value_type.is_object():
        if not value.is_known:
            return EMPTY_OBJECT
        return object_val({key: write_unknown_placeholders(element) for key, element in value.items()})
    if value_type.is_tuple():
        if not value.is_known:
            return EMPTY_TUPLE
        return tuple_val([write_unknown_placeholders(element) for element in value.elements()])
    if value_type.is_map():
        if not value.is_known or not value.items():
            return map_val_empty(value_type.element_type)
        return map_val({key: write_unknown_placeholders(element) for key, element in value.items()})
    if value_type.is_dynamic():
        return value
    make, make_empty = (list_val, list_val_empty) if value_type.is_list() else (set_val, set_val_empty)
    if not value.is_known or not value.elements():
        return make_empty(value_type.element_type)
    return make([write_unknown_placeholders(element) for element in value.elements()])
