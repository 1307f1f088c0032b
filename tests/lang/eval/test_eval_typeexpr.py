"""Type constraints read from expressions, and optional attribute defaults."""

from __future__ import annotations

import pytest

from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.typeexpr import exact_type, type_constraint, type_constraint_with_defaults


def parse(source: str):
    from kiln.hcl.syntax.parser import parse_expression

    expr, diags = parse_expression(source.encode(), "test.hcl")
    assert not diags.has_errors(), [d.summary for d in diags]
    return expr


TYPE_CASES = [
    ("string", "string", T.STRING),
    ("number", "number", T.NUMBER),
    ("bool", "bool", T.BOOL),
    ("any", "any", T.DYNAMIC),
    ("list", "list(string)", T.ListType(T.STRING)),
    ("set", "set(number)", T.SetType(T.NUMBER)),
    ("map of list", "map(list(bool))", T.MapType(T.ListType(T.BOOL))),
    ("list of any", "list(any)", T.ListType(T.DYNAMIC)),
    ("object", "object({a = string, b = number})", T.ObjectType({"a": T.STRING, "b": T.NUMBER})),
    (
        "object keyword names",
        "object({true = bool, null = any})",
        T.ObjectType({"true": T.BOOL, "null": T.DYNAMIC}),
    ),
    ("tuple", "tuple([string, number])", T.TupleType([T.STRING, T.NUMBER])),
    (
        "optional attribute",
        "object({a = optional(string)})",
        T.ObjectType({"a": T.STRING}, optional=frozenset({"a"})),
    ),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in TYPE_CASES], ids=[c[0] for c in TYPE_CASES])
def test_type_constraint(source: str, expected: T.Type) -> None:
    type_, diags = type_constraint(parse(source))
    assert list(diags) == []
    assert type_ == expected


ERROR_CASES = [
    ("unknown keyword", "strng", 'The keyword "strng" is not a valid type specification.', (1, 6)),
    (
        "bare list",
        "list",
        "The list type constructor requires one argument specifying the element type.",
        (1, 5),
    ),
    ("bare object", "object", "The object type constructor requires one argument", (1, 7)),
    ("too many arguments", "list(string, number)", "requires one argument", (14, 20)),
    (
        "primitive with arguments",
        "string(1)",
        'Primitive type keyword "string" does not expect arguments.',
        (7, 10),
    ),
    ("unknown constructor", "listof(string)", 'Keyword "listof" is not a valid type constructor.', (1, 15)),
    ("optional outside object", "optional(string)", 'Keyword "optional" is valid only as a modifier', (1, 9)),
    ("not a type", '"string"', "A type specification is either a primitive type keyword", (1, 9)),
    ("object of non-object", "object(string)", "Object type constructor requires a map", (8, 14)),
    (
        "quoted attribute name",
        'object({"a" = string})',
        "Object constructor map keys must be attribute names.",
        (9, 12),
    ),
    (
        "tuple of non-list",
        "tuple(string)",
        "Tuple type constructor requires a list of element types.",
        (7, 13),
    ),
]


@pytest.mark.parametrize(
    ("source", "detail", "columns"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_type_constraint_error(source: str, detail: str, columns: tuple[int, int]) -> None:
    _type, diags = type_constraint(parse(source))
    errors = list(diags.errors())
    assert [d.summary for d in errors] == ["Invalid type specification"]
    assert detail in errors[0].detail
    subject = errors[0].subject
    assert (subject.start.column, subject.end.column) == columns


def test_exact_type_rejects_any() -> None:
    _type, diags = exact_type(parse("list(any)"))
    assert [d.detail for d in diags] == [
        'The keyword "any" cannot be used in this type specification: an exact type is required.'
    ]


def test_optional_with_default_needs_defaults_mode() -> None:
    _type, diags = type_constraint(parse('object({a = optional(string, "x")})'))
    assert [d.detail for d in diags] == [
        "Optional attribute modifier expects only one argument: the attribute type."
    ]


def test_defaults_fill_null_and_absent_attributes() -> None:
    type_, defaults, diags = type_constraint_with_defaults(
        parse('object({name = string, port = optional(number, 22), user = optional(string, "root")})')
    )
    assert list(diags) == []
    assert type_.optional == frozenset({"port", "user"})
    given = V.object_val({"name": V.string_val("a"), "user": V.null_val(T.STRING)})
    filled = defaults.apply(given)
    assert filled.to_python() == {"name": "a", "port": 22, "user": "root"}


def test_defaults_apply_to_collection_elements() -> None:
    _type, defaults, diags = type_constraint_with_defaults(parse("list(object({a = optional(number, 1)}))"))
    assert list(diags) == []
    given = V.tuple_val([V.EMPTY_OBJECT, V.object_val({"a": V.number_val(5)})])
    assert defaults.apply(given).to_python() == [{"a": 1}, {"a": 5}]


def test_defaults_nested_objects() -> None:
    _type, defaults, diags = type_constraint_with_defaults(
        parse('object({inner = optional(object({x = optional(string, "d")}), {})})')
    )
    assert list(diags) == []
    assert defaults.apply(V.EMPTY_OBJECT).to_python() == {"inner": {"x": "d"}}


def test_defaults_leave_null_object_alone() -> None:
    type_, defaults, _diags = type_constraint_with_defaults(parse("object({a = optional(number, 1)})"))
    null = V.null_val(type_)
    assert defaults.apply(null).is_null


def test_invalid_default() -> None:
    _type, _defaults, diags = type_constraint_with_defaults(parse('object({a = optional(number, "x")})'))
    assert [d.summary for d in diags] == ["Invalid default value for optional attribute"]
    assert 'optional attribute "a": a number is required.' in diags[0].detail


def test_defaults_keep_a_list_a_list() -> None:
    _type, defaults, diags = type_constraint_with_defaults(parse("list(object({a = optional(number, 1)}))"))
    assert list(diags) == []
    given = V.list_val([V.object_val({"a": V.null_val(T.NUMBER)}), V.object_val({"a": V.number_val(2)})])
    filled = defaults.apply(given)
    assert filled.type == T.ListType(T.ObjectType({"a": T.NUMBER}))
    assert filled.to_python() == [{"a": 1}, {"a": 2}]


def test_defaults_in_map_elements() -> None:
    _type, defaults, diags = type_constraint_with_defaults(parse('map(object({a = optional(string, "d")}))'))
    assert list(diags) == []
    given = V.map_val({"x": V.object_val({"a": V.null_val(T.STRING)})})
    filled = defaults.apply(given)
    assert filled.type.is_map()
    assert filled.to_python() == {"x": {"a": "d"}}
