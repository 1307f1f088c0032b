"""Expression parsing: node shapes, values, precedence and exact source ranges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiln.hcl.diagnostics import Pos, Range
from kiln.hcl.syntax import (
    AnonSymbolExpr,
    BinaryOpExpr,
    ConditionalExpr,
    Expression,
    ForExpr,
    FunctionCallExpr,
    IndexExpr,
    LiteralValueExpr,
    ObjectConsExpr,
    Operation,
    ParenthesesExpr,
    RelativeTraversalExpr,
    ScopeTraversalExpr,
    SplatExpr,
    TemplateExpr,
    TemplateWrapExpr,
    TraverseAttr,
    TraverseRoot,
    TupleConsExpr,
    UnaryOpExpr,
    parse_expression,
    parse_traversal_abs,
)

FILE = "x.hcl"


def span(start: tuple[int, int, int], end: tuple[int, int, int]) -> Range:
    return Range(FILE, Pos(*start), Pos(*end))


def cols(first: int, last: int) -> Range:
    """Range on line 1 from column `first` to column `last` (exclusive), ASCII input."""
    return span((1, first, first - 1), (1, last, last - 1))


def parse_ok(src: str) -> Expression:
    expr, diags = parse_expression(src.encode(), FILE)
    assert [d.summary for d in diags] == []
    return expr


def shape(expr: object) -> object:
    """Reduce an expression to a compact nested tuple for table comparison."""
    if isinstance(expr, LiteralValueExpr):
        return expr.value
    if isinstance(expr, ScopeTraversalExpr):
        return ("ref", _steps(expr.traversal))
    if isinstance(expr, RelativeTraversalExpr):
        return ("rel", shape(expr.source), _steps(expr.traversal))
    if isinstance(expr, BinaryOpExpr):
        return (expr.op.value, shape(expr.lhs), shape(expr.rhs))
    if isinstance(expr, UnaryOpExpr):
        return (expr.op.value, shape(expr.val))
    if isinstance(expr, ConditionalExpr):
        return ("?", shape(expr.condition), shape(expr.true_result), shape(expr.false_result))
    if isinstance(expr, ParenthesesExpr):
        return ("()", shape(expr.expression))
    if isinstance(expr, TemplateExpr):
        return ("tmpl", *[shape(p) for p in expr.parts])
    if isinstance(expr, TemplateWrapExpr):
        return ("wrap", shape(expr.wrapped))
    if isinstance(expr, FunctionCallExpr):
        return ("call", expr.name, [shape(a) for a in expr.args], expr.expand_final)
    if isinstance(expr, TupleConsExpr):
        return ("tuple", *[shape(e) for e in expr.exprs])
    if isinstance(expr, ObjectConsExpr):
        return ("object", *[(shape(i.key_expr.wrapped), shape(i.value_expr)) for i in expr.items])
    if isinstance(expr, IndexExpr):
        return ("index", shape(expr.collection), shape(expr.key))
    if isinstance(expr, SplatExpr):
        return ("splat", shape(expr.source), shape(expr.each))
    if isinstance(expr, AnonSymbolExpr):
        return "item"
    if isinstance(expr, ForExpr):
        return (
            "for",
            expr.key_var,
            expr.val_var,
            shape(expr.coll_expr),
            shape(expr.key_expr) if expr.key_expr else None,
            shape(expr.val_expr),
            shape(expr.cond_expr) if expr.cond_expr else None,
            expr.group,
        )
    raise AssertionError(f"unexpected node {expr!r}")


def _steps(traversal: list) -> list:
    steps = []
    for step in traversal:
        if isinstance(step, TraverseRoot | TraverseAttr):
            steps.append(step.name)
        else:
            steps.append([step.key])
    return steps


D = Decimal


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param("1", D(1), id="integer"),
        pytest.param("1.5e3", D("1.5e3"), id="exponent"),
        pytest.param("true", True, id="true"),
        pytest.param("null", None, id="null"),
        pytest.param('"a"', ("tmpl", "a"), id="string"),
        pytest.param('""', ("tmpl", ""), id="empty-string"),
        pytest.param('"${a}"', ("wrap", ("ref", ["a"])), id="bare-interpolation"),
        pytest.param('"x${a}y"', ("tmpl", "x", ("ref", ["a"]), "y"), id="interpolation"),
        pytest.param("1 + 2 * 3", ("+", D(1), ("*", D(2), D(3))), id="multiply-binds-tighter"),
        pytest.param("1 - 2 - 3", ("-", ("-", D(1), D(2)), D(3)), id="left-associative"),
        pytest.param(
            "a || b && c", ("||", ("ref", ["a"]), ("&&", ("ref", ["b"]), ("ref", ["c"]))), id="and-over-or"
        ),
        pytest.param(
            "a == b != c", ("!=", ("==", ("ref", ["a"]), ("ref", ["b"])), ("ref", ["c"])), id="equality-chain"
        ),
        pytest.param("1 < 2 == true", ("==", ("<", D(1), D(2)), True), id="comparison-over-equality"),
        pytest.param("-1 + 2", ("+", ("-x", D(1)), D(2)), id="negate-binds-tight"),
        pytest.param("!a.b", ("!", ("ref", ["a", "b"])), id="not-over-traversal"),
        pytest.param("(1 + 2) * 3", ("*", ("()", ("+", D(1), D(2))), D(3)), id="parentheses"),
        pytest.param(
            "a ? b : c ? d : e",
            ("?", ("ref", ["a"]), ("ref", ["b"]), ("?", ("ref", ["c"]), ("ref", ["d"]), ("ref", ["e"]))),
            id="conditional-right-nested",
        ),
        pytest.param('a.b[0]["k"].c', ("ref", ["a", "b", [D(0)], ["k"], "c"]), id="traversal-steps"),
        pytest.param("a.0.b", ("ref", ["a", [D(0)], "b"]), id="legacy-index"),
        pytest.param("a[b]", ("index", ("ref", ["a"]), ("ref", ["b"])), id="dynamic-index"),
        pytest.param("f(1)[0]", ("rel", ("call", "f", [D(1)], False), [[D(0)]]), id="relative-traversal"),
        pytest.param("f()", ("call", "f", [], False), id="call-no-args"),
        pytest.param("f(a, b...)", ("call", "f", [("ref", ["a"]), ("ref", ["b"])], True), id="call-expand"),
        pytest.param(
            "f(\n  1,\n  2,\n)", ("call", "f", [D(1), D(2)], False), id="call-multiline-trailing-comma"
        ),
        pytest.param('[1, "a",]', ("tuple", D(1), ("tmpl", "a")), id="tuple"),
        pytest.param(
            '{a = 1, "b": 2}', ("object", (("ref", ["a"]), D(1)), (("tmpl", "b"), D(2))), id="object"
        ),
        pytest.param(
            "{\n  a = 1\n  b = 2\n}",
            ("object", (("ref", ["a"]), D(1)), (("ref", ["b"]), D(2))),
            id="object-newlines",
        ),
        pytest.param("a[*].b", ("splat", ("ref", ["a"]), ("rel", "item", ["b"])), id="full-splat"),
        pytest.param("a.*.b", ("splat", ("ref", ["a"]), ("rel", "item", ["b"])), id="attribute-splat"),
        pytest.param("a[*]", ("splat", ("ref", ["a"]), "item"), id="bare-splat"),
        pytest.param(
            "[for v in l : v]",
            ("for", "", "v", ("ref", ["l"]), None, ("ref", ["v"]), None, False),
            id="for-tuple",
        ),
        pytest.param(
            "{for k, v in m : k => v... if v}",
            ("for", "k", "v", ("ref", ["m"]), ("ref", ["k"]), ("ref", ["v"]), ("ref", ["v"]), True),
            id="for-object-grouped",
        ),
    ],
)
def test_expression_shape(src: str, expected: object) -> None:
    assert shape(parse_ok(src)) == expected


def test_binary_op_ranges() -> None:
    expr = parse_ok("a + bb * 3")

    assert isinstance(expr, BinaryOpExpr)
    assert expr.op is Operation.Add
    assert expr.range == cols(1, 11)
    assert expr.lhs.range == cols(1, 2)
    assert expr.rhs.range == cols(5, 11)


def test_function_call_ranges() -> None:
    expr = parse_ok("upper( x )")

    assert isinstance(expr, FunctionCallExpr)
    assert expr.range == cols(1, 11)
    assert expr.name_range == cols(1, 6)
    assert expr.open_paren_range == cols(6, 7)
    assert expr.close_paren_range == cols(10, 11)
    assert expr.args[0].range == cols(8, 9)


def test_traversal_step_ranges() -> None:
    expr = parse_ok("var.list[12].x")

    assert isinstance(expr, ScopeTraversalExpr)
    assert [step.range for step in expr.traversal] == [cols(1, 4), cols(4, 9), cols(9, 13), cols(13, 15)]
    assert expr.range == cols(1, 15)
    assert expr.traversal.range == cols(1, 15)
    assert expr.traversal.root_name == "var"


def test_template_part_ranges() -> None:
    expr = parse_ok('"ab${c}d"')

    assert isinstance(expr, TemplateExpr)
    assert expr.range == cols(1, 10)
    assert [part.range for part in expr.parts] == [cols(2, 4), cols(6, 7), cols(8, 9)]


def test_empty_string_range_is_after_quote() -> None:
    expr = parse_ok('""')

    assert isinstance(expr, TemplateExpr)
    assert expr.parts[0].range == cols(2, 2)


def test_splat_and_for_ranges() -> None:
    splat = parse_ok("a[*].b")
    for_expr = parse_ok("[for x in y: x]")

    assert isinstance(splat, SplatExpr)
    assert splat.range == cols(1, 7)
    assert splat.marker_range == cols(2, 5)
    assert isinstance(for_expr, ForExpr)
    assert for_expr.range == cols(1, 16)
    assert for_expr.open_range == cols(1, 2)
    assert for_expr.close_range == cols(15, 16)


def test_multiline_ranges() -> None:
    expr = parse_ok("[\n  1,\n  22\n]")

    assert isinstance(expr, TupleConsExpr)
    assert expr.range == span((1, 1, 0), (4, 2, 13))
    assert expr.exprs[1].range == span((3, 3, 9), (3, 5, 11))


def test_unicode_columns_count_characters() -> None:
    expr = parse_ok('"é${a}"')

    assert isinstance(expr, TemplateExpr)
    assert expr.parts[1].range == span((1, 5, 5), (1, 6, 6))


def test_object_key_forms() -> None:
    expr = parse_ok('{a = 1, (b) = 2, "c" = 3}')

    assert isinstance(expr, ObjectConsExpr)
    keys = [item.key_expr for item in expr.items]
    assert keys[0].as_literal_name() == "a"
    assert keys[1].force_non_literal is True
    assert keys[1].as_literal_name() is None
    assert keys[2].as_literal_name() is None


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param("var.a + local.b.c", [["var", "a"], ["local", "b", "c"]], id="binary"),
        pytest.param(
            "{for k, v in var.m : k => v if v != local.x}",
            [["var", "m"], ["local", "x"]],
            id="for-excludes-own-symbols",
        ),
        pytest.param("{a = b}", [["b"]], id="object-literal-key"),
        pytest.param("{(a) = b}", [["a"], ["b"]], id="object-parenthesized-key"),
        pytest.param("var.l[*].id", [["var", "l"]], id="splat-item-not-a-reference"),
        pytest.param(
            '"${var.a}-%{ for x in var.b }${x}%{ endfor }"', [["var", "a"], ["var", "b"]], id="template"
        ),
        pytest.param("f(var.a)[var.i]", [["var", "a"], ["var", "i"]], id="call-and-index"),
    ],
)
def test_variables(src: str, expected: list[list[str]]) -> None:
    variables = parse_ok(src).variables()

    assert [_steps(t) for t in variables] == expected


def test_parse_traversal_abs() -> None:
    traversal, diags = parse_traversal_abs(b'source.null["b"][0]', FILE)

    assert list(diags) == []
    assert _steps(traversal) == ["source", "null", ["b"], [D(0)]]
    assert traversal[2].range == cols(12, 17)


@pytest.mark.parametrize(
    ("src", "summary", "subject"),
    [
        pytest.param("1", "Variable name required", cols(1, 2), id="number-first"),
        pytest.param("a.*", "Attribute name required", cols(3, 4), id="splat"),
        pytest.param("a[b]", "Index value required", cols(3, 4), id="dynamic-index"),
        pytest.param("a + b", "Invalid character", cols(3, 4), id="operator"),
    ],
)
def test_parse_traversal_abs_errors(src: str, summary: str, subject: Range) -> None:
    _, diags = parse_traversal_abs(src.encode(), FILE)

    assert [(d.summary, d.subject) for d in diags] == [(summary, subject)]


@pytest.mark.parametrize(
    ("src", "summary", "subject"),
    [
        pytest.param("", "Missing expression", cols(1, 1), id="empty"),
        pytest.param("1 +", "Missing expression", cols(4, 4), id="missing-operand"),
        pytest.param("a b", "Extra characters after expression", cols(3, 4), id="extra"),
        pytest.param("[1 2]", "Missing item separator", cols(4, 5), id="tuple-separator"),
        pytest.param("f(1 2)", "Missing argument separator", cols(5, 6), id="call-separator"),
        pytest.param("{a 1}", "Missing key/value separator", cols(4, 5), id="object-separator"),
        pytest.param("(1", "Unbalanced parentheses", cols(3, 3), id="unbalanced"),
        pytest.param("a ? b", "Missing false expression in conditional", cols(6, 6), id="conditional"),
        pytest.param("a.", "Invalid attribute name", cols(3, 3), id="dot-without-name"),
        pytest.param("a.0.1", "Invalid legacy index syntax", cols(3, 6), id="chained-legacy-index"),
        pytest.param("[for x in y: x if]", "Invalid expression", cols(18, 19), id="for-missing-condition"),
        pytest.param("[for in y: x]", "Invalid 'for' expression", cols(9, 10), id="for-missing-in"),
        pytest.param(
            "[for k, v in m: k => v]", "Invalid 'for' expression", cols(17, 18), id="for-key-in-tuple"
        ),
        pytest.param(
            "{for v in m: v}", "Invalid 'for' expression", cols(14, 15), id="for-object-without-key"
        ),
        pytest.param('"\\q"', "Invalid escape sequence", cols(2, 4), id="bad-escape"),
        pytest.param('"\\u12"', "Invalid escape sequence", cols(2, 4), id="short-unicode-escape"),
        pytest.param("1 & 2", "Unsupported operator", cols(3, 4), id="bitwise"),
        pytest.param("'a'", "Invalid character", cols(1, 2), id="single-quote"),
        pytest.param(
            '"${a"', "Unclosed template interpolation sequence", cols(2, 4), id="unclosed-interpolation"
        ),
        pytest.param(
            '"${a b}"',
            "Extra characters after interpolation expression",
            cols(6, 7),
            id="interpolation-extra",
        ),
        pytest.param('"abc', "Unterminated template string", cols(5, 5), id="unterminated-string"),
    ],
)
def test_expression_errors(src: str, summary: str, subject: Range) -> None:
    _, diags = parse_expression(src.encode(), FILE)

    assert diags, "expected a diagnostic"
    assert (diags[0].summary, diags[0].subject) == (summary, subject)


def test_invalid_utf8_is_a_diagnostic() -> None:
    _, diags = parse_expression(b'"\xff"', FILE)

    assert [d.summary for d in diags] == ["Invalid character encoding"]
    assert diags[0].subject == cols(2, 3)
