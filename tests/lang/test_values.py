"""Values: construction, numbers, operations, equality, set order, marks and JSON, checked against cty."""

from __future__ import annotations

import copy
import itertools
import pickle
import shutil
import subprocess
import sys
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiln.lang.marks import SENSITIVE, Mark, mark, unmark, unmark_deep, with_marks
from kiln.lang.types import BOOL, DYNAMIC, NUMBER, STRING, ListType, MapType, ObjectType, SetType, TupleType
from kiln.lang.values import (
    DYNAMIC_VAL,
    EMPTY_OBJECT,
    EMPTY_TUPLE,
    FALSE,
    MAX_INT,
    NEGATIVE_INFINITY,
    POSITIVE_INFINITY,
    TRUE,
    JSONError,
    OperationError,
    RefinementError,
    Value,
    absolute,
    add,
    bool_val,
    divide,
    equals,
    format_number,
    from_json,
    from_python,
    greater_than,
    greater_than_or_equal_to,
    implied_type_of_json,
    less_than,
    less_than_or_equal_to,
    list_val,
    list_val_empty,
    logical_and,
    logical_not,
    logical_or,
    map_val,
    map_val_empty,
    modulo,
    multiply,
    negate,
    null_val,
    number_val,
    object_val,
    set_val,
    set_val_empty,
    string_val,
    subtract,
    to_json,
    tuple_val,
    unknown_val,
)

S = string_val
N = number_val


# Construction.


def test_string_is_nfc_normalised() -> None:
    decomposed = "e\u0301"
    assert string_val(decomposed).as_str() == "\u00e9"
    assert string_val(decomposed) == string_val("\u00e9")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (5, Decimal(5)),
        (0.1, Decimal("0.1")),
        (Decimal("2.50"), Decimal("2.5")),
        ("1e3", Decimal(1000)),
        ("-0.5", Decimal("-0.5")),
        (".5", Decimal("0.5")),
        (10**30, Decimal(10**30)),
    ],
    ids=["int", "float", "decimal", "exponent string", "negative string", "leading point", "big int"],
)
def test_number_val(source: object, expected: Decimal) -> None:
    assert number_val(source).as_number() == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", "1.2.3", "", "0x10", " 1"], ids=repr)
def test_number_val_rejects_text(bad: str) -> None:
    with pytest.raises(ValueError):
        number_val(bad)


def test_number_val_rejects_bool_and_nan() -> None:
    with pytest.raises(TypeError):
        number_val(True)
    with pytest.raises(ValueError):
        number_val(float("nan"))


def test_collections_need_one_element_type() -> None:
    with pytest.raises(TypeError):
        list_val([S("a"), N(1)])
    with pytest.raises(ValueError):
        list_val([])
    assert list_val([S("a"), null_val(DYNAMIC)]).elements()[1].raw_equals(null_val(STRING))


def test_constants() -> None:
    assert EMPTY_OBJECT.type == ObjectType({})
    assert EMPTY_TUPLE.type == TupleType([])
    assert DYNAMIC_VAL.type == DYNAMIC
    assert not DYNAMIC_VAL.is_known
    assert TRUE.as_bool()
    assert not FALSE.as_bool()
    assert bool_val(True) is TRUE


def test_value_state() -> None:
    assert null_val(STRING).is_null
    assert null_val(STRING).is_known
    assert not unknown_val(STRING).is_known
    assert not unknown_val(STRING).is_null
    partial = list_val([S("a"), unknown_val(STRING)])
    assert partial.is_known and not partial.is_wholly_known
    assert list_val([S("a")]).is_wholly_known


def test_values_are_immutable() -> None:
    with pytest.raises(AttributeError):
        S("a")._raw = "b"  # type: ignore[misc]


# Access.


def test_primitive_access_checks_type() -> None:
    with pytest.raises(TypeError):
        N(1).as_str()
    with pytest.raises(ValueError):
        null_val(STRING).as_str()
    with pytest.raises(ValueError):
        unknown_val(NUMBER).as_number()


def test_as_int() -> None:
    assert N("42").as_int() == 42
    assert N("4.0").as_int() == 4
    with pytest.raises(OperationError):
        N("4.5").as_int()


def test_items_sorted_by_key() -> None:
    value = object_val({"b": N(2), "a": N(1), "B": N(3)})
    assert [key for key, _ in value.items()] == ["B", "a", "b"]
    assert [key for key, _ in map_val({"z": N(1), "y": N(2)}).items()] == ["y", "z"]


def test_length() -> None:
    assert list_val([S("a"), S("b")]).length_int() == 2
    assert list_val([S("a")]).length().raw_equals(N(1))
    assert not unknown_val(ListType(STRING)).length().is_known
    assert unknown_val(TupleType([STRING, STRING])).length().raw_equals(N(2))
    assert EMPTY_OBJECT.length_int() == 0
    assert not set_val([S("a"), unknown_val(STRING)]).length().is_known
    assert set_val([unknown_val(STRING)]).length().raw_equals(N(1))


def test_index() -> None:
    items = list_val([S("a"), S("b")])
    assert items.index(N(1)).raw_equals(S("b"))
    assert map_val({"k": N(1)}).index(S("k")).raw_equals(N(1))
    assert tuple_val([S("a"), N(1)]).index(N(1)).raw_equals(N(1))
    with pytest.raises(KeyError):
        items.index(N(2))
    with pytest.raises(KeyError):
        items.index(N("0.5"))
    assert not items.index(unknown_val(NUMBER)).is_known
    assert unknown_val(ListType(STRING)).index(N(0)).type == STRING


def test_index_carries_marks() -> None:
    items = list_val([S("a")]).mark(SENSITIVE)
    assert items.index(N(0)).marks == {SENSITIVE}
    assert list_val([S("a")]).index(N(0).mark("key")).marks == {"key"}


