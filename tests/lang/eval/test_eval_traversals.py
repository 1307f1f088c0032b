"""Traversals read from expressions, and functions that take unevaluated arguments."""

from __future__ import annotations

import pytest

from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.eval import (
    EvalContext,
    abs_traversal_for_expr,
    evaluate,
    expr_as_keyword,
    rel_traversal_for_expr,
)
from kiln.lang.function import ArgumentDecode, Function, Parameter


def parse(source: str):
    from kiln.hcl.syntax.parser import parse_expression

    expr, diags = parse_expression(source.encode(), "test.hcl")
    assert not diags.has_errors(), [d.summary for d in diags]
    return expr


def test_abs_traversal() -> None:
    traversal, diags = abs_traversal_for_expr(parse('source.null.example["x"]'))
    assert list(diags) == []
    assert traversal.root_name == "source"
    assert [type(step).__name__ for step in traversal] == [
        "TraverseRoot",
        "TraverseAttr",
        "TraverseAttr",
        "TraverseIndex",
    ]


@pytest.mark.parametrize("source", ['upper("a")', "a + 1", '"${a}"', "[a]"])
def test_abs_traversal_rejects_non_reference(source: str) -> None:
    traversal, diags = abs_traversal_for_expr(parse(source))
    assert traversal is None
    assert [d.summary for d in diags] == ["Invalid expression"]
    assert diags[0].detail.startswith("A single static variable reference is required")


def test_rel_traversal_turns_root_into_attribute() -> None:
    steps, _diags = rel_traversal_for_expr(parse("a.b"))
    assert [type(step).__name__ for step in steps] == ["TraverseAttr", "TraverseAttr"]
    assert [step.name for step in steps] == ["a", "b"]


@pytest.mark.parametrize(
    ("source", "keyword"), [("foo", "foo"), ("true", "true"), ("null", "null"), ("a.b", None), ('"s"', None)]
)
def test_expr_as_keyword(source: str, keyword: str | None) -> None:
    assert expr_as_keyword(parse(source)) == keyword


def _can(args: list, return_type: T.Type) -> V.Value:
    _value, diags = args[0].value()
    return V.bool_val(not any(d.is_error for d in diags))


CAN = Function(
    [Parameter("expression", T.DYNAMIC, decode=ArgumentDecode.EXPRESSION)], return_type=T.BOOL, impl=_can
)


def _convert(args: list, return_type: T.Type) -> V.Value:
    from kiln.lang.convert import convert

    return convert(args[0], args[1])


CONVERT = Function(
    [
        Parameter("value", T.DYNAMIC, allow_null=True),
        Parameter("type", T.DYNAMIC, decode=ArgumentDecode.TYPE),
    ],
    return_type=lambda args: args[1],
    impl=_convert,
)


def test_lazy_argument_is_not_evaluated_first() -> None:
    ctx = EvalContext({"var": V.object_val({"a": V.number_val(1)})}, {"can": CAN})
    value, diags = evaluate(parse("can(var.missing)"), ctx)
    assert list(diags) == []
    assert value.raw_equals(V.FALSE)
    value, diags = evaluate(parse("can(var.a)"), ctx)
    assert value.raw_equals(V.TRUE)


def test_type_argument() -> None:
    ctx = EvalContext({}, {"convert": CONVERT})
    value, diags = evaluate(parse('convert(["a"], set(string))'), ctx)
    assert list(diags) == []
    assert value.type == T.SetType(T.STRING)


def test_parenthesised_reference_is_not_a_traversal() -> None:
    traversal, diags = abs_traversal_for_expr(parse("(a.b)"))
    assert traversal is None
    assert [d.summary for d in diags] == ["Invalid expression"]


def test_object_key_reads_as_traversal() -> None:
    expr = parse("{a = 1}")
    key = expr.items[0].key_expr
    assert expr_as_keyword(key) == "a"
    forced = parse("{(a) = 1}").items[0].key_expr
    assert expr_as_keyword(forced) is None


def test_expr_list() -> None:
    from kiln.lang.eval import expr_list

    items, diags = expr_list(parse("[a, 1 + 1]"))
    assert list(diags) == []
    assert [type(item).__name__ for item in items] == ["ScopeTraversalExpr", "BinaryOpExpr"]
    items, diags = expr_list(parse("a"))
    assert items == []
    assert [d.detail for d in diags] == ["A static list expression is required."]


def test_expr_map() -> None:
    from kiln.lang.eval import expr_as_keyword, expr_map

    pairs, diags = expr_map(parse('{a = 1, "b" = 2}'))
    assert list(diags) == []
    assert [expr_as_keyword(key) for key, _ in pairs] == ["a", None]
    pairs, diags = expr_map(parse("[1]"))
    assert [d.detail for d in diags] == ["A static map expression is required."]


def test_expr_call() -> None:
    from kiln.lang.eval import expr_call

    call, diags = expr_call(parse("list(string)"))
    assert list(diags) == []
    assert call.name == "list"
    assert len(call.arguments) == 1
    assert (call.args_range.start.column, call.args_range.end.column) == (5, 13)
    call, diags = expr_call(parse("list"))
    assert call is None
    assert [d.detail for d in diags] == ["A static function call is required."]
