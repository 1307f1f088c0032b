"""Messages explaining why one type does not convert to another, as cty's MismatchMessage."""

from __future__ import annotations

from kiln.lang.convert import _conversion
from kiln.lang.types import ListType, MapType, ObjectType, SetType, Type

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


def missing_attributes_message(names: list[str]) -> str:
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
        if _conversion.find_conversion(got_attribute, want_attribute, unsafe=True) is None:
            unsafe_mismatch = f'attribute "{name}": {mismatch_message(got_attribute, want_attribute)}'
        if safe_mismatch:
            continue
        if _conversion.find_conversion(got_attribute, want_attribute, unsafe=False) is None:
            safe_mismatch = f'attribute "{name}": {mismatch_message(got_attribute, want_attribute)}'
    if missing:
        return missing_attributes_message(missing)
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
        if (
            got_element == want_element
            or _conversion.find_conversion(got_element, want_element, unsafe=True) is not None
        ):
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