def test_has_index() -> None:
    items = list_val([S("a")])
    assert items.has_index(N(0)).true()
    assert not items.has_index(N(1)).true()
    assert not items.has_index(S("0")).true()
    assert map_val({"k": N(1)}).has_index(S("k")).true()
    assert not map_val({"k": N(1)}).has_index(S("x")).true()
    assert not items.has_index(unknown_val(NUMBER)).is_known
    assert not unknown_val(ListType(STRING)).has_index(N(0)).is_known


def test_get_attr() -> None:
    value = object_val({"a": S("x")})
    assert value.get_attr("a").raw_equals(S("x"))
    with pytest.raises(KeyError):
        value.get_attr("b")
    unknown = unknown_val(ObjectType({"a": NUMBER}))
    assert unknown.get_attr("a").type == NUMBER
    assert not unknown.get_attr("a").is_known


def test_element_pairs() -> None:
    pairs = list_val([S("a")]).element_pairs()
    assert pairs[0][0].raw_equals(N(0))
    assert set_val([S("x")]).element_pairs()[0][0].raw_equals(S("x"))
    assert map_val({"k": N(1)}).element_pairs()[0][0].raw_equals(S("k"))


def test_has_element() -> None:
    values = set_val([S("a"), S("b")])
    assert values.has_element(S("a")).true()
    assert not values.has_element(S("c")).true()
    assert not values.has_element(unknown_val(STRING)).is_known


# Numbers.


def test_decimal_sums_are_exact() -> None:
    assert add(N("0.1"), N("0.2")).raw_equals(N("0.3"))
    assert multiply(N("0.1"), N("3")).raw_equals(N("0.3"))
    assert equals(add(N("0.1"), N("0.2")), N("0.3")).true()


# Results of cty's 512-bit binary arithmetic, as jsonencode prints them in Packer 1.6.6. Numbers
# written as strings are parsed (512 bits, like HCL literals); ints are 64-bit, like the
# numbers functions such as length() return.
_ONE_THIRD = "0." + "3" * 154 + "5"
BINARY_ARITHMETIC = [
    ("one third", divide, "1", "3", _ONE_THIRD),
    ("two thirds", divide, "2", "3", "0." + "6" * 153 + "7"),
    ("int by literal", divide, 1, "3", _ONE_THIRD),
    ("three sevenths", divide, 3, "7", "0." + "428571" * 25 + "42856"),
    ("int by int", divide, 1, 3, "0.33333333333333333334"),
    ("two ints", divide, 2, 3, "0.6666666666666666667"),
    ("repeating product", multiply, "1.1", "1.1", "1.21" + "0" * 151 + "1"),
    ("tiny product", multiply, "1e-30", "3", "0." + "0" * 29 + "3" + "0" * 153 + "1"),
    ("difference", subtract, "0.3", "0.1", "0.2" + "0" * 153 + "2"),
    ("fractional modulo", modulo, "11", "5.1", "0.8" + "0" * 152 + "24"),
    (
        "long literal sum",
        add,
        "3.14159265358979323846264338327950288419716939937510582097494459",
        "1",
        "4.14159265358979323846264338327950288419716939937510582097494459",
    ),
    ("zero product sign", multiply, "0", "-1", "-0"),
]


@pytest.mark.parametrize(
    ("operation", "a", "b", "text"),
    [c[1:] for c in BINARY_ARITHMETIC],
    ids=[c[0] for c in BINARY_ARITHMETIC],
)
def test_binary_arithmetic_matches_cty(operation, a: object, b: object, text: str) -> None:
    result = operation(N(a), N(b))  # type: ignore[arg-type]
    assert to_json(result) == text


def test_negated_zero_keeps_sign() -> None:
    assert format_number(negate(N("0")).as_number()) == "-0"
    assert format_number(absolute(negate(N("0"))).as_number()) == "0"


def test_float_keeps_binary_value() -> None:
    # A float64 keeps its exact binary value, so adding it to a parsed number shows it.
    assert to_json(add(N(0.1), N("0.2"))) == "0.3000000000000000055511151231257827021181583404541015625"
    assert to_json(N(0.1)) == "0.1"
    # Go's big.Float prints 2**-24 one digit short of a round trip; Packer's pow(2, -24) shows it.
    assert to_json(N(2.0**-24)) == "0.00000005960464477539062"


def test_long_literal_rounds_to_512_bits() -> None:
    digits = "1" + "0" * 170 + "1"
    assert to_json(N(digits)) == "1" + "0" * 171


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("1", "1"),
        ("1.5", "1.5"),
        ("1.50", "1.5"),
        ("1e21", "1000000000000000000000"),
        ("1e-7", "0.0000001"),
        ("-12.25", "-12.25"),
        ("100", "100"),
        ("0", "0"),
    ],
)
def test_number_formatting(number: str, text: str) -> None:
    assert format_number(N(number).as_number()) == text


def test_infinity_formatting() -> None:
    assert format_number(POSITIVE_INFINITY.as_number()) == "+Inf"
    assert format_number(NEGATIVE_INFINITY.as_number()) == "-Inf"


def test_division() -> None:
    assert divide(N(1), N(4)).raw_equals(N("0.25"))
    assert multiply(divide(N("2"), N("3")), N("3")).raw_equals(N(2))


def test_division_by_zero() -> None:
    assert divide(N(1), N(0)).raw_equals(POSITIVE_INFINITY)
    assert divide(N(-1), N(0)).raw_equals(NEGATIVE_INFINITY)
    with pytest.raises(OperationError, match="can't divide zero by zero or infinity by infinity"):
        divide(N(0), N(0))
    with pytest.raises(OperationError, match="can't divide zero by zero or infinity by infinity"):
        divide(POSITIVE_INFINITY, POSITIVE_INFINITY)


def test_infinity_errors() -> None:
    with pytest.raises(OperationError, match="can't compute sum of opposing infinities"):
        add(POSITIVE_INFINITY, NEGATIVE_INFINITY)
    with pytest.raises(OperationError, match="can't subtract infinity from itself"):
        subtract(POSITIVE_INFINITY, POSITIVE_INFINITY)
    with pytest.raises(OperationError, match="can't multiply zero by infinity"):
        multiply(N(0), POSITIVE_INFINITY)


