"""Type conversion and unification, as cty's convert package.

`convert` turns a value into a value of another type when cty would, raising
`ConversionError` with cty's message and the path to the failing element. `get_conversion`
returns a reusable conversion function, or None when none exists. `unify` finds the type
that several types can all convert to, as conditionals and collection constructors need.

Conversions are *safe* when no information can be lost (number to string, tuple to list) and
*unsafe* otherwise (string to number, list to set, map to object). `convert` allows both,
like cty's Convert.

    >>> convert(string_val("12"), NUMBER).as_int()
    12
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from kiln.lang.types import (
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
    DYNAMIC_VAL,
    FALSE,
    TRUE,
    Value,
    format_number,
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
from kiln.lang.values._number import NumberSyntaxError, parse_number

__all__ = [
    "Conversion",
    "ConversionError",
    "Defaults",
    "GetAttrStep",
    "IndexStep",
    "Path",
    "convert",
    "format_path",
    "get_conversion",
    "mismatch_message",
    "unify",
    "without_optional_attributes",
]


# Paths and errors.


@dataclass(frozen=True)
class GetAttrStep:
    """A path step into an object attribute."""

    name: str


@dataclass(frozen=True)
class IndexStep:
    """A path step into a collection or tuple element; `key` is a number or string value."""

    key: Value


PathStep: TypeAlias = GetAttrStep | IndexStep
Path: TypeAlias = tuple[PathStep, ...]


def format_path(path: Path) -> str:
    """Write a path as HCL traversal syntax: ``.tags["env"][0]``."""
    parts = []
    for step in path:
        if isinstance(step, GetAttrStep):
            parts.append(f".{step.name}")
        elif step.key.type == NUMBER:
            parts.append(f"[{format_number(step.key.as_number())}]")
        else:
            parts.append(f'["{step.key.as_str()}"]')
    return "".join(parts)


class ConversionError(ValueError):
    """A value that cannot be converted to the requested type.

    `message` is cty's wording, such as "a number is required". `path` leads from the
    converted value to the element at fault. It is empty when the value itself is at fault.
    """

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


Conversion: TypeAlias = Callable[[Value], Value]
_Conv: TypeAlias = Callable[[Value, Path], Value]


# Public entry points.


def convert(value: Value, want: Type) -> Value:
    """Convert `value` to type `want`, allowing unsafe conversions, as cty's Convert.

    Raises `ConversionError` when no conversion exists or this value cannot be converted.
    """
    if value.type == want:
        return value
    conversion = _get_conversion(value.type, want, unsafe=True)
    if conversion is None:
        raise ConversionError(mismatch_message(value.type, want))
    return conversion(value, ())


def get_conversion(in_type: Type, out_type: Type, unsafe: bool = True) -> Conversion | None:
    """Return a function converting values of `in_type` to `out_type`, or None when impossible.

    With ``unsafe=False`` only conversions that cannot lose information or fail are offered,
    as cty's GetConversion; the default matches GetConversionUnsafe.
    """
    conversion = _get_conversion(in_type, out_type, unsafe)
    if conversion is None:
        return None
    return lambda value: conversion(value, ())


def _identity(value: Value, path: Path) -> Value:
    return value


def _get_conversion(in_type: Type, out_type: Type, unsafe: bool) -> _Conv | None:
    if in_type == out_type and not _has_optional_attributes(out_type):
        return _identity
    known = _get_conversion_known(in_type, out_type, unsafe)
    if known is None:
        return None
    result_type_if_absent = without_optional_attributes(out_type)

    def conversion(value: Value, path: Path) -> Value:
        value, marks = value.unmark()
        if out_type.is_dynamic():
            return value.with_marks(marks)
        if not value.is_known:
            return _unknown_result(value, _dynamic_replace(value.type, result_type_if_absent)).with_marks(
                marks
            )
        if value.is_null:
            return null_val(_dynamic_replace(value.type, result_type_if_absent)).with_marks(marks)
        return known(value, path).with_marks(marks)

    return conversion


def _unknown_result(value: Value, target: Type) -> Value:
    """Return the unknown result of a conversion, keeping what the source's refinements imply."""
    source = value.range()
    source_type = value.type
    builder = unknown_val(target).refine()
    if source.definitely_not_null():
        builder.not_null()
    if source_type.is_object() and target.is_map():
        # A map made from an object has one element per attribute.
        builder.collection_length(len(source_type.attributes))
    elif source_type.is_tuple() and target.is_list():
        builder.collection_length(len(source_type))
    elif source_type.is_tuple() and target.is_set():
        # Set elements may coalesce, so a tuple only bounds the set's length.
        if len(source_type) <= 1:
            builder.collection_length(len(source_type))
        else:
            builder.collection_length_lower_bound(1).collection_length_upper_bound(len(source_type))
    elif source_type.is_collection() and target.is_collection():
        if not target.is_set():
            builder.collection_length_lower_bound(source.length_lower_bound())
        elif source.length_lower_bound() > 0:
            builder.collection_length_lower_bound(1)
        builder.collection_length_upper_bound(source.length_upper_bound())
    return builder.new_value()


