"""Templates: escapes, strip markers, heredocs and `%{if}` / `%{for}` directives."""

from __future__ import annotations

import pytest

from kiln.hcl.diagnostics import Pos, Range
from kiln.hcl.syntax import (
    ConditionalExpr,
    Expression,
    ForExpr,
    LiteralValueExpr,
    ScopeTraversalExpr,
    TemplateExpr,
    TemplateJoinExpr,
    TemplateWrapExpr,
    parse_expression,
    parse_template,
)

FILE = "t.hcl"


def literal_parts(expr: Expression) -> list[object]:
    """Return a template's parts: literal strings as-is, references as `${name}` markers."""
    assert isinstance(expr, TemplateExpr), expr
    parts: list[object] = []
    for part in expr.parts:
        if isinstance(part, LiteralValueExpr):
            parts.append(part.value)
        elif isinstance(part, ScopeTraversalExpr):
            parts.append("${" + part.traversal.root_name + "}")
        else:
            parts.append(type(part).__name__)
    return parts


def parse_ok(src: bytes) -> Expression:
    expr, diags = parse_expression(src, FILE)
    assert [d.summary for d in diags] == []
    return expr


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(rb'"a\nb\tc\"d\\e"', ['a\nb\tc"d\\e'], id="simple-escapes"),
        pytest.param(rb'"\u00e9\U0001F600"', ["é\U0001f600"], id="unicode-escapes"),
        pytest.param(rb'"$${a} %%{b}"', ["${a} %{b}"], id="template-escapes"),
        pytest.param(rb'"$ % $a %b"', ["$ % $a %b"], id="lone-markers"),
        pytest.param(rb'"a ${b} c"', ["a ", "${b}", " c"], id="interpolation"),
        pytest.param(rb'"a  ${~b~}  c"', ["a", "${b}", "c"], id="strip-both"),
        pytest.param(rb'"a \n ${~ b}"', ["a", "${b}"], id="strip-newline-before"),
        pytest.param(
            rb'"x %{ if a ~}  \n y %{~ endif }"', ["x ", "ConditionalExpr"], id="strip-in-directive"
        ),
    ],
)
def test_quoted_template_parts(src: bytes, expected: list[object]) -> None:
    assert literal_parts(parse_ok(src)) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(b"<<EOF\nFoo\nBar\nEOF\n", ["Foo\nBar\n"], id="basic"),
        pytest.param(b"<<EOF\n  Foo\n  EOF\n", ["  Foo\n"], id="indented-marker-keeps-spaces"),
        pytest.param(b"<<-EOF\n    Foo\n      Bar\n    EOF\n", ["Foo\n  Bar\n"], id="flush"),
        pytest.param(
            b"<<-EOF\n    Foo\n\n    Bar\n  EOF\n", ["Foo\n\nBar\n"], id="flush-ignores-blank-lines"
        ),
        pytest.param(
            b"<<-EOF\n    a ${b}\n  c\n  EOF\n", ["  a ", "${b}", "\nc\n"], id="flush-with-interpolation"
        ),
        pytest.param(
            b"<<-EOF\n  ${b}\n    c\n  EOF\n", ["", "${b}", "\n  c\n"], id="flush-line-starting-interpolation"
        ),
        pytest.param(b"<<EOF\n\\n $${x}\nEOF\n", ["\\n ${x}\n"], id="no-backslash-escapes"),
        pytest.param(b"<<EOF\nEOF\n", [""], id="empty"),
        pytest.param(b"<<EOF\r\nFoo\r\nEOF\r\n", ["Foo\r\n"], id="crlf"),
    ],
)
def test_heredoc_parts(src: bytes, expected: list[object]) -> None:
    assert literal_parts(parse_ok(src)) == expected


def test_heredoc_ranges() -> None:
    expr = parse_ok(b"<<-EOF\n    Foo\n  EOF\n")

    assert isinstance(expr, TemplateExpr)
    assert expr.range == Range(FILE, Pos(1, 1, 0), Pos(3, 6, 20))
    # The flush indentation is outside the literal's range.
    assert expr.parts[0].range == Range(FILE, Pos(2, 5, 11), Pos(3, 1, 15))