@pytest.mark.parametrize(
    ("a", "b", "result"),
    [(10, 3, "1"), (-5, 3, "-2"), (5, -3, "2"), ("5.5", 2, "1.5"), (5, 0, "5")],
    ids=["positive", "negative dividend", "negative divisor", "fraction", "by zero"],
)
def test_modulo(a: object, b: object, result: str) -> None:
    assert modulo(N(a), N(b)).raw_equals(N(result))  # type: ignore[arg-type]


def test_negate_and_absolute() -> None:
    assert negate(N(3)).raw_equals(N(-3))
    assert negate(N(0)).raw_equals(N(0))
    assert absolute(N(-2)).raw_equals(N(2))


def test_comparisons() -> None:
    assert less_than(N(1), N(2)).true()
    assert not less_than(N(2), N(2)).true()
    assert less_than_or_equal_to(N(2), N(2)).true()
    assert greater_than(N(3), N(2)).true()
    assert greater_than_or_equal_to(N(2), N(2)).true()
    assert less_than(NEGATIVE_INFINITY, N(-(10**40))).true()
    assert not less_than(unknown_val(NUMBER), N(1)).is_known


def test_arithmetic_with_unknown() -> None:
    result = add(unknown_val(NUMBER), N(1))
    assert result.type == NUMBER
    assert not result.is_known
    assert not add(DYNAMIC_VAL, N(1)).is_known


def test_arithmetic_rejects_wrong_types() -> None:
    with pytest.raises(TypeError):
        add(S("1"), N(1))
    with pytest.raises(TypeError):
        add(null_val(NUMBER), N(1))


def test_logic() -> None:
    assert logical_and(TRUE, TRUE).true()
    assert not logical_and(TRUE, FALSE).true()
    assert logical_or(FALSE, TRUE).true()
    assert logical_not(FALSE).true()
    assert logical_and(FALSE, unknown_val(BOOL)).raw_equals(FALSE)
    assert logical_or(unknown_val(BOOL), TRUE).raw_equals(TRUE)
    assert not logical_and(TRUE, unknown_val(BOOL)).is_known
    assert not logical_not(unknown_val(BOOL)).is_known


# Equality.

EQUALITIES = [
    ("equal strings", S("a"), S("a"), True),
    ("different strings", S("a"), S("b"), False),
    ("numbers by value", N("1.0"), N(1), True),
    ("string and number", S("1"), N(1), False),
    ("nulls of any type", null_val(STRING), null_val(NUMBER), True),
    ("null and value", null_val(STRING), S("a"), False),
    ("lists", list_val([S("a")]), list_val([S("a")]), True),
    ("list lengths", list_val([S("a")]), list_val([S("a"), S("b")]), False),
    ("list and tuple", list_val([S("a")]), tuple_val([S("a")]), False),
    ("maps", map_val({"a": N(1)}), map_val({"a": N(1)}), True),
    ("map keys", map_val({"a": N(1)}), map_val({"b": N(1)}), False),
    ("objects", object_val({"a": TRUE}), object_val({"a": TRUE}), True),
    ("sets ignore order", set_val([S("a"), S("b")]), set_val([S("b"), S("a")]), True),
    ("empty lists", list_val_empty(STRING), list_val_empty(STRING), True),
    ("empty collections of other types", list_val_empty(STRING), list_val_empty(NUMBER), False),
    ("unknown and null", unknown_val(STRING), null_val(STRING), None),
    ("unknown and value", unknown_val(STRING), S("a"), None),
    ("unknown of other type", unknown_val(STRING), N(1), False),
    ("dynamic and value", DYNAMIC_VAL, N(1), None),
    ("two unknowns", unknown_val(STRING), unknown_val(STRING), None),
    ("list with unknown", list_val([unknown_val(STRING)]), list_val([S("a")]), None),
    ("unequal before unknown", list_val([S("b"), unknown_val(STRING)]), list_val([S("a"), S("c")]), False),
    ("set with unknown", set_val([S("a"), unknown_val(STRING)]), set_val([S("a"), S("b")]), None),
    ("tuple with dynamic", tuple_val([DYNAMIC_VAL]), tuple_val([S("a")]), None),
    ("unknown list and map", unknown_val(ListType(STRING)), map_val_empty(STRING), False),
]


@pytest.mark.parametrize(("a", "b", "expected"), [c[1:] for c in EQUALITIES], ids=[c[0] for c in EQUALITIES])
def test_equals(a: Value, b: Value, expected: bool | None) -> None:
    result = equals(a, b)
    assert result.type == BOOL
    if expected is None:
        assert not result.is_known
    else:
        assert result.raw_equals(bool_val(expected))
    assert equals(b, a).raw_equals(result)


def test_raw_equals_tells_unknowns_apart() -> None:
    assert unknown_val(STRING).raw_equals(unknown_val(STRING))
    assert not unknown_val(STRING).raw_equals(null_val(STRING))
    assert not null_val(STRING).raw_equals(null_val(NUMBER))
    assert not S("a").raw_equals(S("a").mark(SENSITIVE))
    assert S("a") == S("a")
    assert hash(S("a")) == hash(S("a"))


# Sets.


def test_set_order_of_strings_and_numbers() -> None:
    assert set_val([S("b"), S("a"), S("B"), S("a")]).to_python() == ["B", "a", "b"]
    assert set_val([N(10), N(9), N("1.5"), N(-1)]).to_python() == [-1, 1.5, 9, 10]
    assert set_val([TRUE, FALSE]).to_python() == [False, True]


def test_set_puts_unknown_and_null_last() -> None:
    values = set_val([unknown_val(STRING), null_val(STRING), S("z"), S("a")]).elements()
    assert [v.as_str() for v in values[:2]] == ["a", "z"]
    assert not values[2].is_known
    assert values[3].is_null


def test_set_keeps_distinct_unknowns() -> None:
    assert set_val([unknown_val(STRING), unknown_val(STRING)]).length_int() == 2
    assert set_val([N(1), N("1.0")]).length_int() == 1


