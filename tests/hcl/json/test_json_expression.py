"""JSON values as expressions: their native-syntax equivalents, lists, maps and plain values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiln.hcl.json import JSONExpression, parse_json_expression
from kiln.hcl.syntax import ast


def expression(src: str, literal: bool = False) -> JSONExpression:
    parsed, diagnostics = parse_json_expression(src.encode(), "t.json")
    assert list(diagnostics) == []
    parsed.literal = literal
    return parsed


@pytest.mark.parametrize(
    ("src", "value"),
    [("12.50", Decimal("12.50")), ("true", True), ("false", False), ("null", None)],
    ids=["number", "true", "false", "null"],
)
def test_scalar_becomes_literal(src: str, value: object) -> None:
    native = expression(src).as_native_expression()

    assert isinstance(native, ast.LiteralValueExpr)
    assert native.value == value
    assert type(native.value) is type(value)
    assert str(native.range) == f"t.json:1,1-1,{len(src) + 1}"


def test_literal_string_stays_text() -> None:
    native = expression('"${var.x}"', literal=True).as_native_expression()

    assert isinstance(native, ast.LiteralValueExpr)
    assert native.value == "${var.x}"
    assert str(native.range) == "t.json:1,1-1,11"


def test_array_becomes_tuple() -> None:
    native = expression('[1, "a"]', literal=True).as_native_expression()

    assert isinstance(native, ast.TupleConsExpr)
    assert [e.value for e in native.exprs] == [Decimal(1), "a"]
    assert str(native.range) == "t.json:1,1-1,9"
    assert str(native.open_range) == "t.json:1,1-1,2"


def test_object_becomes_object_constructor() -> None:
    native = expression('{"k": 1, "j": [2]}', literal=True).as_native_expression()

    assert isinstance(native, ast.ObjectConsExpr)
    keys = [item.key_expr for item in native.items]
    assert all(isinstance(key, ast.ObjectConsKeyExpr) for key in keys)
    assert [key.wrapped.value for key in keys] == ["k", "j"]
    assert str(keys[0].range) == "t.json:1,2-1,5"
    assert isinstance(native.items[1].value_expr, ast.TupleConsExpr)


def test_duplicate_object_keys_reported() -> None:
    _, diagnostics = expression('{"k": 1, "k": 2}', literal=True).to_native()

    assert [d.summary for d in diagnostics] == ["Duplicate object attribute"]
    assert diagnostics[0].detail == 'An attribute named "k" was already defined at t.json:1,2-5.'
    assert str(diagnostics[0].subject) == "t.json:1,10-1,13"


def test_string_becomes_template() -> None:
    parsed = expression('"a-${var.x}"')

    native, diagnostics = parsed.to_native()

    assert list(diagnostics) == []
    assert isinstance(native, ast.TemplateExpr)
    assert [t.root_name for t in parsed.variables()] == ["var"]
    # The template starts after the opening quote, so `var.x` is at columns 6 to 11.
    assert str(parsed.variables()[0].range) == "t.json:1,6-1,11"


def test_object_key_template_variables() -> None:
    parsed = expression('{"${local.k}": "v"}')

    assert [t.root_name for t in parsed.variables()] == ["local"]


def test_bad_template_reported() -> None:
    _, diagnostics = expression('"${"').to_native()

    assert diagnostics.has_errors()


def test_string_as_traversal() -> None:
    traversal = expression('"source.null.x"').as_traversal()

    assert traversal is not None
    assert traversal.root_name == "source"
    assert len(traversal) == 3


def test_non_traversal_string() -> None:
    assert expression('"not a traversal!"').as_traversal() is None


def test_number_is_not_traversal() -> None:
    assert expression("1").as_traversal() is None


def test_expr_list_and_map() -> None:
    items = expression('[1, {"a": "b"}]').expr_list()

    assert items is not None
    assert [str(item.range) for item in items] == ["t.json:1,2-1,3", "t.json:1,5-1,15"]
    pairs = items[1].expr_map()
    assert pairs is not None
    assert [(key.python_value()[0], value.python_value()[0]) for key, value in pairs] == [("a", "b")]
    assert expression("1").expr_list() is None
    assert expression("[]").expr_map() is None


def test_python_value() -> None:
    value, diagnostics = expression('{"a": [1.5, true, null, "x"], "b": {}}').python_value()

    assert list(diagnostics) == []
    assert value == {"a": [Decimal("1.5"), True, None, "x"], "b": {}}
