"""Unification: the one type several types can all convert to, as cty's convert.Unify."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kiln.lang.convert import _conversion
from kiln.lang.convert._errors import Conversion, PathConversion
from kiln.lang.types import (
    DYNAMIC,
    STRING,
    ListType,
    MapType,
    ObjectType,
    SetType,
    TupleType,
    Type,
)
from kiln.lang.values import DYNAMIC_VAL

# Unification.


def unify(types: Sequence[Type], unsafe: bool = False) -> tuple[Type | None, list[Conversion | None]]:
    """Find one type that all `types` convert to, as cty's Unify (or UnifyUnsafe).

    Returns the type and, for each input type, a conversion to it (None where the input type
    already is the result), or ``(None, [])`` when the types cannot be unified.

        >>> unify([STRING, NUMBER])[0]
        <Type string>
    """
    result, conversions = unify_types(list(types), unsafe)
    if result is None:
        return None, []
    public = []
    for conversion in conversions:
        public.append(None if conversion is None else _public(conversion))
    return result, public


def _public(conversion: PathConversion) -> Conversion:
    return lambda value: conversion(value, ())


def unify_types(types: list[Type], unsafe: bool) -> tuple[Type | None, list[PathConversion | None]]:
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


def _conversions_to(types: list[Type], result: Type, unsafe: bool) -> list[PathConversion | None] | None:
    conversions: list[PathConversion | None] = []
    for t in types:
        if t == result:
            conversions.append(None)
            continue
        conversion = _conversion.find_conversion(t, result, unsafe)
        if conversion is None:
            return None
        conversions.append(conversion)
    return conversions


def _unify_all_as_dynamic(types: list[Type]) -> tuple[Type, list[PathConversion | None]]:
    return DYNAMIC, [lambda value, path: DYNAMIC_VAL for _ in types]


def _unify_collections(
    make: type[ListType | SetType | MapType], types: list[Type], unsafe: bool, has_dynamic: bool
) -> tuple[Type | None, list[PathConversion | None]]:
    # With a dynamic input the final shape cannot be predicted, so cty settles on dynamic.
    if has_dynamic:
        return _unify_all_as_dynamic(types)
    element, _ = unify_types([t.element_type for t in types], unsafe)
    if element is None:
        return None, []
    result = make(element)
    conversions = _conversions_to(types, result, unsafe)
    return (result, conversions) if conversions is not None else (None, [])


def _unify_objects(
    types: list[Type], unsafe: bool, has_dynamic: bool
) -> tuple[Type | None, list[PathConversion | None]]:
    if has_dynamic:
        return _unify_all_as_dynamic(types)
    # Objects unify to an object only when they have the same attribute names; otherwise the
    # fallback is a map of all attribute types. Unifying to a common subset would be useless.
    names = set(types[0].attributes)
    if any(set(t.attributes) != names for t in types[1:]):
        return _unify_objects_to_map(types, unsafe)
    attributes = {}
    for name in sorted(names):
        unified, _ = unify_types([t.attribute_type(name) for t in types], unsafe)
        if unified is None:
            return None, []
        attributes[name] = unified
    result = ObjectType(attributes)
    conversions = _conversions_to(types, result, unsafe)
    if conversions is None:
        return _unify_objects_to_map(types, unsafe)
    return result, conversions


def _unify_objects_to_map(types: list[Type], unsafe: bool) -> tuple[Type | None, list[PathConversion | None]]:
    attribute_types = [a for t in types for a in t.attributes.values()]
    element, _ = unify_types(attribute_types, unsafe)
    if element is None:
        return None, []
    result = MapType(element)
    conversions = _conversions_to(types, result, unsafe)
    return (result, conversions) if conversions is not None else (None, [])


def _unify_tuples(
    types: list[Type], unsafe: bool, has_dynamic: bool
) -> tuple[Type | None, list[PathConversion | None]]:
    if has_dynamic:
        return _unify_all_as_dynamic(types)
    size = len(types[0])
    if any(len(t) != size for t in types[1:]):
        return _unify_tuples_to_list(types, unsafe)
    elements = []
    for index in range(size):
        unified, _ = unify_types([t.element_types[index] for t in types], unsafe)
        if unified is None:
            return None, []
        elements.append(unified)
    result = TupleType(elements)
    conversions = _conversions_to(types, result, unsafe)
    if conversions is None:
        return _unify_tuples_to_list(types, unsafe)
    return result, conversions


def _unify_tuples_to_list(types: list[Type], unsafe: bool) -> tuple[Type | None, list[PathConversion | None]]:
    element_types = [e for t in types for e in t.element_types]
    element, _ = unify_types(element_types, unsafe)
    if element is None:
        return None, []
    result = ListType(element)
    conversions = _conversions_to(types, result, unsafe)
    return (result, conversions) if conversions is not None else (None, [])


def _unify_structurals_as(
    types: list[Type],
    unsafe: bool,
    structural: type[Type],
    to_collection: Callable[[list[Type], bool], tuple[Type | None, list[PathConversion | None]]],
) -> tuple[Type | None, list[PathConversion | None]]:
    """Unify tuples as a list (or objects as a map) first, then everything with that collection."""
    indexes = [i for i, t in enumerate(types) if isinstance(t, structural)]
    collection, structural_conversions = to_collection([types[i] for i in indexes], unsafe)
    if collection is None:
        return None, []
    replaced = list(types)
    for index in indexes:
        replaced[index] = collection
    result, conversions = unify_types(replaced, unsafe)
    if result is None or type(result) is not type(collection):
        return None, []
    for position, index in enumerate(indexes):
        first = structural_conversions[position]
        second = conversions[index]
        conversions[index] = _chain(first, second)
    return result, conversions


def _chain(first: PathConversion | None, second: PathConversion | None) -> PathConversion | None:
    if first is None:
        return second
    if second is None:
        return first
    return lambda value, path: second(first(value, path), path)


def _unify_by_preference(types: list[Type], unsafe: bool) -> tuple[Type | None, list[PathConversion | None]]:
    for want_index in _sort_types(types):
        want = types[want_index]
        conversions: list[PathConversion | None] = []
        for index, candidate in enumerate(types):
            if index == want_index or candidate == want:
                conversions.append(None)
                continue
            conversion = _conversion.find_conversion(candidate, want, unsafe)
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