def test_set_orders_complex_elements_by_hash_text() -> None:
    # cty writes each element as text ("[\"a\";]" for a list) and compares the bytes.
    lists = set_val([list_val([S("b")]), list_val([S("a"), S("b")]), list_val([S("a")])])
    assert lists.to_python() == [["a", "b"], ["a"], ["b"]]
    numbers = set_val([list_val([N(10)]), list_val([N(2)]), list_val([N(1)])])
    assert numbers.to_python() == [[10], [1], [2]]
    objects = set_val([object_val({"a": N(2)}), object_val({"a": N(10)}), object_val({"a": N(1)})])
    assert objects.to_python() == [{"a": 10}, {"a": 1}, {"a": 2}]


def test_set_moves_element_marks_to_set() -> None:
    values = set_val([S("a").mark(SENSITIVE), S("b")])
    assert values.marks == {SENSITIVE}
    assert not any(element.marks for element in values.unmark()[0].elements())


def test_empty_set() -> None:
    assert set_val_empty(STRING).type == SetType(STRING)
    assert set_val_empty(STRING).length_int() == 0


# Marks.


def test_mark_and_unmark() -> None:
    marked = mark(S("secret"), SENSITIVE)
    assert marked.marks == {SENSITIVE}
    assert marked.is_marked
    plain, marks = unmark(marked)
    assert marks == {SENSITIVE}
    assert plain.raw_equals(S("secret"))
    assert with_marks(S("x"), {SENSITIVE}, {"other"}).marks == {SENSITIVE, "other"}


def test_unmark_deep() -> None:
    nested = object_val({"a": list_val([S("x").mark(SENSITIVE)]), "b": N(1).mark("m")}).mark("top")
    assert nested.contains_marked()
    plain, marks = unmark_deep(nested)
    assert marks == {SENSITIVE, "m", "top"}
    assert not plain.contains_marked()
    shallow, top = nested.unmark()
    assert top == {"top"}
    assert shallow.contains_marked()


def test_operations_carry_marks() -> None:
    secret = N(2).mark(SENSITIVE)
    assert add(secret, N(1)).marks == {SENSITIVE}
    assert add(N(1), N(1).mark("other")).marks == {"other"}
    assert equals(secret, N(2)).marks == {SENSITIVE}
    assert less_than(secret, N(3)).marks == {SENSITIVE}
    assert logical_not(TRUE.mark(SENSITIVE)).marks == {SENSITIVE}
    assert negate(secret).marks == {SENSITIVE}
    assert not add(unknown_val(NUMBER).mark(SENSITIVE), N(1)).is_known
    assert add(unknown_val(NUMBER).mark(SENSITIVE), N(1)).marks == {SENSITIVE}
    assert list_val([S("a")]).mark(SENSITIVE).length().marks == {SENSITIVE}


def test_marks_are_distinct_by_identity() -> None:
    assert Mark("sensitive") != SENSITIVE
    assert str(SENSITIVE) == "sensitive"


# Python data.


def test_to_python() -> None:
    value = object_val(
        {"n": N("1.5"), "i": N(3), "s": set_val([S("b"), S("a")]), "z": null_val(STRING), "b": TRUE}
    )
    assert value.to_python() == {"b": True, "i": 3, "n": 1.5, "s": ["a", "b"], "z": None}
    with pytest.raises(ValueError):
        unknown_val(STRING).to_python()


def test_from_python_infers_types() -> None:
    value = from_python({"a": [1, "x"], "b": None, "c": True})
    assert value.type == ObjectType({"a": TupleType([NUMBER, STRING]), "b": DYNAMIC, "c": BOOL})
    assert Value.from_python("x").raw_equals(S("x"))


def test_from_python_converts_to_type() -> None:
    value = Value.from_python({"a": [1, 2]}, ObjectType({"a": ListType(STRING)}))
    assert value.to_python() == {"a": ["1", "2"]}
    assert from_python({"k": 1}, MapType(NUMBER)).type == MapType(NUMBER)


# JSON.

ENCODINGS = [
    ("string", S("hello"), '"hello"'),
    ("html characters", S("<a&b>"), '"\\u003ca\\u0026b\\u003e"'),
    ("line separators", S("\u2028\u2029"), '"\\u2028\\u2029"'),
    ("control characters", S("a\nb\t\x01"), '"a\\nb\\t\\u0001"'),
    ("unicode kept", S("caf\u00e9"), '"caf\u00e9"'),
    ("lone surrogate replaced", S("a\udc80b"), '"a\ufffdb"'),
    ("whole number", N(100000000000000000000000), "100000000000000000000000"),
    ("small number", N("1e-7"), "0.0000001"),
    ("fraction", N("0.1"), "0.1"),
    ("bool", TRUE, "true"),
    ("null", null_val(STRING), "null"),
    ("list", list_val([N(1), N(2)]), "[1,2]"),
    ("set", set_val([S("b"), S("a")]), '["a","b"]'),
    ("object sorted", object_val({"b": N(1), "a": tuple_val([])}), '{"a":[],"b":1}'),
    ("map", map_val({"k": null_val(NUMBER)}), '{"k":null}'),
    ("dynamic null", null_val(DYNAMIC), "null"),
]


@pytest.mark.parametrize(("value", "text"), [c[1:] for c in ENCODINGS], ids=[c[0] for c in ENCODINGS])
def test_to_json(value: Value, text: str) -> None:
    assert to_json(value) == text


def test_to_json_rejects_infinity() -> None:
    # Packer's jsonencode fails the same way for 1/0 and [1/0].
    with pytest.raises(JSONError, match="^cannot serialize infinity as JSON$"):
        to_json(list_val([divide(N(1), N(0))]))


def test_to_json_rejects_unknown_and_marks() -> None:
    with pytest.raises(JSONError, match="value is not known"):
        to_json(list_val([unknown_val(STRING)]))
    with pytest.raises(JSONError, match="value has marks"):
        to_json(list_val([S("x").mark(SENSITIVE)]))


