"""Conversion between types, as cty's convert package: safe and unsafe conversion rules."""

from __future__ import annotations

from collections.abc import Sequence

from kiln.lang.convert import _mismatch, _unification
from kiln.lang.convert._errors import (
    Conversion,
    ConversionError,
    GetAttrStep,
    IndexStep,
    Path,
    PathConversion,
    PathStep,
)
from kiln.lang.types import (
    NUMBER,
    STRING,
    MapType,
    ObjectType,
    TupleType,
    Type,
)
from kiln.lang.values import (
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

# Public entry points.


def convert(value: Value, want: Type) -> Value:
    """Convert `value` to type `want`, allowing unsafe conversions, as cty's Convert.

    Raises `ConversionError` when no conversion exists or this value cannot be converted.
    """
    if value.type == want:
        return value
    conversion = find_conversion(value.type, want, unsafe=True)
    if conversion is None:
        raise ConversionError(_mismatch.mismatch_message(value.type, want))
    return conversion(value, ())


def get_conversion(in_type: Type, out_type: Type, unsafe: bool = True) -> Conversion | None:
    """Return a function converting values of `in_type` to `out_type`, or None when impossible.

    With ``unsafe=False`` only conversions that cannot lose information or fail are offered,
    as cty's GetConversion; the default matches GetConversionUnsafe.
    """
    conversion = find_conversion(in_type, out_type, unsafe)
    if conversion is None:
        return None
    return lambda value: conversion(value, ())


def _identity(value: Value, path: Path) -> Value:
    return value


def find_conversion(in_type: Type, out_type: Type, unsafe: bool) -> PathConversion | None:
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


def _get_conversion_known(in_type: Type, out_type: Type, unsafe: bool) -> PathConversion | None:
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


def _dynamic_fixup(out_type: Type) -> PathConversion:
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


def _primitive_conversion(in_type: Type, out_type: Type, unsafe: bool) -> PathConversion | None:
    if in_type == out_type:
        return _identity
    if out_type == STRING:
        return _number_to_string if in_type == NUMBER else _bool_to_string
    if not unsafe or in_type != STRING:
        return None
    return _string_to_number if out_type == NUMBER else _string_to_bool


# Structural and collection conversions.


def _element_conversion(in_type: Type, out_type: Type, unsafe: bool) -> PathConversion | None:
    if in_type == out_type:
        return _identity
    return find_conversion(in_type, out_type, unsafe)


def _object_to_object(in_type: ObjectType, out_type: ObjectType, unsafe: bool) -> PathConversion | None:
    attribute_conversions: dict[str, PathConversion] = {}
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


def _tuple_to_tuple(in_type: TupleType, out_type: TupleType, unsafe: bool) -> PathConversion | None:
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


def _collection_to_sequence(in_type: Type, out_type: Type, unsafe: bool) -> PathConversion | None:
    element_conversion = _element_conversion(in_type.element_type, out_type.element_type, unsafe)
    if element_conversion is None:
        return None
    out_element = out_type.element_type
    kind = "list" if out_type.is_list() else "set"

    def conversion(value: Value, path: Path) -> Value:
        if out_type.is_list() and not value.length().is_known:
            # Unknown set elements may coalesce, so the list's length cannot be known yet.
            return unknown_val(_dynamic_replace(value.type, out_type))
        elements = [
            _plain_null(element_conversion(element, (*path, IndexStep(number_val(index)))))
            for index, element in enumerate(value.elements())
        ]
        if not elements:
            empty_type = value.type.element_type if out_element.is_dynamic() else out_element
            return _empty_sequence(out_type, without_optional_attributes(empty_type))
        return _make_sequence(kind, elements, path)

    return conversion


def _tuple_to_sequence(in_type: TupleType, out_type: Type, unsafe: bool) -> PathConversion | None:
    out_element = out_type.element_type
    kind = "list" if out_type.is_list() else "set"
    if len(in_type) == 0:
        empty = _empty_sequence(out_type, without_optional_attributes(out_element))
        return lambda value, path: empty
    if out_element.is_dynamic():
        out_element, _ = _unification.unify_types(list(in_type.element_types), unsafe)
        if out_element is None:
            return None
        # Elements that unify only to dynamic make a valid collection only if all are dynamic.
        if out_element.is_dynamic() and not all(t.is_dynamic() for t in in_type):
            return None
    conversions = []
    for in_element in in_type:
        conversion = _element_conversion(in_element, out_element, unsafe)
        if conversion is None:
            return None
        conversions.append(conversion)

    def conversion(value: Value, path: Path) -> Value:
        elements = [
            _plain_null(convert_element(element, (*path, IndexStep(number_val(index)))))
            for index, (convert_element, element) in enumerate(
                zip(conversions, value.elements(), strict=True)
            )
        ]
        if kind == "list":
            # Dynamic parts of the element type can come out differently per element, so cty
            # unifies the converted elements before building a list (but not a set).
            steps = [IndexStep(number_val(index)) for index in range(len(elements))]
            elements = _unify_elements(elements, path, unsafe, steps)
        return _make_sequence(kind, elements, path)

    return conversion


def _plain_null(value: Value) -> Value:
    """Drop optional-attribute markers from the type of a null element, as cty does."""
    if not value.is_null:
        return value
    return null_val(without_optional_attributes(value.type)).with_marks(value.marks)


def _empty_sequence(out_type: Type, element_type: Type) -> Value:
    return list_val_empty(element_type) if out_type.is_list() else set_val_empty(element_type)


def _consistent(elements: Sequence[Value]) -> bool:
    """Return whether the elements can form one collection, as cty's CanListVal."""
    element_type = next((e.type for e in elements if not e.type.is_dynamic()), None)
    return all(e.type == element_type or e.type.is_dynamic() for e in elements)


def _make_sequence(kind: str, elements: list[Value], path: Path) -> Value:
    if not _consistent(elements):
        raise ConversionError(f"element types must all match for conversion to {kind}", path)
    return list_val(elements) if kind == "list" else set_val(elements)


def _unify_elements(
    elements: list[Value], path: Path, unsafe: bool, steps: Sequence[PathStep]
) -> list[Value]:
    """Convert elements to the one type they unify to, as cty's conversionUnify*Elements."""
    types = [element.type for element in elements]
    if all(element_type == types[0] for element_type in types):
        return elements
    unified, _ = _unification.unify_types(types, unsafe)
    if unified is None:
        raise ConversionError("cannot find a common base type for all elements", path)
    result = []
    for element, step in zip(elements, steps, strict=True):
        conversion = _element_conversion(element.type, unified, unsafe)
        if conversion is None:
            raise ConversionError("cannot find a common base type for all elements", path)
        result.append(conversion(element, (*path, step)))
    return result


def _map_to_map(in_type: MapType, out_type: MapType, unsafe: bool) -> PathConversion | None:
    element_conversion = _element_conversion(in_type.element_type, out_type.element_type, unsafe)
    if element_conversion is None:
        return None
    out_element = out_type.element_type

    def conversion(value: Value, path: Path) -> Value:
        items = value.items()
        elements = {
            key: element_conversion(element, (*path, IndexStep(string_val(key)))) for key, element in items
        }
        if not elements:
            return map_val_empty(value.type.element_type if out_element.is_dynamic() else out_element)
        # cty unifies nested collections and objects here in safe mode, even for an unsafe conversion.
        return _make_map(elements, out_element, path, False, "element")

    return conversion


def _make_map(elements: dict[str, Value], element_type: Type, path: Path, unsafe: bool, noun: str) -> Value:
    keys = list(elements)
    values = [elements[key] for key in keys]
    if element_type.is_collection() or element_type.is_object():
        values = _unify_elements(values, path, unsafe, [IndexStep(string_val(key)) for key in keys])
    if not _consistent(values):
        raise ConversionError(f"{noun} types must all match for conversion to map", path)
    return map_val(dict(zip(keys, values, strict=True)))


def _object_to_map(in_type: ObjectType, out_type: MapType, unsafe: bool) -> PathConversion | None:
    out_element = out_type.element_type
    if not in_type.attributes:
        empty = map_val_empty(without_optional_attributes(out_element))
        return lambda value, path: empty
    if out_element.is_dynamic():
        out_element, _ = _unification.unify_types(list(in_type.attributes.values()), unsafe)
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
        return _make_map(elements, out_element, path, unsafe, "attribute")

    return conversion


def _map_to_object(in_type: MapType, out_type: ObjectType, unsafe: bool) -> PathConversion | None:
    conversions: dict[str, PathConversion | None] = {}
    for name, attribute_type in out_type.attributes.items():
        conversion = _element_conversion(in_type.element_type, attribute_type, unsafe)
        if conversion is None and not (unsafe and out_type.is_optional(name)):
            return None
        # An optional attribute the element type cannot convert to is fine as long as the
        # map has no such key, which only the value can tell.
        conversions[name] = conversion

    def conversion(value: Value, path: Path) -> Value:
        attributes = {}
        for key, element in value.items():
            # Keys with no matching attribute are dropped, as in cty.
            if key not in conversions:
                continue
            attribute_conversion = conversions[key]
            if attribute_conversion is None:
                wanted = out_type.attribute_type(key)
                detail = _mismatch.mismatch_message(element.type, wanted)
                raise ConversionError(
                    f'map element type is incompatible with attribute "{key}": {detail}', path
                )
            attributes[key] = _plain_null(attribute_conversion(element, (*path, IndexStep(string_val(key)))))
        for name in out_type.attributes:
            if name in attributes:
                continue
            if not out_type.is_optional(name):
                raise ConversionError(f'map has no element for required attribute "{name}"', path)
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