def _get_conversion_known(in_type: Type, out_type: Type, unsafe: bool) -> _Conv | None:
    if out_type.is_dynamic():
        return _identity
    if in_type.is_dynamic():
        return _dynamic_fixup(out_type) if unsafe else None
    if in_type.is_primitive() and out_type.is_primitive():
        return _primitive_conversion(in_type, out_type, unsafe)
    if in_type.is_object() and out_type.is_object():
        return _object_to_object(in_type, out_type, unsafe)
    if in_type.is_tuple() and out_type.is_tuple():
        return _tuple_to_tuple(in_type, out_type, unsafe)
    if out_type.is_list() and (in_type.is_list() or in_type.is_set()):
        return _collection_to_sequence(in_type, out_type, unsafe)
    if out_type.is_set() and (in_type.is_list() or in_type.is_set()):
        # A list to set conversion loses order and duplicates, so it is unsafe.
        if in_type.is_list() and not unsafe:
            return None
        return _collection_to_sequence(in_type, out_type, unsafe)
    if out_type.is_map() and in_type.is_map():
        return _map_to_map(in_type, out_type, unsafe)
    if in_type.is_tuple() and (out_type.is_list() or out_type.is_set()):
        return _tuple_to_sequence(in_type, out_type, unsafe)
    if in_type.is_object() and out_type.is_map():
        return _object_to_map(in_type, out_type, unsafe)
    if in_type.is_map() and out_type.is_object():
        # The map's keys may not match the object's attributes, so this is unsafe.
        return _map_to_object(in_type, out_type, unsafe) if unsafe else None
    return None


def _dynamic_fixup(out_type: Type) -> _Conv:
    def conversion(value: Value, path: Path) -> Value:
        try:
            return convert(value, out_type)
        except ConversionError as error:
            raise ConversionError(error.message, path + error.path) from None

    return conversion


# Primitive conversions.


def _number_to_string(value: Value, path: Path) -> Value:
    return string_val(format_number(value.as_number()))


def _bool_to_string(value: Value, path: Path) -> Value:
    return string_val("true" if value.as_bool() else "false")


def _string_to_number(value: Value, path: Path) -> Value:
    try:
        return number_val(parse_number(value.as_str()))
    except NumberSyntaxError:
        raise ConversionError("a number is required", path) from None


def _string_to_bool(value: Value, path: Path) -> Value:
    text = value.as_str()
    if text in ("true", "1"):
        return TRUE
    if text in ("false", "0"):
        return FALSE
    if text.lower() in ("true", "false"):
        raise ConversionError(
            f'a bool is required; to convert from string, use lowercase "{text.lower()}"', path
        )
    raise ConversionError("a bool is required", path)


def _primitive_conversion(in_type: Type, out_type: Type, unsafe: bool) -> _Conv | None:
    if in_type == out_type:
        return _identity
    if out_type == STRING:
        return _number_to_string if in_type == NUMBER else _bool_to_string
    if not unsafe or in_type != STRING:
        return None
    return _string_to_number if out_type == NUMBER else _string_to_bool


# Structural and collection conversions.


def _element_conversion(in_type: Type, out_type: Type, unsafe: bool) -> _Conv | None:
    if in_type == out_type:
        return _identity
    return _get_conversion(in_type, out_type, unsafe)