def test_from_json_implied_types() -> None:
    value = from_json('{"a": [1, "x", true, null], "b": {"c": 1.5e3}}')
    assert value.type == ObjectType(
        {"a": TupleType([NUMBER, STRING, BOOL, DYNAMIC]), "b": ObjectType({"c": NUMBER})}
    )
    assert value.get_attr("b").get_attr("c").raw_equals(N(1500))
    assert implied_type_of_json("[]") == TupleType([])


def test_from_json_keeps_number_precision() -> None:
    value = from_json("123456789012345678901234567890.000000000000000000001")
    assert value.as_number() == Decimal("123456789012345678901234567890.000000000000000000001")


def test_from_json_with_type() -> None:
    value = from_json('{"a": ["x"], "n": "5"}', ObjectType({"a": SetType(STRING), "n": NUMBER, "m": STRING}))
    assert value.to_python() == {"a": ["x"], "m": None, "n": 5}
    assert from_json('{"k": 1}', MapType(NUMBER)).type == MapType(NUMBER)
    assert from_json("[1, 2]", ListType(STRING)).to_python() == ["1", "2"]


@pytest.mark.parametrize(
    ("text", "type_", "message"),
    [
        ('{"a": 1, "a": true}', DYNAMIC, 'duplicate "a" property in JSON object'),
        ('{"x": 1}', ObjectType({"a": NUMBER}), 'unsupported attribute "x"'),
        ("true", NUMBER, "number is required"),
        ("[1]", STRING, "string is required"),
        ("1", ListType(STRING), "array is required"),
    ],
    ids=[
        "duplicate key of another type",
        "extra attribute",
        "bool as number",
        "array as string",
        "number as list",
    ],
)
def test_from_json_errors(text: str, type_, message: str) -> None:
    with pytest.raises(JSONError) as caught:
        from_json(text, type_)
    assert caught.value.message == message


# Syntax errors as Go's decoder words them; each message was checked against jsondecode in
# Packer 1.6.6.
GO_SYNTAX_ERRORS = [
    ("{", "EOF"),
    ("", "EOF"),
    (" ", "EOF"),
    ("[1", "EOF"),
    ("[1, 2", "EOF"),
    ("[1,]", "invalid character ']' looking for beginning of value"),
    ("x", "invalid character 'x' looking for beginning of value"),
    ("NaN", "invalid character 'N' looking for beginning of value"),
    ("1 2", "extraneous data after JSON object"),
    ("01", "extraneous data after JSON object"),
    ("{}boop", "extraneous data after JSON object"),
    ('{"a" 1}', "invalid character '1' after object key"),
    ("{1:2}", "invalid character '1'"),
    ("{true: null}", "invalid character 't'"),
    ("[1}", "invalid character '}' after array element"),
    ("[!]", "invalid character '!' looking for beginning of value"),
    ("[}", "invalid character '}' looking for beginning of value"),
    ('{"a":}', "invalid character '}' looking for beginning of value"),
    ("nul", "unexpected EOF"),
    ('"abc', "unexpected EOF"),
    ("1.", "unexpected EOF"),
    ("-", "unexpected EOF"),
    ("tru", "unexpected EOF"),
    ('"\\x"', "invalid character 'x' in string escape code"),
    ('"a\tb"', "invalid character '\\t' in string literal"),
    ('{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
    ('{"a":1,}', "invalid character '}' looking for beginning of object key string"),
    ("[1 2]", "invalid character '2' after array element"),
    ("1.x", "invalid character 'x' after decimal point in numeric literal"),
    ("1ex", "invalid character 'x' in exponent of numeric literal"),
    ("-x", "invalid character 'x' in numeric literal"),
    ("trux", "invalid character 'x' in literal true (expecting 'e')"),
    ('"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"),
    ("['a']", "invalid character '\\'' looking for beginning of value"),
    ("[01]", "invalid character '1' after array element"),
    ("\u00e9", "invalid character '\u00c3' looking for beginning of value"),
    ("{,}", "invalid character ','"),
]


@pytest.mark.parametrize(("text", "message"), GO_SYNTAX_ERRORS, ids=[repr(c[0]) for c in GO_SYNTAX_ERRORS])
def test_from_json_syntax_error_wording(text: str, message: str) -> None:
    with pytest.raises(JSONError) as caught:
        from_json(text)
    assert caught.value.message == message


def test_from_json_repeated_key_last_wins() -> None:
    assert from_json('{"a": 1, "a": 2}').to_python() == {"a": 2}


def test_from_json_string_escapes() -> None:
    assert from_json('"\\u00e9\\n\\ud83d\\ude38\\ud800"').as_str() == "\u00e9\n\U0001f638\ufffd"


def test_json_round_trip() -> None:
    value = object_val({"list": tuple_val([N("0.1"), S("<x>")]), "flag": FALSE, "none": null_val(DYNAMIC)})
    assert from_json(to_json(value)).raw_equals(value)


# Refinements of unknown values.


def test_refine_not_null() -> None:
    value = unknown_val(STRING).refine_not_null()
    assert not value.is_known
    assert value.range().definitely_not_null()
    assert not unknown_val(STRING).range().definitely_not_null()
    assert value.raw_equals(unknown_val(STRING).refine().not_null().new_value())
    assert not value.raw_equals(unknown_val(STRING))


def test_refine_dynamic_is_ignored() -> None:
    assert DYNAMIC_VAL.refine_not_null().raw_equals(DYNAMIC_VAL)
    assert DYNAMIC_VAL.refinement is None


def test_refine_keeps_marks() -> None:
    value = unknown_val(NUMBER).mark(SENSITIVE).refine_not_null()
    assert value.marks == {SENSITIVE}
    assert value.range().definitely_not_null()


def test_refine_known_value_checks_only() -> None:
    assert N(5).refine().number_range_inclusive(0, 10).new_value().raw_equals(N(5))
    with pytest.raises(RefinementError):
        N(50).refine().number_range_inclusive(0, 10)
    with pytest.raises(RefinementError):
        null_val(STRING).refine().not_null()
    with pytest.raises(RefinementError):
        S("abc").refine().string_prefix_full("x")


def test_refine_rejects_wrong_kind() -> None:
    with pytest.raises(RefinementError):
        unknown_val(BOOL).refine().string_prefix_full("a")
    with pytest.raises(RefinementError):
        unknown_val(NUMBER).refine().collection_length(1)


def test_refine_number_bounds() -> None:
    value = (
        unknown_val(NUMBER).refine().number_lower_bound(N(1), False).number_upper_bound(9, True).new_value()
    )
    bounds = value.range()
    assert bounds.number_lower_bound() == (N(1), False)
    assert bounds.number_upper_bound() == (N(9), True)
    unbounded = unknown_val(NUMBER).range()
    assert unbounded.number_lower_bound() == (NEGATIVE_INFINITY, False)
    assert unbounded.number_upper_bound() == (POSITIVE_INFINITY, False)


def test_refine_keeps_tighter_bound() -> None:
    value = (
        unknown_val(NUMBER).refine().number_range_inclusive(0, 10).number_range_inclusive(-5, 20).new_value()
    )
    assert value.range().number_lower_bound() == (N(0), True)
    assert value.range().number_upper_bound() == (N(10), True)


def test_refine_inconsistent_bounds() -> None:
    with pytest.raises(RefinementError):
        unknown_val(NUMBER).refine().number_lower_bound(10, True).number_upper_bound(5, True)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: unknown_val(STRING).refine().null().new_value(), null_val(STRING)),
        (lambda: unknown_val(NUMBER).refine().not_null().number_range_inclusive(3, 3).new_value(), N(3)),
        (
            lambda: unknown_val(ListType(STRING)).refine().not_null().collection_length(0).new_value(),
            list_val_empty(STRING),
        ),
        (
            lambda: unknown_val(MapType(STRING)).refine().not_null().collection_length(0).new_value(),
            map_val_empty(STRING),
        ),
        (
            lambda: unknown_val(ListType(STRING)).refine().not_null().collection_length(2).new_value(),
            list_val([unknown_val(STRING), unknown_val(STRING)]),
        ),
        (
            lambda: unknown_val(SetType(STRING)).refine().not_null().collection_length(1).new_value(),
            set_val([unknown_val(STRING)]),
        ),
    ],
    ids=["null", "single number", "empty list", "empty map", "list of two", "set of one"],
)
def test_refinement_collapses_to_known(build, expected: Value) -> None:
    assert build().raw_equals(expected)