def test_if_directive_builds_conditional() -> None:
    expr = parse_ok(b'"%{ if a }yes%{ else }no%{ endif }"')

    assert isinstance(expr, TemplateExpr)
    (conditional,) = expr.parts
    assert isinstance(conditional, ConditionalExpr)
    assert literal_parts(conditional.true_result) == ["yes"]
    assert literal_parts(conditional.false_result) == ["no"]
    assert conditional.range == Range(FILE, Pos(1, 2, 1), Pos(1, 35, 34))


def test_if_without_else_is_empty_string() -> None:
    expr = parse_ok(b'"%{ if a }yes%{ endif }"')

    assert isinstance(expr, TemplateExpr)
    conditional = expr.parts[0]
    assert isinstance(conditional, ConditionalExpr)
    assert literal_parts(conditional.false_result) == [""]


def test_for_directive_builds_join() -> None:
    expr = parse_ok(b'"%{ for k, v in m }${k}=${v};%{ endfor }"')

    assert isinstance(expr, TemplateExpr)
    (join,) = expr.parts
    assert isinstance(join, TemplateJoinExpr)
    assert isinstance(join.tuple, ForExpr)
    assert (join.tuple.key_var, join.tuple.val_var) == ("k", "v")
    assert literal_parts(join.tuple.val_expr) == ["${k}", "=", "${v}", ";"]
    assert [t.root_name for t in expr.variables()] == ["m"]


def test_bare_template() -> None:
    expr, diags = parse_template(b"Hello, ${name}!\n%{ if x }y%{ endif }", "t.tpl")

    assert list(diags) == []
    assert literal_parts(expr) == ["Hello, ", "${name}", "!\n", "ConditionalExpr"]


def test_bare_template_single_interpolation_wraps() -> None:
    expr, diags = parse_template(b"${name}", "t.tpl")

    assert list(diags) == []
    assert isinstance(expr, TemplateWrapExpr)


@pytest.mark.parametrize(
    ("src", "summary"),
    [
        pytest.param(b'"%{ if a }x"', "Unexpected end of template", id="missing-endif"),
        pytest.param(b'"%{ for x in y }x"', "Unexpected end of template", id="missing-endfor"),
        pytest.param(b'"x%{ endif }"', "Unexpected endif directive", id="stray-endif"),
        pytest.param(
            b'"%{ if a }x%{ else }y%{ else }z%{ endif }"', "Unexpected else directive", id="double-else"
        ),
        pytest.param(
            b'"%{ for x in y }x%{ else }%{ endfor }"', "Unexpected else directive", id="else-in-for"
        ),
        pytest.param(b'"%{ iff a }"', "Invalid template control keyword", id="bad-keyword"),
        pytest.param(b'"%{ 1 }"', "Invalid template directive", id="missing-keyword"),
        pytest.param(b'"%{ for in y }%{ endfor }"', "Invalid 'for' directive", id="for-without-name"),
        pytest.param(b'"%{ else x }"', "Extra characters in else marker", id="extra-in-marker"),
        pytest.param(b'"${a:b}"', "Extra characters after interpolation expression", id="colon"),
    ],
)
def test_directive_errors(src: bytes, summary: str) -> None:
    _, diags = parse_expression(src, FILE)

    assert [d.summary for d in diags][:1] == [summary]


def test_bad_keyword_suggests_near_name() -> None:
    _, diags = parse_expression(b'"%{ iff a }"', FILE)

    assert diags[0].detail == '"iff" is not a valid template control keyword. Did you mean "if"?'
    assert diags[0].subject == Range(FILE, Pos(1, 5, 4), Pos(1, 8, 7))


def test_missing_endif_names_the_if() -> None:
    _, diags = parse_expression(b'"%{ if a }x"', FILE)

    assert diags[0].detail == "The if directive at t.hcl:1,2-11 is missing its corresponding endif directive."