def _object_to_object(in_type: ObjectType, out_type: ObjectType, unsafe: bool) -> _Conv | None:
    attribute_conversions: dict[str, _Conv] = {}
    for name, out_attribute in out_type.attributes.items():
        if not in_type.has_attribute(name):
            if out_type.is_optional(name):
                continue
            return None
        conversion = _element_conversion(in_type.attribute_type(name), out_attribute, unsafe)
        if conversion is None:
            return None
        attribute_conversions[name] = conversion

    def conversion(value: Value, path: Path) -> Value:
        attributes: dict[str, Value] = {}
        for name, element in value.items():
            attribute_conversion = attribute_conversions.get(name)
            if attribute_conversion is None:
                continue
            converted = attribute_conversion(element, (*path, GetAttrStep(name)))
            if converted.is_null:
                converted = null_val(without_optional_attributes(converted.type)).with_marks(converted.marks)
            attributes[name] = converted
        for name in out_type.optional:
            if name not in attributes:
                attributes[name] = null_val(without_optional_attributes(out_type.attribute_type(name)))
        return object_val(attributes)

    return conversion


def _tuple_to_tuple(in_type: TupleType, out_type: TupleType, unsafe: bool) -> _Conv | None:
    if len(in_type) != len(out_type):
        return None
    conversions = []
    for in_element, out_element in zip(in_type, out_type, strict=True):
        conversion = _element_conversion(in_element, out_element, unsafe)
        if conversion is None:
            return None
        conversions.append(conversion)

    def conversion(value: Value, path: Path) -> Value:
        elements = [
            convert_element(element, (*path, IndexStep(number_val(index))))
            for index, (convert_element, element) in enumerate(
                zip(conversions, value.elements(), strict=True)
            )
        ]
        return tuple_val(elements)

    return conversion


def _collection_to_sequence(in_type: Type, out_type: Type, unsafe: bool) -> _Conv | None:
    element_conversion = _element_conversion(in_type.element_type, out_type.element_type, unsafe)
    if element_conversion is None:
        return None
    out_element = out_type.element_type

    def conversion(value: Value, path: Path) -> Value:
        if out_type.is_list() and not value.length().is_known:
            # Unknown set elements may coalesce, so the list's length cannot be known yet.
            return unknown_val(_dynamic_replace(value.type, out_type))
        elements = [
            element_conversion(element, (*path, IndexStep(number_val(index))))
            for index, element in enumerate(value.elements())
        ]
        empty_type = value.type.element_type if out_element.is_dynamic() else out_element
        return _make_sequence(out_type, elements, empty_type, path, unsafe)

    return conversion


def _tuple_to_sequence(in_type: TupleType, out_type: Type, unsafe: bool) -> _Conv | None:
    out_element = out_type.element_type
    if len(in_type) == 0:
        empty = list_val_empty(out_element) if out_type.is_list() else set_val_empty(out_element)
        return lambda value, path: empty
    if out_element.is_dynamic():
        out_element, _ = _unify(list(in_type.element_types), unsafe)
        if out_element is None:
            return None
    conversions = []
    for in_element in in_type:
        conversion = _element_conversion(in_element, out_element, unsafe)
        if conversion is None:
            return None
        conversions.append(conversion)

    def conversion(value: Value, path: Path) -> Value:
        elements = [
            convert_element(element, (*path, IndexStep(number_val(index))))
            for index, (convert_element, element) in enumerate(
                zip(conversions, value.elements(), strict=True)
            )
        ]
        return _make_sequence(out_type, elements, out_element, path, unsafe)

    return conversion


def _make_sequence(
    out_type: Type, elements: list[Value], empty_type: Type, path: Path, unsafe: bool
) -> Value:
    if not elements:
        return list_val_empty(empty_type) if out_type.is_list() else set_val_empty(empty_type)
    elements = _unify_elements(
        elements, path, unsafe, [IndexStep(number_val(i)) for i in range(len(elements))]
    )
    return list_val(elements) if out_type.is_list() else set_val(elements)


def _unify_elements(
    elements: list[Value], path: Path, unsafe: bool, steps: Sequence[PathStep]
) -> list[Value]:
    """Bring converted elements to one type, since dynamic parts of the target can differ per element."""
    types = [element.type for element in elements]
    if all(element_type == types[0] for element_type in types):
        return elements
    unified, _ = _unify(types, unsafe)
    if unified is None:
        raise ConversionError("collection elements cannot be unified", path)
    result = []
    for element, step in zip(elements, steps, strict=True):
        conversion = _element_conversion(element.type, unified, unsafe)
        if conversion is None:
            raise ConversionError("collection elements cannot be unified", path)
        result.append(conversion(element, (*path, step)))
    return result