def test_string_prefix_drops_last_cluster() -> None:
    assert unknown_val(STRING).refine().string_prefix("ami-").new_value().range().string_prefix() == "ami"
    accented = unknown_val(STRING).refine().string_prefix("cafe\u0301x").new_value()
    assert accented.range().string_prefix() == "caf\u00e9"
    full = unknown_val(STRING).refine().string_prefix_full("ami-").new_value()
    assert full.range().string_prefix() == "ami-"


def test_known_value_range() -> None:
    assert S("abc").range().string_prefix() == "abc"
    assert N(4).range().number_lower_bound() == (N(4), True)
    assert list_val([S("a")]).range().length_upper_bound() == 1
    assert null_val(STRING).range().could_be_null()
    assert not S("a").range().could_be_null()


def test_range_includes() -> None:
    prefixed = unknown_val(STRING).refine().not_null().string_prefix_full("ami-").new_value().range()
    assert not prefixed.includes(S("img-1")).is_known or not prefixed.includes(S("img-1")).true()
    assert prefixed.includes(S("img-1")).raw_equals(FALSE)
    assert not prefixed.includes(S("ami-1")).is_known
    assert prefixed.includes(null_val(STRING)).raw_equals(FALSE)
    assert unknown_val(STRING).range().includes(null_val(STRING)).raw_equals(TRUE)


def test_length_of_unknown_collection_is_bounded() -> None:
    length = unknown_val(ListType(STRING)).length()
    assert not length.is_known
    assert length.range().definitely_not_null()
    assert length.range().number_lower_bound() == (N(0), True)
    assert length.range().number_upper_bound() == (N(MAX_INT), True)
    refined = unknown_val(ListType(STRING)).refine().collection_length_lower_bound(2).new_value()
    assert refined.length().range().number_lower_bound() == (N(2), True)


def test_length_of_set_with_unknowns_is_bounded() -> None:
    length = set_val([S("a"), S("b"), unknown_val(STRING)]).length()
    assert length.range().number_lower_bound() == (N(1), True)
    assert length.range().number_upper_bound() == (N(3), True)


def test_unknown_results_are_not_null() -> None:
    for result in (
        add(unknown_val(NUMBER), N(1)),
        divide(N(1), unknown_val(NUMBER)),
        modulo(unknown_val(NUMBER), N(2)),
        negate(unknown_val(NUMBER)),
        equals(unknown_val(STRING), S("a")),
        less_than(unknown_val(NUMBER), N(1)),
        logical_not(unknown_val(BOOL)),
        logical_and(unknown_val(BOOL), TRUE),
        list_val([S("a")]).has_index(unknown_val(NUMBER)),
    ):
        assert not result.is_known
        assert result.range().definitely_not_null(), repr(result)


def test_arithmetic_bounds_follow_operands() -> None:
    bounded = unknown_val(NUMBER).refine().number_range_inclusive(0, 10).new_value()
    total = add(bounded, N(5))
    assert total.range().number_lower_bound() == (N(5), True)
    assert total.range().number_upper_bound() == (N(15), True)
    difference = subtract(N(0), bounded)
    assert difference.range().number_lower_bound() == (N(-10), True)
    product = multiply(bounded, N(-2))
    assert product.range().number_lower_bound() == (N(-20), True)
    assert product.range().number_upper_bound() == (N(0), True)
    assert absolute(unknown_val(NUMBER)).range().number_lower_bound() == (N(0), True)


