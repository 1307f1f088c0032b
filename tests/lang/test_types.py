"""Types: structural equality, predicates, friendly names and HCL type expressions."""

from __future__ import annotations

import pytest

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
)


def test_types_compare_by_structure() -> None:
    assert ListType(STRING) == ListType(STRING)
    assert hash(ListType(STRING)) == hash(ListType(STRING))
    assert ListType(STRING) != SetType(STRING)
    assert ObjectType({"a": STRING, "b": NUMBER}) == ObjectType({"b": NUMBER, "a": STRING})
    assert ObjectType({"a": STRING}) != ObjectType({"a": STRING}, optional=frozenset({"a"}))
    assert TupleType([STRING, NUMBER]) != TupleType([NUMBER, STRING])


def test_types_are_immutable() -> None:
    with pytest.raises(AttributeError):
        STRING.name = "number"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ListType(STRING)._element = NUMBER  # type: ignore[misc]


@pytest.mark.parametrize(
    ("type_", "friendly", "expression"),
    [
        (STRING, "string", "string"),
        (NUMBER, "number", "number"),
        (BOOL, "bool", "bool"),
        (DYNAMIC, "dynamic", "any"),
        (ListType(STRING), "list of string", "list(string)"),
        (SetType(NUMBER), "set of number", "set(number)"),
        (MapType(ListType(BOOL)), "map of list of bool", "map(list(bool))"),
        (ObjectType({"b": NUMBER, "a": STRING}), "object", "object({a=string,b=number})"),
        (TupleType([STRING, NUMBER]), "tuple", "tuple([string,number])"),
        (ObjectType({"a": STRING}, optional=frozenset({"a"})), "object", "object({a=optional(string)})"),
    ],
    ids=lambda item: item if isinstance(item, str) else None,
)
def test_type_names(type_, friendly, expression) -> None:
    assert type_.friendly_name() == friendly
    assert type_.type_expression() == expression


def test_friendly_name_for_constraint() -> None:
    assert DYNAMIC.friendly_name_for_constraint() == "any type"
    assert ListType(DYNAMIC).friendly_name_for_constraint() == "list of any type"
    assert ListType(DYNAMIC).friendly_name() == "list of dynamic"


def test_type_predicates() -> None:
    assert STRING.is_primitive()
    assert not DYNAMIC.is_primitive()
    assert ListType(STRING).is_collection()
    assert ListType(STRING).is_list()
    assert SetType(STRING).is_set()
    assert MapType(STRING).is_map()
    assert ObjectType({}).is_object()
    assert not ObjectType({}).is_collection()
    assert TupleType([]).is_tuple()
    assert ListType(STRING).element_type == STRING
    with pytest.raises(TypeError):
        _ = STRING.element_type


def test_conformance_with_dynamic() -> None:
    assert ListType(STRING).test_conformance(ListType(DYNAMIC))
    assert not ListType(STRING).test_conformance(SetType(DYNAMIC))
    assert ObjectType({"a": NUMBER}).test_conformance(ObjectType({"a": DYNAMIC}))
    assert ListType(DYNAMIC).has_dynamic_types()
    assert not MapType(STRING).has_dynamic_types()


def test_optional_must_name_attributes() -> None:
    with pytest.raises(ValueError):
        ObjectType({"a": STRING}, optional=frozenset({"b"}))


def test_types_survive_pickle() -> None:
    import pickle

    complex_type = ObjectType({"a": ListType(DYNAMIC), "b": TupleType([BOOL])}, optional=frozenset({"b"}))
    assert pickle.loads(pickle.dumps(complex_type)) == complex_type
    assert pickle.loads(pickle.dumps(STRING)) is STRING
    assert pickle.loads(pickle.dumps(DYNAMIC)) is DYNAMIC


def test_type_expression_quotes_odd_names() -> None:
    odd = ObjectType({"a-b": STRING, "x y": NUMBER, "1a": BOOL})
    assert odd.type_expression() == 'object({"1a"=bool,a-b=string,"x y"=number})'