def _map_to_map(in_type: MapType, out_type: MapType, unsafe: bool) -> _Conv | None:
    element_conversion = _element_conversion(in_type.element_type, out_type.element_type, unsafe)
    if element_conversion is None:
        return None
    out_element = out_type.element_type

    def conversion(value: Value, path: Path) -> Value:
        items = value.items()
        elements = {
            key: element_conversion(element, (*path, IndexStep(string_val(key)))) for key, element in items
        }
        empty_type = value.type.element_type if out_element.is_dynamic() else out_element
        return _make_map(elements, empty_type, path, unsafe)

    return conversion


def _make_map(elements: dict[str, Value], empty_type: Type, path: Path, unsafe: bool) -> Value:
    if not elements:
        return map_val_empty(empty_type)
    keys = list(elements)
    values = [elements[key] for key in keys]
    first_type = values[0].type
    if first_type.is_collection() or first_type.is_object():
        values = _unify_elements(values, path, unsafe, [IndexStep(string_val(key)) for key in keys])
    for key, element in zip(keys, values, strict=True):
        if element.type != values[0].type:
            raise ConversionError(
                f"{values[0].type.friendly_name()} is required", (*path, IndexStep(string_val(key)))
            )
    return map_val(dict(zip(keys, values, strict=True)))


def _object_to_map(in_type: ObjectType, out_type: MapType, unsafe: bool) -> _Conv | None:
    out_element = out_type.element_type
    if not in_type.attributes:
        empty = map_val_empty(out_element)
        return lambda value, path: empty
    if out_element.is_dynamic():
        out_element, _ = _unify(list(in_type.attributes.values()), unsafe)
        if out_element is None:
            return None
    conversions = {}
    for name, attribute_type in in_type.attributes.items():
        conversion = _element_conversion(attribute_type, out_element, unsafe)
        if conversion is None:
            return None
        conversions[name] = conversion

    def conversion(value: Value, path: Path) -> Value:
        elements = {
            name: conversions[name](element, (*path, IndexStep(string_val(name))))
            for name, element in value.items()
        }
        return _make_map(elements, out_element, path, unsafe)

    return conversion


def _map_to_object(in_type: MapType, out_type: ObjectType, unsafe: bool) -> _Conv | None:
    conversions = {}
    for name, attribute_type in out_type.attributes.items():
        conversion = _element_conversion(in_type.element_type, attribute_type, unsafe)
        if conversion is None:
            return None
        conversions[name] = conversion

    def conversion(value: Value, path: Path) -> Value:
        attributes = {}
        for key, element in value.items():
            # Keys with no matching attribute are dropped, as in cty.
            if key in conversions:
                attributes[key] = conversions[key](element, (*path, IndexStep(string_val(key))))
        missing = sorted(name for name in out_type.attributes if name not in attributes)
        required = [name for name in missing if not out_type.is_optional(name)]
        if required:
            raise ConversionError(_missing_attributes_message(required), path)
        for name in missing:
            attributes[name] = null_val(without_optional_attributes(out_type.attribute_type(name)))
        return object_val(attributes)

    return conversion


# Helpers for types with optional attributes and dynamic parts.


def _has_optional_attributes(type_: Type) -> bool:
    if type_.is_object():
        return bool(type_.optional) or any(_has_optional_attributes(t) for t in type_.attributes.values())
    if type_.is_collection():
        return _has_optional_attributes(type_.element_type)
    if type_.is_tuple():
        return any(_has_optional_attributes(t) for t in type_.element_types)
    return False


def without_optional_attributes(type_: Type) -> Type:
    """Return `type_` with no attribute marked optional at any depth, as cty's WithoutOptionalAttributesDeep."""
    if not _has_optional_attributes(type_):
        return type_
    if type_.is_object():
        return ObjectType({n: without_optional_attributes(t) for n, t in type_.attributes.items()})
    if type_.is_tuple():
        return TupleType([without_optional_attributes(t) for t in type_.element_types])
    return type(type_)(without_optional_attributes(type_.element_type))


def _dynamic_replace(in_type: Type, out_type: Type) -> Type:
    """Fill the dynamic parts of `out_type` from `in_type`, for null and unknown results."""
    if out_type.is_dynamic():
        return in_type
    if out_type.is_collection() and in_type.is_collection():
        return type(out_type)(_dynamic_replace(in_type.element_type, out_type.element_type))
    if out_type.is_object() and in_type.is_object():
        return ObjectType(
            {
                name: _dynamic_replace(in_type.attributes[name], t) if in_type.has_attribute(name) else t
                for name, t in out_type.attributes.items()
            }
        )
    if out_type.is_tuple() and in_type.is_tuple() and len(out_type) == len(in_type):
        return TupleType([_dynamic_replace(i, o) for i, o in zip(in_type, out_type, strict=True)])
    return out_type


