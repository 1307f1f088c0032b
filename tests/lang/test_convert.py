"""Conversion, mismatch messages, unification and optional-attribute defaults, checked against cty's rules."""

from __future__ import annotations

import pytest

from kiln.lang.convert import (
    ConversionError,
    Defaults,
    GetAttrStep,
    IndexStep,
    convert,
    format_path,
    get_conversion,
    mismatch_message,
    unify,
)
from kiln.lang.marks import SENSITIVE
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
    DYNAMIC_VAL,
    EMPTY_OBJECT,
    EMPTY_TUPLE,
    FALSE,
    TRUE,
    Value,
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
    to_json,
    tuple_val,
    unknown_val,
)

S = string_val
N = number_val


def obj(**attributes: Value) -> Value:
    return object_val(attributes)


def optional_object(attributes: dict[str, Type], *optional: str) -> ObjectType:
    return ObjectType(attributes, optional=frozenset(optional))


CONVERSIONS = [
    ("string to string", S("hello"), STRING, S("hello")),
    ("string to number", S("1"), NUMBER, N(1)),
    ("string to fraction", S("1.5"), NUMBER, N("1.5")),
    ("string true to bool", S("true"), BOOL, TRUE),
    ("string 1 to bool", S("1"), BOOL, TRUE),
    ("string false to bool", S("false"), BOOL, FALSE),
    ("string 0 to bool", S("0"), BOOL, FALSE),
    ("int to string", N(4), STRING, S("4")),
    ("float to string", N(3.14159265359), STRING, S("3.14159265359")),
    ("large number to string", N(10**21), STRING, S("1000000000000000000000")),
    ("tiny number to string", N("1e-7"), STRING, S("0.0000001")),
    ("trailing zeros dropped", N("1.50"), STRING, S("1.5")),
    ("true to string", TRUE, STRING, S("true")),
    ("false to string", FALSE, STRING, S("false")),
    ("unknown string to number", unknown_val(STRING), NUMBER, unknown_val(NUMBER)),
    ("unknown number to string", unknown_val(NUMBER), STRING, unknown_val(STRING)),
    ("dynamic to string", DYNAMIC_VAL, STRING, unknown_val(STRING)),
    ("string to dynamic", S("hello"), DYNAMIC, S("hello")),
    ("null string to dynamic", null_val(STRING), DYNAMIC, null_val(STRING)),
    ("null string to number", null_val(STRING), NUMBER, null_val(NUMBER)),
    (
        "list of number to list of string",
        list_val([N(5), N(10)]),
        ListType(STRING),
        list_val([S("5"), S("10")]),
    ),
    ("list of number to list of any", list_val([N(5), N(10)]), ListType(DYNAMIC), list_val([N(5), N(10)])),
    (
        "set with unknown to set of number",
        set_val([S("5"), unknown_val(STRING)]),
        SetType(NUMBER),
        set_val([N(5), unknown_val(NUMBER)]),
    ),
    (
        "set of string to list in set order",
        set_val([S("5"), S("10")]),
        ListType(STRING),
        list_val([S("10"), S("5")]),
    ),
    ("set to list of any", set_val([S("5"), S("10")]), ListType(DYNAMIC), list_val([S("10"), S("5")])),
    (
        "set of number to list of string",
        set_val([N(5), N(10)]),
        ListType(STRING),
        list_val([S("5"), S("10")]),
    ),
    (
        "set with unknowns to list is unknown",
        set_val([S("5"), unknown_val(STRING)]),
        ListType(STRING),
        unknown_val(ListType(STRING)),
    ),
    (
        "set of one unknown to list",
        set_val([unknown_val(STRING)]),
        ListType(STRING),
        list_val([unknown_val(STRING)]),
    ),
    (
        "list to set drops duplicates",
        list_val([N(5), N(10), N(10)]),
        SetType(STRING),
        set_val([S("5"), S("10")]),
    ),
    (
        "tuple to list of string",
        tuple_val([N(5), S("hello")]),
        ListType(STRING),
        list_val([S("5"), S("hello")]),
    ),
    ("tuple to list of number", tuple_val([N(5), S("12")]), ListType(NUMBER), list_val([N(5), N(12)])),
    ("tuple to list of any", tuple_val([N(5), N(10)]), ListType(DYNAMIC), list_val([N(5), N(10)])),
    (
        "tuple unifies to string",
        tuple_val([N(5), S("hello")]),
        ListType(DYNAMIC),
        list_val([S("5"), S("hello")]),
    ),
    ("tuple to set of any", tuple_val([N(5), S("hello")]), SetType(DYNAMIC), set_val([S("5"), S("hello")])),
    ("empty list to set of any", list_val_empty(STRING), SetType(DYNAMIC), set_val_empty(STRING)),
    ("empty set to list of any", set_val_empty(STRING), ListType(DYNAMIC), list_val_empty(STRING)),
    ("empty tuple to set", EMPTY_TUPLE, SetType(STRING), set_val_empty(STRING)),
    ("empty tuple to list", EMPTY_TUPLE, ListType(NUMBER), list_val_empty(NUMBER)),
    (
        "object to map of string",
        obj(num=N(5), str=S("hello")),
        MapType(STRING),
        map_val({"num": S("5"), "str": S("hello")}),
    ),
    (
        "object to map of number",
        obj(num=N(5), str=S("12")),
        MapType(NUMBER),
        map_val({"num": N(5), "str": N(12)}),
    ),
    (
        "object to map of any",
        obj(num1=N(5), num2=N(10)),
        MapType(DYNAMIC),
        map_val({"num1": N(5), "num2": N(10)}),
    ),
    (
        "object unifies to map of string",
        obj(num=N(5), str=S("hello")),
        MapType(DYNAMIC),
        map_val({"num": S("5"), "str": S("hello")}),
    ),
    (
        "empty list and tuple to map",
        obj(list=list_val_empty(BOOL), tuple=EMPTY_TUPLE),
        MapType(DYNAMIC),
        map_val({"list": list_val_empty(BOOL), "tuple": list_val_empty(BOOL)}),
    ),
    (
        "empty map and object to map",
        obj(map=map_val_empty(STRING), obj=EMPTY_OBJECT),
        MapType(DYNAMIC),
        map_val({"map": map_val_empty(STRING), "obj": map_val_empty(STRING)}),
    ),
    (
        "map to map of any",
        map_val({"greeting": S("Hello"), "name": S("John")}),
        MapType(DYNAMIC),
        map_val({"greeting": S("Hello"), "name": S("John")}),
    ),
    (
        "map to object",
        map_val({"greeting": S("Hello"), "name": S("John")}),
        ObjectType({"greeting": STRING, "name": STRING}),
        obj(greeting=S("Hello"), name=S("John")),
    ),
    (
        "map to object drops extra keys",
        map_val({"greeting": S("Hello"), "name": S("John")}),
        ObjectType({"name": STRING}),
        obj(name=S("John")),
    ),
    (
        "map to object with optional",
        map_val({"name": S("John")}),
        optional_object({"name": STRING, "greeting": STRING}, "greeting"),
        obj(greeting=null_val(STRING), name=S("John")),
    ),
    (
        "map of number to map of string",
        map_val({"a": N(2), "b": N(5)}),
        MapType(STRING),
        map_val({"a": S("2"), "b": S("5")}),
    ),
    (
        "object drops extra attributes",
        obj(foo=S("f"), bar=S("b")),
        ObjectType({"foo": STRING}),
        obj(foo=S("f")),
    ),
    ("object attribute converts", obj(foo=TRUE), ObjectType({"foo": STRING}), obj(foo=S("true"))),
    (
        "object dynamic attribute",
        obj(foo=DYNAMIC_VAL),
        ObjectType({"foo": STRING}),
        obj(foo=unknown_val(STRING)),
    ),
    (
        "object null attribute",
        obj(foo=null_val(STRING)),
        ObjectType({"foo": STRING}),
        obj(foo=null_val(STRING)),
    ),
    ("object to any attribute", obj(foo=TRUE), ObjectType({"foo": DYNAMIC}), obj(foo=TRUE)),
    (
        "object missing optional",
        obj(bar=S("b")),
        optional_object({"foo": STRING, "bar": STRING}, "foo"),
        obj(foo=null_val(STRING), bar=S("b")),
    ),
    (
        "object with optional given",
        obj(foo=S("f"), bar=S("b")),
        optional_object({"foo": STRING, "bar": STRING}, "foo"),
        obj(foo=S("f"), bar=S("b")),
    ),
    (
        "null to object drops optional",
        null_val(DYNAMIC),
        optional_object({"foo": STRING, "bar": STRING}, "foo"),
        null_val(ObjectType({"foo": STRING, "bar": STRING})),
    ),
    (
        "list of optional objects",
        list_val([null_val(DYNAMIC), obj(bar=S("b"))]),
        ListType(optional_object({"foo": STRING, "bar": STRING}, "foo")),
        list_val(
            [null_val(ObjectType({"foo": STRING, "bar": STRING})), obj(foo=null_val(STRING), bar=S("b"))]
        ),
    ),
    (
        "unknown to nested optional",
        DYNAMIC_VAL,
        ObjectType({"foo": optional_object({"bar": STRING}, "bar")}),
        unknown_val(ObjectType({"foo": ObjectType({"bar": STRING})})),
    ),
    ("tuple to tuple", tuple_val([S("hello")]), TupleType([STRING]), tuple_val([S("hello")])),
    ("tuple element converts", tuple_val([TRUE]), TupleType([STRING]), tuple_val([S("true")])),
    (
        "nested tuples to map of maps",
        obj(
            a=obj(x=tuple_val([S("foo")])),
            b=obj(x=tuple_val([S("bar")])),
            c=obj(x=tuple_val([S("foo"), S("bar")])),
        ),
        MapType(MapType(DYNAMIC)),
        map_val(
            {
                "a": map_val({"x": list_val([S("foo")])}),
                "b": map_val({"x": list_val([S("bar")])}),
                "c": map_val({"x": list_val([S("foo"), S("bar")])}),
            }
        ),
    ),
    (
        "empty dynamic map unifies",
        obj(a=obj(x=S("foo")), b=map_val_empty(DYNAMIC)),
        MapType(MapType(DYNAMIC)),
        map_val({"a": map_val({"x": S("foo")}), "b": map_val_empty(STRING)}),
    ),
    (
        "objects in list unify attribute",
        tuple_val([obj(a=EMPTY_OBJECT, b=N(2)), obj(a=obj(var1=S("val1")), b=S("2"))]),
        ListType(ObjectType({"a": DYNAMIC, "b": STRING})),
        list_val(
            [
                obj(a=map_val_empty(STRING), b=S("2")),
                obj(a=map_val({"var1": S("val1")}), b=S("2")),
            ]
        ),
    ),
    (
        "null dynamic joins string list",
        tuple_val([S("a"), N(9), null_val(DYNAMIC)]),
        ListType(DYNAMIC),
        list_val([S("a"), S("9"), null_val(STRING)]),
    ),
    (
        "null dynamic joins string set",
        tuple_val([S("a"), N(9), null_val(DYNAMIC)]),
        SetType(DYNAMIC),
        set_val([S("a"), S("9"), null_val(STRING)]),
    ),
]