def test_comparison_decided_by_bounds() -> None:
    bounded = unknown_val(NUMBER).refine().number_range_inclusive(0, 10).new_value()
    assert less_than(bounded, N(11)).raw_equals(TRUE)
    assert greater_than(bounded, N(11)).raw_equals(FALSE)
    assert not less_than(bounded, N(5)).is_known


def test_equality_uses_refinements() -> None:
    not_null = unknown_val(STRING).refine_not_null()
    assert equals(null_val(STRING), not_null).raw_equals(FALSE)
    prefixed = unknown_val(STRING).refine().string_prefix_full("a-").new_value()
    assert equals(S("b-1"), prefixed).raw_equals(FALSE)
    assert not equals(S("a-1"), prefixed).is_known
    short = unknown_val(ListType(STRING)).refine().collection_length_upper_bound(1).new_value()
    assert equals(list_val([S("a"), S("b")]), short).raw_equals(FALSE)


def test_equality_unmarks_deeply() -> None:
    nested = list_val([S("a").mark(SENSITIVE)])
    result = equals(nested, list_val([S("a")]))
    assert result.unmark()[0].true()
    assert result.marks == {SENSITIVE}


# Properties.

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=6),
    st.text(max_size=8),
)
_json_data = st.recursive(
    _json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=12,
)


@given(_json_data)
@settings(max_examples=150, deadline=None)
def test_json_round_trip_property(data: object) -> None:
    value = from_python(data)
    assert from_json(to_json(value)).raw_equals(value)


@given(st.lists(st.one_of(st.text(max_size=3), st.integers(-5, 5).map(str)), min_size=1, max_size=12))
@settings(max_examples=150, deadline=None)
def test_set_ignores_input_order(texts: list[str]) -> None:
    forward = set_val([S(text) for text in texts])
    backward = set_val([S(text) for text in reversed(texts)])
    assert forward.raw_equals(backward)
    assert forward.length_int() == len({unicodedata.normalize("NFC", text) for text in texts})
    assert set_val(forward.elements()).raw_equals(forward)


@given(
    st.decimals(min_value=Decimal("-1e40"), max_value=Decimal("1e40"), allow_nan=False, allow_infinity=False)
)
@settings(max_examples=150, deadline=None)
def test_number_text_round_trip(number: Decimal) -> None:
    value = N(number)
    assert N(format_number(value.as_number())).raw_equals(value)


def test_iteration_carries_collection_marks() -> None:
    secret = list_val([S("a"), S("b")]).mark(SENSITIVE)
    assert all(element.marks == {SENSITIVE} for element in secret.elements())
    assert object_val({"k": S("v")}).mark(SENSITIVE).items()[0][1].marks == {SENSITIVE}
    assert set_val([S("a").mark(SENSITIVE)]).element_pairs()[0][1].marks == {SENSITIVE}
    assert list_val([S("a")]).elements()[0].marks == frozenset()