# Mismatch messages.


def mismatch_message(got: Type, want: Type) -> str:
    """Describe why `got` does not convert to `want`, as cty's MismatchMessage."""
    if got.is_object() and want.is_object():
        return _mismatch_objects(got, want)
    if got.is_tuple() and want.is_list() and want.element_type.is_dynamic():
        return "all list elements must have the same type"
    if got.is_tuple() and want.is_set() and want.element_type.is_dynamic():
        return "all set elements must have the same type"
    if got.is_object() and want.is_map() and want.element_type.is_dynamic():
        return "all map elements must have the same type"
    if got.is_structural() and want.is_collection():
        return _mismatch_structural_to_collection(got, want)
    if got.is_collection() and want.is_collection():
        return _mismatch_collections(got, want)
    return f"{want.friendly_name_for_constraint()} required"


def _missing_attributes_message(names: list[str]) -> str:
    quoted = [f'"{name}"' for name in sorted(names)]
    if len(quoted) == 1:
        return f"attribute {quoted[0]} is required"
    if len(quoted) == 2:
        return f"attributes {quoted[0]} and {quoted[1]} are required"
    return f"attributes {', '.join(quoted[:-1])}, and {quoted[-1]} are required"


def _mismatch_objects(got: ObjectType, want: ObjectType) -> str:
    missing = []
    unsafe_mismatch = ""
    safe_mismatch = ""
    for name, want_attribute in want.attributes.items():
        if not got.has_attribute(name):
            if not want.is_optional(name):
                missing.append(name)
            continue
        got_attribute = got.attribute_type(name)
        if got_attribute == want_attribute or unsafe_mismatch:
            continue
        if _get_conversion(got_attribute, want_attribute, unsafe=True) is None:
            unsafe_mismatch = f'attribute "{name}": {mismatch_message(got_attribute, want_attribute)}'
        if safe_mismatch:
            continue
        if _get_conversion(got_attribute, want_attribute, unsafe=False) is None:
            safe_mismatch = f'attribute "{name}": {mismatch_message(got_attribute, want_attribute)}'
    if missing:
        return _missing_attributes_message(missing)
    return unsafe_mismatch or safe_mismatch or "incorrect object attributes"


def _mismatch_structural_to_collection(got: Type, want: Type) -> str:
    if (want.is_list() or want.is_set()) and not got.is_tuple():
        return f"{want.friendly_name_for_constraint()} required"
    if want.is_map() and not got.is_object():
        return f"{want.friendly_name_for_constraint()} required"
    want_element = want.element_type
    if got.is_tuple():
        labelled = [(str(index), t) for index, t in enumerate(got.element_types)]
    else:
        labelled = [(f'"{name}"', t) for name, t in got.attributes.items()]
    for label, got_element in labelled:
        if got_element == want_element or _get_conversion(got_element, want_element, unsafe=True) is not None:
            continue
        return f"element {label}: {mismatch_message(got_element, want_element)}"
    return f"all elements must be {want_element.friendly_name_for_constraint()}"


def _mismatch_collections(got: Type, want: Type) -> str:
    if (want.is_list() or want.is_set()) and not (got.is_list() or got.is_set()):
        return f"{want.friendly_name_for_constraint()} required"
    if want.is_map() and not got.is_map():
        return f"{want.friendly_name_for_constraint()} required"
    noun = {ListType: "list", SetType: "set", MapType: "map"}[type(want)]
    return f"incorrect {noun} element type: {mismatch_message(got.element_type, want.element_type)}"


# Unification.


def unify(types: Sequence[Type], unsafe: bool = False) -> tuple[Type | None, list[Conversion | None]]:
    """Find one type that all `types` convert to, as cty's Unify (or UnifyUnsafe).

    Returns the type and, for each input type, a conversion to it (None where the input type
    already is the result), or ``(None, [])`` when the types cannot be unified.

        >>> unify([STRING, NUMBER])[0]
        <Type string>
    """
    result, conversions = _unify(list(types), unsafe)
    if result is None:
        return None, []
    public = []
    for conversion in conversions:
        public.append(None if conversion is None else _public(conversion))
    return result, public


def _public(conversion: _Conv) -> Conversion:
    return lambda value: conversion(value, ())