@pytest.mark.parametrize(
    ("value", "want", "expected"), [c[1:] for c in CONVERSIONS], ids=[c[0] for c in CONVERSIONS]
)
def test_convert(value: Value, want: Type, expected: Value) -> None:
    result = convert(value, want)
    assert result.type == expected.type
    assert result.raw_equals(expected), f"{result!r} != {expected!r}"


CONVERSION_ERRORS = [
    ("word to number", S("hello"), NUMBER, "a number is required", ()),
    ("word to bool", S("hello"), BOOL, "a bool is required", ()),
    (
        "title case bool",
        S("True"),
        BOOL,
        'a bool is required; to convert from string, use lowercase "true"',
        (),
    ),
    (
        "upper case bool",
        S("FALSE"),
        BOOL,
        'a bool is required; to convert from string, use lowercase "false"',
        (),
    ),
    ("bool to number", TRUE, NUMBER, "number required", ()),
    ("string to list", S("a"), ListType(STRING), "list of string required", ()),
    ("number to object", N(1), ObjectType({"a": STRING}), "object required", ()),
    ("string to any list", S("a"), ListType(DYNAMIC), "list of any type required", ()),
    ("list to tuple", list_val([S("a")]), TupleType([STRING]), "tuple required", ()),
    (
        "map missing attribute",
        map_val({"name": S("John")}),
        ObjectType({"name": STRING, "greeting": STRING}),
        'map has no element for required attribute "greeting"',
        (),
    ),
    (
        "map element to optional attribute",
        map_val({"n": S("x")}),
        optional_object({"n": ListType(STRING)}, "n"),
        'map element type is incompatible with attribute "n": list of string required',
        (),
    ),
    (
        "nested maps without common type",
        obj(a=obj(x=tuple_val([N(1)])), b=obj(y=S("s"))),
        MapType(MapType(DYNAMIC)),
        "cannot find a common base type for all elements",
        (),
    ),
    (
        "list to set of objects",
        tuple_val([obj(a=S("x")), obj(a=N("1"))]),
        SetType(ObjectType({"a": DYNAMIC})),
        "element types must all match for conversion to set",
        (),
    ),
    (
        "map element to list attribute",
        map_val({"greeting": S("Hello"), "name": S("John")}),
        ObjectType({"greeting": ListType(STRING), "name": STRING}),
        "object required",
        (),
    ),
    (
        "object missing attribute",
        obj(bar=S("b")),
        ObjectType({"foo": STRING}),
        'attribute "foo" is required',
        (),
    ),
    (
        "object missing two attributes",
        obj(bar=S("b")),
        ObjectType({"foo": STRING, "baz": STRING}),
        'attributes "baz" and "foo" are required',
        (),
    ),
    (
        "object missing three attributes",
        EMPTY_OBJECT,
        ObjectType({"foo": STRING, "bar": STRING, "baz": STRING}),
        'attributes "bar", "baz", and "foo" are required',
        (),
    ),
    (
        "required beside optional",
        EMPTY_OBJECT,
        optional_object({"foo": STRING, "bar": STRING}, "foo"),
        'attribute "bar" is required',
        (),
    ),
    (
        "attribute bool to number",
        obj(foo=TRUE),
        ObjectType({"foo": NUMBER}),
        'attribute "foo": number required',
        (),
    ),
    (
        "unknown bool attribute to number",
        obj(foo=unknown_val(BOOL)),
        ObjectType({"foo": NUMBER}),
        'attribute "foo": number required',
        (),
    ),
    (
        "attribute value not a number",
        obj(port=S("http")),
        ObjectType({"port": NUMBER}),
        "a number is required",
        (GetAttrStep("port"),),
    ),
    (
        "list element not a number",
        list_val([S("1"), S("x")]),
        ListType(NUMBER),
        "a number is required",
        (IndexStep(N(1)),),
    ),
    ("tuple too long", tuple_val([TRUE]), EMPTY_TUPLE.type, "tuple required", ()),
    ("tuple too short", EMPTY_TUPLE, TupleType([STRING]), "tuple required", ()),
    (
        "tuple elements cannot unify",
        tuple_val(
            [obj(type=S("ingress"), cidr=tuple_val([S("0.0.0.0/0")])), obj(type=S("ingress"), sg=S("sg-1"))]
        ),
        ListType(DYNAMIC),
        "all list elements must have the same type",
        (),
    ),
    (
        "map of number and bool",
        obj(num=N(5), bool=TRUE),
        MapType(DYNAMIC),
        "all map elements must have the same type",
        (),
    ),
    (
        "list and string to set",
        tuple_val([list_val([S("a")]), S("b")]),
        SetType(DYNAMIC),
        "all set elements must have the same type",
        (),
    ),
    (
        "tuple element to list of number",
        tuple_val([N(1), TRUE]),
        ListType(NUMBER),
        "element 1: number required",
        (),
    ),
    (
        "object element to map of number",
        obj(a=N(1), b=list_val([S("x")])),
        MapType(NUMBER),
        'element "b": number required',
        (),
    ),
    (
        "list element type",
        list_val([TRUE]),
        ListType(NUMBER),
        "incorrect list element type: number required",
        (),
    ),
    ("map to list", map_val({"a": S("x")}), ListType(STRING), "list of string required", ()),
    (
        "nested map mismatch",
        obj(a=obj(x=null_val(DYNAMIC)), b=obj(x=obj(c=N(1), d=N(2)))),
        MapType(MapType(ObjectType({"x": MapType(DYNAMIC)}))),
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("value", "want", "message", "path"),
    [c[1:] for c in CONVERSION_ERRORS],
    ids=[c[0] for c in CONVERSION_ERRORS],
)
def test_convert_error(value: Value, want: Type, message: str | None, path: tuple | None) -> None:
    with pytest.raises(ConversionError) as caught:
        convert(value, want)
    if message is not None:
        assert caught.value.message == message
        assert str(caught.value) == message
    if path is not None:
        assert caught.value.path == path


def test_format_path() -> None:
    path = (GetAttrStep("tags"), IndexStep(S("env")), IndexStep(N(0)))
    assert format_path(path) == '.tags["env"][0]'


def test_marks_survive_conversion() -> None:
    assert convert(S("hello").mark(1), STRING).raw_equals(S("hello").mark(1))
    assert convert(S("true").mark(1), BOOL).raw_equals(TRUE.mark(1))
    assert convert(tuple_val([S("hello").mark(1)]), ListType(STRING)).raw_equals(
        list_val([S("hello").mark(1)])
    )
    merged = convert(set_val([S("hello").mark(1), S("hello").mark(2)]), SetType(STRING))
    assert merged.raw_equals(set_val([S("hello")]).with_marks({1, 2}))
    mapped = convert(obj(foo=S("hello").mark(SENSITIVE)), MapType(STRING))
    assert mapped.raw_equals(map_val({"foo": S("hello").mark(SENSITIVE)}))
    dropped = convert(obj(foo=S("hello"), bar=S("world").mark(1)), ObjectType({"foo": STRING}))
    assert dropped.raw_equals(obj(foo=S("hello")))


def test_marked_value_error_keeps_message() -> None:
    with pytest.raises(ConversionError, match="a number is required"):
        convert(S("x").mark(SENSITIVE), NUMBER)


SAFETY = [
    ("number to string is safe", NUMBER, STRING, True),
    ("bool to string is safe", BOOL, STRING, True),
    ("string to number is unsafe", STRING, NUMBER, False),
    ("string to bool is unsafe", STRING, BOOL, False),
    ("list to set is unsafe", ListType(STRING), SetType(STRING), False),
    ("set to list is safe", SetType(STRING), ListType(STRING), True),
    ("map to object is unsafe", MapType(STRING), ObjectType({"a": STRING}), False),
    ("object to map is safe", ObjectType({"a": STRING}), MapType(STRING), True),
    ("tuple to list is safe", TupleType([STRING, NUMBER]), ListType(STRING), True),
    ("dynamic to string is unsafe", DYNAMIC, STRING, False),
]


@pytest.mark.parametrize(("source", "target", "safe"), [c[1:] for c in SAFETY], ids=[c[0] for c in SAFETY])
def test_conversion_safety(source: Type, target: Type, safe: bool) -> None:
    assert (get_conversion(source, target, unsafe=False) is not None) is safe
    assert get_conversion(source, target, unsafe=True) is not None


def test_impossible_conversion_is_none() -> None:
    assert get_conversion(BOOL, NUMBER) is None
    assert get_conversion(ListType(STRING), MapType(STRING)) is None
    assert get_conversion(ObjectType({}), TupleType([])) is None


def test_get_conversion_converts() -> None:
    conversion = get_conversion(TupleType([NUMBER, BOOL]), ListType(STRING))
    assert conversion is not None
    assert conversion(tuple_val([N(1), TRUE])).to_python() == ["1", "true"]


MISMATCHES = [
    ("primitive", STRING, NUMBER, "number required"),
    ("object with constraint", STRING, ObjectType({"a": DYNAMIC}), "object required"),
    ("map of any", STRING, MapType(DYNAMIC), "map of any type required"),
    ("set from list of bool", ListType(BOOL), SetType(NUMBER), "incorrect set element type: number required"),
    ("map element", MapType(BOOL), MapType(NUMBER), "incorrect map element type: number required"),
    (
        "nested attribute",
        ObjectType({"a": ObjectType({"b": BOOL})}),
        ObjectType({"a": ObjectType({"b": NUMBER})}),
        'attribute "a": attribute "b": number required',
    ),
    ("tuple to set", TupleType([STRING, BOOL]), SetType(NUMBER), "element 1: number required"),
]


@pytest.mark.parametrize(
    ("got", "want", "message"), [c[1:] for c in MISMATCHES], ids=[c[0] for c in MISMATCHES]
)
def test_mismatch_message(got: Type, want: Type, message: str) -> None:
    assert mismatch_message(got, want) == message


UNIFICATIONS = [
    ("same types", [STRING, STRING], STRING),
    ("string wins over number", [STRING, NUMBER], STRING),
    ("string wins over bool", [BOOL, STRING], STRING),
    ("number and bool fail", [NUMBER, BOOL], None),
    ("dynamic and string stay dynamic when safe", [DYNAMIC, STRING], DYNAMIC),
    ("all dynamic", [DYNAMIC, DYNAMIC], DYNAMIC),
    ("lists", [ListType(STRING), ListType(NUMBER)], ListType(STRING)),
    ("list and dynamic", [ListType(STRING), DYNAMIC], DYNAMIC),
    ("sets", [SetType(NUMBER), SetType(STRING)], SetType(STRING)),
    ("maps", [MapType(NUMBER), MapType(STRING)], MapType(STRING)),
    (
        "objects with same attributes",
        [ObjectType({"a": STRING}), ObjectType({"a": NUMBER})],
        ObjectType({"a": STRING}),
    ),
    (
        "objects with different attributes",
        [ObjectType({"a": STRING}), ObjectType({"b": NUMBER})],
        MapType(STRING),
    ),
    ("objects that cannot unify", [ObjectType({"a": BOOL}), ObjectType({"a": NUMBER})], None),
    ("tuples of same length", [TupleType([STRING]), TupleType([NUMBER])], TupleType([STRING])),
    ("tuples of different length", [TupleType([STRING]), TupleType([NUMBER, STRING])], ListType(STRING)),
    ("list and tuple", [ListType(STRING), TupleType([NUMBER])], ListType(STRING)),
    ("map and object", [MapType(STRING), ObjectType({"a": NUMBER})], MapType(STRING)),
    ("object and tuple", [ObjectType({"a": STRING}), TupleType([STRING])], None),
    ("list and empty tuple", [ListType(BOOL), TupleType([])], ListType(BOOL)),
    ("map and empty object", [MapType(STRING), ObjectType({})], MapType(STRING)),
    ("objects and dynamic", [ObjectType({"a": STRING}), DYNAMIC], DYNAMIC),
    ("nothing", [], None),
]


@pytest.mark.parametrize(
    ("types", "expected"), [c[1:] for c in UNIFICATIONS], ids=[c[0] for c in UNIFICATIONS]
)
def test_unify(types: list[Type], expected: Type | None) -> None:
    result, conversions = unify(types)
    assert result == expected
    if expected is not None:
        assert len(conversions) == len(types)


def _o(**attributes: Type) -> ObjectType:
    return ObjectType(attributes)


# Result type and, per input, whether a conversion is needed; the cases follow cty's own tests.
UNIFY_CONVERSION_FLAGS = [
    ("one string", [STRING], STRING, [False]),
    ("number then string", [NUMBER, STRING], STRING, [True, False]),
    ("bool string number", [BOOL, STRING, NUMBER], STRING, [True, False, True]),
    ("equal objects", [_o(foo=STRING), _o(foo=STRING)], _o(foo=STRING), [False, False]),
    ("object attribute widens", [_o(foo=STRING), _o(foo=NUMBER)], _o(foo=STRING), [False, True]),
    ("object and empty object", [_o(foo=STRING), ObjectType({})], MapType(STRING), [True, True]),
    ("tuple and empty tuple", [TupleType([STRING]), TupleType([])], ListType(STRING), [True, True]),
    (
        "objects in tuples become maps",
        [TupleType([_o(a=STRING), _o(a=STRING)]), TupleType([_o(a=STRING, b=STRING)])],
        ListType(MapType(STRING)),
        [True, True],
    ),
    (
        "list with tuples of objects",
        [
            ListType(_o(a=STRING)),
            TupleType([_o(a=STRING, b=STRING)]),
            TupleType([_o(a=STRING, b=STRING), _o(c=STRING, d=STRING)]),
        ],
        ListType(MapType(STRING)),
        [True, True, True],
    ),
    (
        "list of map among lists",
        [
            ListType(_o(a=STRING)),
            ListType(MapType(STRING)),
            TupleType([MapType(STRING), _o(a=STRING, b=STRING)]),
        ],
        ListType(MapType(STRING)),
        [True, False, True],
    ),
    (
        "same length tuples of objects",
        [TupleType([_o(a=STRING, b=NUMBER)]), TupleType([_o(a=STRING)])],
        TupleType([MapType(STRING)]),
        [True, True],
    ),
    (
        "list and tuple of objects",
        [ListType(_o(a=NUMBER, b=STRING)), TupleType([_o(a=STRING)])],
        ListType(MapType(STRING)),
        [True, True],
    ),
    (
        "lists of objects",
        [ListType(_o(a=NUMBER, b=STRING)), ListType(_o(a=STRING))],
        ListType(MapType(STRING)),
        [True, True],
    ),
    (
        "objects inside objects",
        [_o(a=_o(a=STRING)), _o(a=_o(a=STRING, b=STRING))],
        _o(a=MapType(STRING)),
        [True, True],
    ),
    (
        "nested objects and map",
        [_o(a=_o(a=STRING), b=_o(a=STRING, b=STRING)), MapType(_o(a=STRING, b=STRING))],
        MapType(MapType(STRING)),
        [True, True],
    ),
    (
        "objects matching map of objects",
        [_o(a=_o(a=STRING), b=_o(a=STRING)), MapType(_o(a=STRING))],
        MapType(_o(a=STRING)),
        [True, False],
    ),
    (
        "map of dynamic",
        [_o(a=_o(a=STRING), b=_o(a=STRING)), MapType(DYNAMIC), MapType(_o(a=STRING))],
        MapType(DYNAMIC),
        [True, False, True],
    ),
    (
        "deep maps",
        [_o(a=_o(a=_o(a=STRING)), b=_o(c=_o(d=STRING))), MapType(MapType(MapType(STRING)))],
        MapType(MapType(MapType(STRING))),
        [True, False],
    ),
    ("dynamic and tuple", [DYNAMIC, TupleType([NUMBER])], DYNAMIC, [True, True]),
    ("dynamic and object", [DYNAMIC, _o(num=NUMBER)], DYNAMIC, [True, True]),
    ("tuple dynamic object", [TupleType([NUMBER]), DYNAMIC, _o(num=NUMBER)], None, []),
]


@pytest.mark.parametrize(
    ("types", "expected", "flags"),
    [c[1:] for c in UNIFY_CONVERSION_FLAGS],
    ids=[c[0] for c in UNIFY_CONVERSION_FLAGS],
)
def test_unify_conversion_flags(types: list[Type], expected: Type | None, flags: list[bool]) -> None:
    result, conversions = unify(types)
    assert result == expected
    assert [conversion is not None for conversion in conversions] == flags


def test_unify_unsafe_accepts_dynamic() -> None:
    assert unify([DYNAMIC, STRING], unsafe=True)[0] == STRING
    assert unify([STRING, DYNAMIC], unsafe=True)[0] == STRING


def test_unify_conversions_apply() -> None:
    result, conversions = unify([STRING, NUMBER, BOOL])
    assert result == STRING
    assert conversions[0] is None
    assert conversions[1](N(5)).raw_equals(S("5"))
    assert conversions[2](TRUE).raw_equals(S("true"))


def test_unify_prefers_list_over_set() -> None:
    assert unify([ListType(STRING), SetType(STRING)])[0] == ListType(STRING)
    assert unify([MapType(STRING), ObjectType({"a": BOOL})])[0] == MapType(STRING)


def test_unify_dynamic_conversion_gives_unknown() -> None:
    result, conversions = unify([ListType(STRING), DYNAMIC])
    assert result == DYNAMIC
    assert conversions[0](list_val([S("a")])).raw_equals(DYNAMIC_VAL)


# Defaults for optional attributes.


def test_defaults_fill_missing_attribute() -> None:
    type_ = optional_object({"name": STRING, "port": NUMBER}, "port")
    defaults = Defaults(type_, {"port": N(22)})
    applied = defaults.apply(obj(name=S("web")))
    converted = convert(applied, type_)
    assert converted.raw_equals(obj(name=S("web"), port=N(22)))


def test_defaults_fill_null_attribute() -> None:
    type_ = optional_object({"port": NUMBER}, "port")
    converted = convert(Defaults(type_, {"port": S("22")}).apply(obj(port=null_val(NUMBER))), type_)
    assert converted.raw_equals(obj(port=N(22)))


def test_defaults_keep_given_attribute() -> None:
    type_ = optional_object({"port": NUMBER}, "port")
    converted = convert(Defaults(type_, {"port": N(22)}).apply(obj(port=N(80))), type_)
    assert converted.raw_equals(obj(port=N(80)))


def test_defaults_apply_inside_list() -> None:
    element = optional_object({"name": STRING, "size": NUMBER}, "size")
    type_ = ListType(element)
    defaults = Defaults(type_, children={None: Defaults(element, {"size": N(10)})})
    value = tuple_val([obj(name=S("a")), obj(name=S("b"), size=N(2))])
    converted = convert(defaults.apply(value), type_)
    assert converted.to_python() == [{"name": "a", "size": 10}, {"name": "b", "size": 2}]


def test_defaults_apply_nested_object() -> None:
    inner = optional_object({"enabled": BOOL}, "enabled")
    outer = optional_object({"feature": inner}, "feature")
    defaults = Defaults(
        outer,
        {"feature": EMPTY_OBJECT},
        children={"feature": Defaults(inner, {"enabled": TRUE})},
    )
    converted = convert(defaults.apply(EMPTY_OBJECT), outer)
    assert converted.to_python() == {"feature": {"enabled": True}}


def test_defaults_leave_unknown_alone() -> None:
    type_ = optional_object({"port": NUMBER}, "port")
    unknown = unknown_val(type_)
    assert Defaults(type_, {"port": N(22)}).apply(unknown).raw_equals(unknown)


# Messages Packer 1.6.6 shows for a variable default that does not match its type constraint.
PACKER_DEFAULT_MISMATCHES = [
    ("list element", tuple_val([S("a")]), ListType(NUMBER), "a number is required"),
    ("missing attribute", obj(b=N(1)), ObjectType({"a": STRING}), 'attribute "a" is required'),
    ("map element", obj(a=tuple_val([N(1)])), MapType(STRING), 'element "a": string required'),
    ("string to number", S("x"), NUMBER, "a number is required"),
    (
        "title case bool",
        S("True"),
        BOOL,
        'a bool is required; to convert from string, use lowercase "true"',
    ),
    ("string to list", S("x"), ListType(STRING), "list of string required"),
    (
        "three missing",
        EMPTY_OBJECT,
        ObjectType({"a": NUMBER, "b": STRING, "c": BOOL}),
        'attributes "a", "b", and "c" are required',
    ),
    ("tuple length", tuple_val([N(1), N(2)]), TupleType([STRING]), "tuple required"),
    (
        "set of objects",
        tuple_val([obj(a=S("x"))]),
        SetType(ObjectType({"a": NUMBER})),
        "a number is required",
    ),
    ("map of bool element", obj(a=N(1), b=TRUE), MapType(NUMBER), 'element "b": number required'),
]


@pytest.mark.parametrize(
    ("value", "want", "message"),
    [c[1:] for c in PACKER_DEFAULT_MISMATCHES],
    ids=[c[0] for c in PACKER_DEFAULT_MISMATCHES],
)
def test_convert_message_matches_packer(value: Value, want: Type, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        convert(value, want)
    assert str(caught.value) == message


# Conversions of variable defaults to their type constraints, as Packer 1.6.6 prints them
# through jsonencode. Numbers are parsed, as HCL literals are.
PACKER_CONVERSIONS = [
    (
        "map of string",
        obj(a=N("1"), b=TRUE, c=N("1.50"), d=N("1e21")),
        MapType(STRING),
        '{"a":"1","b":"true","c":"1.5","d":"1000000000000000000000"}',
    ),
    (
        "list of string",
        tuple_val([N("1"), N("1.50"), TRUE, S("x"), N("0.1")]),
        ListType(STRING),
        '["1","1.5","true","x","0.1"]',
    ),
    ("set merges equal strings", tuple_val([N("1"), S("1"), N("2")]), SetType(STRING), '["1","2"]'),
    (
        "object drops extra attribute",
        obj(a=tuple_val([S("1"), N("2")]), extra=TRUE),
        ObjectType({"a": ListType(NUMBER)}),
        '{"a":[1,2]}',
    ),
    (
        "map of lists with an empty one",
        obj(x=tuple_val([N("1")]), y=EMPTY_TUPLE),
        MapType(ListType(STRING)),
        '{"x":["1"],"y":[]}',
    ),
]


@pytest.mark.parametrize(
    ("value", "want", "text"), [c[1:] for c in PACKER_CONVERSIONS], ids=[c[0] for c in PACKER_CONVERSIONS]
)
def test_conversion_result_matches_packer(value: Value, want: Type, text: str) -> None:
    assert to_json(convert(value, want)) == text


@pytest.mark.parametrize(
    ("true_result", "false_result", "text"),
    [
        (tuple_val([N("1")]), tuple_val([S("a")]), '["1"]'),
        (obj(a=N("1")), obj(b=S("x")), '{"a":"1"}'),
        (N("1"), S("a"), '"1"'),
        (tuple_val([N("1")]), EMPTY_TUPLE, "[1]"),
        (obj(a=N("1")), EMPTY_OBJECT, '{"a":1}'),
        (obj(a=tuple_val([N("1")])), obj(a=tuple_val([S("x")])), '{"a":["1"]}'),
        (obj(a=N("1"), b=TRUE), obj(a=S("x"), b=S("y")), '{"a":"1","b":"true"}'),
        (tuple_val([N("1"), S("a")]), tuple_val([S("b")]), '["1","a"]'),
        (
            tuple_val([tuple_val([N("1")])]),
            tuple_val([tuple_val([S("a")]), tuple_val([S("b"), S("c")])]),
            '[["1"]]',
        ),
        (obj(a=obj(x=N("1"))), obj(b=obj(y=S("z"))), '{"a":{"x":"1"}}'),
        (N("1"), TRUE, None),
        (tuple_val([TRUE]), tuple_val([N("1")]), None),
    ],
    ids=[
        "tuples",
        "objects",
        "number and string",
        "empty tuple",
        "empty object",
        "nested tuples",
        "attributes widen",
        "tuple lengths",
        "nested lists",
        "nested maps",
        "number and bool",
        "bool and number tuples",
    ],
)
def test_conditional_unification_matches_packer(
    true_result: Value, false_result: Value, text: str | None
) -> None:
    # HCL's conditional unifies both results unsafely, then converts the chosen one; Packer
    # prints these for `true ? a : b`, or "Inconsistent conditional result types" for None.
    result_type, conversions = unify([true_result.type, false_result.type], unsafe=True)
    if text is None:
        assert result_type is None
        return
    assert result_type is not None
    chosen = conversions[0](true_result) if conversions[0] else true_result
    assert to_json(chosen) == text
    other = conversions[1](false_result) if conversions[1] else false_result
    assert other.type == chosen.type
