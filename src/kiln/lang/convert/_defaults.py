"""Defaults for optional object attributes, as HCL's typeexpr.Defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kiln.lang.convert._conversion import convert, without_optional_attributes
from kiln.lang.convert._errors import ConversionError
from kiln.lang.types import Type
from kiln.lang.values import (
    Value,
    list_val,
    map_val,
    object_val,
    set_val,
    tuple_val,
)

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