def _unify(types: list[Type], unsafe: bool) -> tuple[Type | None, list[_Conv | None]]:
    if not types:
        return None, []
    if all(t == types[0] for t in types):
        return types[0], [None] * len(types)

    kinds = {"map": 0, "list": 0, "set": 0, "object": 0, "tuple": 0, "dynamic": 0}
    for t in types:
        kind = _kind(t)
        if kind in kinds:
            kinds[kind] += 1
    dynamic = kinds["dynamic"]
    total = len(types)
    if kinds["map"] and kinds["map"] + dynamic == total:
        return _unify_collections(MapType, types, unsafe, dynamic > 0)
    if kinds["map"] and kinds["map"] + kinds["object"] + dynamic == total:
        found = _unify_structurals_as(types, unsafe, ObjectType, _unify_objects_to_map)
        if found[0] is not None:
            return found
    elif kinds["list"] and kinds["list"] + dynamic == total:
        return _unify_collections(ListType, types, unsafe, dynamic > 0)
    elif kinds["list"] and kinds["list"] + kinds["tuple"] + dynamic == total:
        found = _unify_structurals_as(types, unsafe, TupleType, _unify_tuples_to_list)
        if found[0] is not None:
            return found
    elif kinds["set"] and kinds["set"] + dynamic == total:
        return _unify_collections(SetType, types, unsafe, dynamic > 0)
    elif kinds["object"] and kinds["object"] + dynamic == total:
        return _unify_objects(types, unsafe, dynamic > 0)
    elif kinds["tuple"] and kinds["tuple"] + dynamic == total:
        return _unify_tuples(types, unsafe, dynamic > 0)
    elif kinds["object"] and kinds["tuple"]:
        return None, []

    return _unify_by_preference(types, unsafe)


def _kind(type_: Type) -> str:
    if type_.is_dynamic():
        return "dynamic"
    for kind, cls in (("map", MapType), ("list", ListType), ("set", SetType), ("object", ObjectType)):
        if isinstance(type_, cls):
            return kind
    return "tuple" if type_.is_tuple() else "primitive"


def _conversions_to(types: list[Type], result: Type, unsafe: bool) -> list[_Conv | None] | None:
    conversions: list[_Conv | None] = []
    for t in types:
        if t == result:
            conversions.append(None)
            continue
        conversion = _get_conversion(t, result, unsafe)
        if conversion is None:
            return None
        conversions.append(conversion)
    return conversions


def _unify_all_as_dynamic(types: list[Type]) -> tuple[Type, list[_Conv | None]]:
    return DYNAMIC, [lambda value, path: DYNAMIC_VAL for _ in types]


def _unify_collections(
    make: type[ListType | SetType | MapType], types: list[Type], unsafe: bool, has_dynamic: bool
) -> tuple[Type | None, list[_Conv | None]]:
    # With a dynamic input the final shape cannot be predicted, so cty settles on dynamic.
    if has_dynamic:
        return _unify_all_as_dynamic(types)
    element, _ = _unify([t.element_type for t in types], unsafe)
    if element is None:
        return None, []
    result = make(element)
    conversions = _conversions_to(types, result, unsafe)
    return (result, conversions) if conversions is not None else (None, [])


def _unify_objects(
    types: list[Type], unsafe: bool, has_dynamic: bool
) -> tuple[Type | None, list[_Conv | None]]:
    if has_dynamic:
        return _unify_all_as_dynamic(types)
    # Objects unify to an object only when they have the same attribute names; otherwise the
    # fallback is a map of all attribute types. Unifying to a common subset would be useless.
    names = set(types[0].attributes)
    if any(set(t.attributes) != names for t in types[1:]):
        return _unify_objects_to_map(types, unsafe)
    attributes = {}
    for name in sorted(names):
        unified, _ = _unify([t.attribute_type(name) for t in types], unsafe)
        if unified is None:
            return None, []
        attributes[name] = unified
    result = ObjectType(attributes)
    conversions = _conversions_to(types, result, unsafe)
    if conversions is None:
        return _unify_objects_to_map(types, unsafe)
    return result, conversions


def _unify_objects_to_map(types: list[Type], unsafe: bool) -> tuple[Type | None, list[_Conv | None]]:
    attribute_types = [a for t in types for a in t.attributes.values()]
    element, _ = _unify(attribute_types, unsafe)
    if element is None:
        return None, []
    result = MapType(element)
    conversions = _conversions_to(types, result, unsafe)
    return (result, conversions) if conversions is not None else (None, [])