def test_copy_and_pickle_keep_values_whole() -> None:
    value = object_val(
        {
            "third": divide(N("1"), N("3")),
            "secret": set_val([S("a")]).mark(SENSITIVE),
            "later": unknown_val(STRING).refine_not_null(),
        }
    )
    for copied in (copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
        assert copied.raw_equals(value)
        assert copied.get_attr("secret").marks == {SENSITIVE}
        # The binary value survives, so a third times three is exactly one again.
        assert to_json(multiply(copied.get_attr("third"), N("3"))) == "1"


def test_public_names() -> None:
    import kiln.lang.convert
    import kiln.lang.marks
    import kiln.lang.types
    import kiln.lang.values

    # Other layers build on these names, so removing one is a breaking change.
    expected = {
        kiln.lang.types: "Type STRING NUMBER BOOL DYNAMIC ListType SetType MapType ObjectType TupleType",
        kiln.lang.values: (
            "Value string_val number_val bool_val list_val list_val_empty set_val set_val_empty map_val "
            "map_val_empty object_val tuple_val EMPTY_OBJECT EMPTY_TUPLE null_val unknown_val DYNAMIC_VAL "
            "TRUE FALSE from_python to_json from_json add subtract multiply divide modulo negate less_than "
            "less_than_or_equal_to greater_than greater_than_or_equal_to equals mark unmark unmark_deep "
            "with_marks SENSITIVE OperationError JSONError RefinementError ValueRange"
        ),
        kiln.lang.convert: "convert ConversionError get_conversion unify Defaults mismatch_message format_path",
        kiln.lang.marks: "SENSITIVE Mark mark unmark unmark_deep with_marks",
    }
    for module, names in expected.items():
        for name in names.split():
            assert hasattr(module, name), f"{module.__name__}.{name}"
            assert name in module.__all__, f"{name} missing from {module.__name__}.__all__"
    value_methods = (
        "type is_null is_known is_wholly_known marks as_str as_number as_int as_bool elements items length "
        "length_int index get_attr has_index equals raw_equals to_python from_python refine refine_not_null range"
    )
    for name in value_methods.split():
        assert hasattr(Value, name), name


# Arithmetic compared live with Packer's console. Modulo is left out: Packer 1.6.6 predates
# cty's current Modulo, which the HCL spec suite's operators case pins instead.
_PACKER_OPERANDS = [
    "0.1",
    "0.2",
    "1.1",
    "2.5",
    "3",
    "7",
    "1e-7",
    "123.456",
    "1e21",
    "9.99",
    "-4.2",
    "5.1",
    "1e-30",
]
_PACKER_OPERATORS = {"+": add, "-": subtract, "*": multiply, "/": divide}


def _operand(text: str) -> Value:
    # A leading minus is HCL's unary negation of the literal that follows.
    return negate(N(text[1:])) if text.startswith("-") else N(text)


@pytest.mark.packer
@pytest.mark.skipif(shutil.which("packer") is None, reason="packer is not installed")
def test_arithmetic_matches_packer_console(tmp_path) -> None:
    cases = [
        (a, symbol, b)
        for index, (a, b) in enumerate(itertools.product(_PACKER_OPERANDS, repeat=2))
        for symbol in [list(_PACKER_OPERATORS)[index % 4]]
    ]
    (tmp_path / "empty.pkr.hcl").write_text("locals { unused = 1 }\n")
    script = tmp_path / "expressions.txt"
    script.write_text("".join(f"jsonencode(({a}) {symbol} ({b}))\n" for a, symbol, b in cases))
    # Packer 1.6.6 prints one answer per line only when stdin is a file; from a pipe it prints the
    # last answer alone.
    with script.open() as stdin:
        completed = subprocess.run(
            ["packer", "console", "empty.pkr.hcl"],
            check=False,
            cwd=tmp_path,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
    printed = completed.stdout.splitlines()
    assert len(printed) == len(cases), completed.stderr
    for (a, symbol, b), expected in zip(cases, printed, strict=True):
        result = _PACKER_OPERATORS[symbol](_operand(a), _operand(b))
        assert to_json(result) == expected, f"{a} {symbol} {b}"


# Set order as Packer 1.6.6 prints jsonencode of a variable with a set type constraint.
PACKER_SET_ORDER = [
    (
        "lists of numbers",
        [["10"], ["2"], ["1"], ["0", "1"], ["1", "0"]],
        SetType(ListType(NUMBER)),
        "[[0,1],[10],[1,0],[1],[2]]",
    ),
    (
        "objects",
        [{"n": "10", "s": "x"}, {"n": "2", "s": "y"}, {"n": "2", "s": "a"}],
        SetType(ObjectType({"n": NUMBER, "s": STRING})),
        '[{"n":10,"s":"x"},{"n":2,"s":"a"},{"n":2,"s":"y"}]',
    ),
    (
        "strings",
        ["b", "B", "a", "\u00e9", "e", "10", "9"],
        SetType(STRING),
        '["10","9","B","a","b","e","\u00e9"]',
    ),
    ("numbers", ["10", "9", "1.5", "-1", "100"], SetType(NUMBER), "[-1,1.5,9,10,100]"),
    (
        "maps",
        [{"k": "v"}, {"a": "z"}, {"k": "a", "b": "c"}],
        SetType(MapType(STRING)),
        '[{"a":"z"},{"b":"c","k":"a"},{"k":"v"}]',
    ),
    ("bools", [True, False], SetType(BOOL), "[false,true]"),
    (
        "quoted strings",
        [['a"b'], ["a b"], ["a\\b"], ["ab"]],
        SetType(ListType(STRING)),
        '[["a b"],["a\\"b"],["a\\\\b"],["ab"]]',
    ),
]


@pytest.mark.parametrize(
    ("data", "type_", "text"), [c[1:] for c in PACKER_SET_ORDER], ids=[c[0] for c in PACKER_SET_ORDER]
)
def test_set_order_matches_packer(data: object, type_, text: str) -> None:
    # Numbers are given as text so they parse at 512 bits, as HCL literals do.
    value = from_python(data, type_)
    assert to_json(value) == text


def test_dynamic_value_access_is_dynamic() -> None:
    assert DYNAMIC_VAL.get_attr("a").raw_equals(DYNAMIC_VAL)
    assert DYNAMIC_VAL.index(N(0)).raw_equals(DYNAMIC_VAL)
    assert DYNAMIC_VAL.mark(SENSITIVE).index(S("k")).marks == {SENSITIVE}
    assert not DYNAMIC_VAL.has_index(N(0)).is_known
    assert not DYNAMIC_VAL.length().is_known


def test_attribute_names_are_normalised() -> None:
    value = object_val({"cafe\u0301": N(1)})
    assert value.type.has_attribute("caf\u00e9")
    assert value.get_attr("cafe\u0301").raw_equals(N(1))


def test_has_mark() -> None:
    assert S("x").mark(SENSITIVE).has_mark(SENSITIVE)
    assert not S("x").has_mark(SENSITIVE)
    assert not list_val([S("x").mark(SENSITIVE)]).has_mark(SENSITIVE)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([53, 64, 512]))
@settings(max_examples=200, deadline=None)
def test_shortest_decimal_round_trips(number: float, precision: int) -> None:
    from fractions import Fraction

    from kiln.lang.values import _number

    binary = _number.round_to_precision(Fraction(number), precision)
    text = _number.shortest_decimal(binary, precision)
    numerator = abs(binary.numerator)
    # Go's big.Float (and so cty) takes half a unit either side even at a power of two,
    # where the gap below is only half as wide, so such text need not round-trip.
    if numerator & (numerator - 1):
        assert _number.round_to_precision(Fraction(text), precision) == binary
    if precision == 53 and (number == 0 or abs(number) >= sys.float_info.min):
        # Python's repr is also a shortest round-trip form, so the digit counts agree; a
        # subnormal float has fewer bits in Python but 53 here, so it is left out.
        assert len(text.as_tuple().digits) <= len(Decimal(repr(number)).normalize().as_tuple().digits)


@pytest.mark.parametrize(
    "module_name",
    [
        "kiln.lang.types",
        "kiln.lang.marks",
        "kiln.lang.values",
        "kiln.lang.values._value",
        "kiln.lang.values._json",
        "kiln.lang.values._refinement",
        "kiln.lang.convert",
        "kiln.lang.convert._unification",
        "kiln.lang.convert._defaults",
    ],
)
def test_docstring_examples_run(module_name: str) -> None:
    import doctest
    import importlib

    import kiln.lang.convert
    import kiln.lang.types
    import kiln.lang.values

    names: dict[str, object] = {"Decimal": Decimal}
    for module in (kiln.lang.types, kiln.lang.values, kiln.lang.convert):
        names.update({name: getattr(module, name) for name in module.__all__})
    result = doctest.testmod(importlib.import_module(module_name), extraglobs=names, report=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_number_from_another_value_keeps_precision() -> None:
    length = N(1)  # 64 bits, as length() returns
    again = number_val(length.as_number())
    assert to_json(divide(again, N(3))) == "0.33333333333333333334"