def _unify_tuples(
    types: list[Type], unsafe: bool, has_dynamic: bool
) -> tuple[Type | None, list[_Conv | None]]:
    if has_dynamic:
        return _unify_all_as_dynamic(types)
    size = len(types[0])
    if any(len(t) != size for t in types[1:]):
        return _unify_tuples_to_list(types, unsafe)
    elements = []
    for index in range(size):
        unified, _ = _unify([t.element_types[index] for t in types], unsafe)
        if unified is None:
            return None, []
        elements.append(unified)
    result = TupleType(elements)
    conversions = _conversions_to(types, result, unsafe)
    if conversions is None:
        return _unify_tuples_to_list(types, unsafe)
    return result, conversions


def _unify_tuples_to_list(types: list[Type], unsafe: bool) -> tuple[Type | None, list[_Conv | None]]:
    element_types = [e for t in types for e in t.element_types]
    element, _ = _unify(element_types, unsafe)
    if element is None:
        return None, []
    result = ListType(element)
    conversions = _conversions_to(types, result, unsafe)
    return (result, conversions) if conversions is not None else (None, [])


def _unify_structurals_as(
    types: list[Type],
    unsafe: bool,
    structural: type[Type],
    to_collection: Callable[[list[Type], bool], tuple[Type | None, list[_Conv | None]]],
) -> tuple[Type | None, list[_Conv | None]]:
    """Unify tuples as a list (or objects as a map) first, then everything with that collection."""
    indexes = [i for i, t in enumerate(types) if isinstance(t, structural)]
    collection, structural_conversions = to_collection([types[i] for i in indexes], unsafe)
    if collection is None:
        return None, []
    replaced = list(types)
    for index in indexes:
        replaced[index] = collection
    result, conversions = _unify(replaced, unsafe)
    if result is None or type(result) is not type(collection):
        return None, []
    for position, index in enumerate(indexes):
        first = structural_conversions[position]
        second = conversions[index]
        conversions[index] = _chain(first, second)
    return result, conversions


def _chain(first: _Conv | None, second: _Conv | None) -> _Conv | None:
    if first is None:
        return second
    if second is None:
        return first
    return lambda value, path: second(first(value, path), path)


def _unify_by_preference(types: list[Type], unsafe: bool) -> tuple[Type | None, list[_Conv | None]]:
    for want_index in _sort_types(types):
        want = types[want_index]
        conversions: list[_Conv | None] = []
        for index, candidate in enumerate(types):
            if index == want_index or candidate == want:
                conversions.append(None)
                continue
            conversion = _get_conversion(candidate, want, unsafe)
            if conversion is None:
                break
            conversions.append(conversion)
        else:
            return want, conversions
    return None, []


def _sort_types(types: list[Type]) -> list[int]:
    """Order type indexes most general first, as cty's sortTypes (a stable topological sort)."""
    count = len(types)
    edges: list[list[int]] = [[] for _ in range(count)]
    for i in range(count - 1):
        for j in range(i + 1, count):
            comparison = _compare_types(types[i], types[j])
            if comparison < 0:
                edges[i].append(j)
            elif comparison > 0:
                edges[j].append(i)
    in_degree = [0] * count
    for targets in edges:
        for j in targets:
            in_degree[j] += 1
    order = [i for i in range(count) if in_degree[i] == 0]
    position = 0
    while position < len(order):
        for j in edges[order[position]]:
            in_degree[j] -= 1
            if in_degree[j] == 0:
                order.append(j)
        position += 1
    return order


def _compare_types(a: Type, b: Type) -> int:
    """Return -1 when `a` is the more general type for unification, 1 when `b` is, else 0."""
    # Anything converts to dynamic, so it is the least useful result and comes last.
    if a.is_dynamic() and b.is_dynamic():
        return 0
    if a.is_dynamic():
        return 1
    if b.is_dynamic():
        return -1
    if a.is_primitive() and b.is_primitive() and STRING in (a, b):
        # Every primitive value can be written as a string, so string is the most general.
        if a == b:
            return 0
        return -1 if a == STRING else 1
    if type(a) is type(b) and a.is_collection():
        return _compare_types(a.element_type, b.element_type)

    swap = 1
    if (
        (a.is_tuple() and b.is_list())
        or (a.is_object() and b.is_map())
        or (a.is_set() and (b.is_tuple() or b.is_list()))
    ):
        a, b, swap = b, a, -1
    if b.is_set() and (a.is_tuple() or a.is_list()):
        return -swap
    if (a.is_list() and b.is_tuple()) or (a.is_map() and b.is_object()):
        return -swap
    if a.is_object() and b.is_object():
        if set(a.attributes) != set(b.attributes):
            return 0
        pairs = [(a.attributes[n], b.attributes[n]) for n in a.attributes]
    elif a.is_tuple() and b.is_tuple():
        if len(a) != len(b):
            return 0
        pairs = list(zip(a, b, strict=True))
    else:
        return 0
    results = {_compare_types(x, y) for x, y in pairs}
    if -1 in results and 1 in results:
        return 0
    if -1 in results:
        return -swap
    if 1 in results:
        return swap
    return 0


# Defaults for optional attributes.


@dataclass(frozen=True)
class Defaults:
    """Default values for optional object attributes, as HCL's typeexpr.Defaults.

    `values` contains the defaults for attributes of this object type. `children` contains
    the defaults of nested types, keyed by attribute name for objects, by element index
    for tuples, and by None for the element type of a list, set or map.

        >>> spec = Defaults(ObjectType({"a": STRING}, optional=frozenset({"a"})), {"a": string_val("x")})
        >>> spec.apply(object_val({})).get_attr("a").as_str()
        'x'
    """

    type: Type
    values: dict[str, Value] = field(default_factory=dict)
    children: dict[str | int | None, Defaults] = field(default_factory=dict)

    def apply(self, value: Value) -> Value:
        """Fill null or absent optional attributes of `value` with their defaults, at every depth.

        Call this before converting the value to the type constraint, as Terraform and Packer do.
        """
        value, marks = value.unmark()
        if not value.is_known or value.is_null:
            return value.with_marks(marks)
        if value.type.is_object() and self.type.is_object():
            return self._apply_object(value).with_marks(marks)
        if self.type.is_tuple() and value.type.is_tuple() or self.type.is_tuple() and value.type.is_list():
            return self._apply_sequence(value, lambda i: self.children.get(i)).with_marks(marks)
        if self.type.is_collection():
            return self._apply_collection(value).with_marks(marks)
        return value.with_marks(marks)

    def _apply_object(self, value: Value) -> Value:
        attributes = dict(value.items())
        for name, default in self.values.items():
            current = attributes.get(name)
            if current is None or (current.is_known and current.is_null and not current.marks):
                attributes[name] = _default_for(default, self.type.attribute_type(name))
        for name, child in self.children.items():
            if isinstance(name, str) and name in attributes:
                attributes[name] = child.apply(attributes[name])
        return object_val(attributes)

    def _apply_sequence(self, value: Value, child_for: Callable[[int], Defaults | None]) -> Value:
        elements = []
        for index, element in enumerate(value.elements()):
            child = child_for(index)
            elements.append(child.apply(element) if child is not None else element)
        return tuple_val(elements) if value.type.is_tuple() else _rebuild_like(value, elements)

    def _apply_collection(self, value: Value) -> Value:
        child = self.children.get(None)
        if child is None or not value.can_iterate_elements():
            return value
        if value.type.is_map() or value.type.is_object():
            applied = {key: child.apply(element) for key, element in value.items()}
            return object_val(applied) if value.type.is_object() else _rebuild_map(applied, value)
        elements = [child.apply(element) for element in value.elements()]
        if value.type.is_tuple():
            return tuple_val(elements)
        return _rebuild_like(value, elements)


def _default_for(default: Value, attribute_type: Type) -> Value:
    # A default is converted to the attribute's type so that every element of a collection
    # ends up with the same type once defaults are filled in.
    try:
        return convert(default, without_optional_attributes(attribute_type))
    except ConversionError:
        return default


def _rebuild_like(value: Value, elements: list[Value]) -> Value:
    # Defaults can make element types differ (an attribute added to some elements only), so
    # collections are rebuilt as tuples and left for the following conversion to settle.
    if not elements:
        return value
    if all(e.type == elements[0].type for e in elements):
        return list_val(elements) if value.type.is_list() else set_val(elements)
    return tuple_val(elements)


def _rebuild_map(elements: dict[str, Value], value: Value) -> Value:
    if not elements:
        return value
    first = next(iter(elements.values())).type
    if all(e.type == first for e in elements.values()):
        return map_val(elements)
    return object_val(elements)
