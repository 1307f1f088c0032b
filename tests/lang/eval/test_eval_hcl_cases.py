"""Expression behaviours that hcl's own hclsyntax tests pin down: the value and the diagnostic count.

Each case gives an expression, the variables in scope, the expected result (a plain Python value,
or `Unknown(type)` for an unknown result) and how many diagnostics parsing and evaluation
produce together.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kiln.hcl.syntax.parser import parse_expression
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.eval import EvalContext, evaluate
from kiln.lang.function import Function, Parameter


@dataclass(frozen=True)
class Unknown:
    type: T.Type


UPPER = Function(
    [Parameter("str", T.STRING)],
    return_type=T.STRING,
    impl=lambda args, return_type: V.string_val(args[0].as_str().upper()),
)
OBJECT_NAME = T.ObjectType({"name": T.STRING})

CASES = [
    ("parenthesised sum", "(2+3)", {}, 5, 0),
    ("precedence", "2*5+1", {}, 11, 0),
    ("unknown operand", "(2+unk)", {"unk": V.unknown_val(T.NUMBER)}, Unknown(T.NUMBER), 0),
    ("dynamic operand", "(2+unk)", {"unk": V.DYNAMIC_VAL}, Unknown(T.NUMBER), 0),
    ("both operands dynamic", "(unk+unk)", {"unk": V.DYNAMIC_VAL}, Unknown(T.NUMBER), 0),
    ("bool operand", "(2+true)", {}, Unknown(T.NUMBER), 1),
    ("two bool operands", "(false+true)", {}, Unknown(T.NUMBER), 2),
    ("number equals bool", "(1 == true)", {}, False, 0),
    ("string not equal bool", '(true != "true")', {}, True, 0),
    ("unbalanced parenthesis", "(1", {}, 1, 1),
    ("extra tokens", "true true", {}, True, 1),
    ("escaped interpolation", '"hello $${escaped}"', {}, "hello ${escaped}", 0),
    ("lone dollar", '"$"', {}, "$", 0),
    ("nested template", '"silly ${"${"nesting"}"}"', {}, "silly nesting", 0),
    ("interpolated number", '"hello ${12.5}"', {}, "hello 12.5", 0),
    ("expanded empty list", 'upper("foo", []...)', {}, "FOO", 0),
    ("expanded too many", 'upper(["foo", "bar"]...)', {}, Unknown(T.DYNAMIC), 1),
    ("colon object", '{hello: "world"}', {}, {"hello": "world"}, 0),
    ("keyword keys", '{true: "yes", null: "no"}', {}, {"true": "yes", "null": "no"}, 0),
    ("number key", '{15: "yes"}', {}, {"15": "yes"}, 0),
    ("tuple key", '{[]: "yes"}', {}, Unknown(T.DYNAMIC), 1),
    ("dotted key", '{foo.bar = "x"}', {}, Unknown(T.DYNAMIC), 1),
    ("template key", '{"${v}" = "world"}', {"v": V.string_val("hello")}, {"hello": "world"}, 0),
    ("for with index key", '{for k, v in ["world"]: k => v if k == 0}', {}, {"0": "world"}, 0),
    ("for key wrong type", '{for k, v in {hello: "world"}: [] => v}', {}, Unknown(T.DYNAMIC), 1),
    (
        "for grouping filtered",
        '{for i, v in ["a", "b", "c", "b"]: v => i... if i <= 2}',
        {},
        {"a": [0], "b": [1], "c": [2]},
        0,
    ),
    ("for duplicate key", '{for i, v in ["a", "b", "b"]: v => i}', {}, {"a": 0, "b": 1}, 1),
    (
        "for over unknown list",
        "[for v in unk: v]",
        {"unk": V.unknown_val(T.ListType(T.STRING))},
        Unknown(T.DYNAMIC),
        0,
    ),
    ("for over unknown string", "[for v in unk: v]", {"unk": V.unknown_val(T.STRING)}, Unknown(T.DYNAMIC), 1),
    (
        "for with unknown condition",
        '[for v in ["a"]: v if b]',
        {"b": V.unknown_val(T.BOOL)},
        Unknown(T.DYNAMIC),
        0,
    ),
    ("for with null condition", '[for v in ["a"]: v if b]', {"b": V.null_val(T.BOOL)}, Unknown(T.DYNAMIC), 1),
    ("for with dynamic condition", '[for v in ["a"]: v if b]', {"b": V.DYNAMIC_VAL}, Unknown(T.DYNAMIC), 0),
    (
        "for with list condition",
        '[for v in ["a"]: v if b]',
        {"b": V.unknown_val(T.ListType(T.NUMBER))},
        Unknown(T.DYNAMIC),
        1,
    ),
    ("for with number condition", '[for i, v in ["a", "b"]: v if i + i]', {}, Unknown(T.DYNAMIC), 1),
    ("attribute splat", '[{name: "Steve"}, {name: "Ermintrude"}].*.name', {}, ["Steve", "Ermintrude"], 0),
    ("splat single object", '{name: "Steve"}[*].name', {}, ["Steve"], 0),
    ("splat of dynamic", "dyn.*.name", {"dyn": V.DYNAMIC_VAL}, Unknown(T.DYNAMIC), 0),
    (
        "splat of unknown list",
        "u.*.name",
        {"u": V.unknown_val(T.ListType(OBJECT_NAME))},
        Unknown(T.ListType(T.STRING)),
        0,
    ),
    ("splat of null object", "n.*.name", {"n": V.null_val(OBJECT_NAME)}, [], 0),
    ("splat of null list", "n.*.name", {"n": V.null_val(T.ListType(OBJECT_NAME))}, Unknown(T.DYNAMIC), 1),
    ("splat legacy index", '[["hello"], ["world", "unused"]].*.0', {}, ["hello", "world"], 0),
    ("attribute splat then index", '[{name: "Steve"}, {name: "E"}].*.name[0]', {}, "Steve", 0),
    ("full splat then index", '[{names: ["Steve"]}, {names: ["E"]}][*].names[0]', {}, ["Steve", "E"], 0),
    ("nested full splats", '[[{name: "Steve"}], [{name: "E"}]][*][*].name', {}, [["Steve"], ["E"]], 0),
    ("legacy index", '["hello"].0', {}, "hello", 0),
    ("chained legacy index", '[["hello"]].0.0', {}, Unknown(T.DYNAMIC), 1),
    ("empty tuple index", "[][0]", {}, Unknown(T.DYNAMIC), 1),
    ("string key into tuple", '["hello"]["0"]', {}, "hello", 0),
    ("bool key into object", "foo[true]", {"foo": V.object_val({"true": V.string_val("hello")})}, "hello", 0),
    ("attribute of tuple", '["boop"].foo[index]', {"index": V.number_val(0)}, Unknown(T.DYNAMIC), 1),
    ("variables not allowed", "bar", None, Unknown(T.DYNAMIC), 1),
    ("unknown string index", 'unk["baz"]', {"unk": V.unknown_val(T.STRING)}, Unknown(T.DYNAMIC), 1),
    ("unknown map index", 'unk["boop"]', {"unk": V.unknown_val(T.MapType(T.STRING))}, Unknown(T.STRING), 0),
    ("null string equals", 'nullstr == "foo"', {"nullstr": V.null_val(T.STRING)}, False, 0),
    ("nulls of two types equal", "a == b", {"a": V.null_val(T.STRING), "b": V.null_val(T.NUMBER)}, True, 0),
    ("empty string is not null", '"" == n', {"n": V.null_val(T.DYNAMIC)}, False, 0),
    ("true branch with null", 'true ? ["a", "b"] : null', {}, ["a", "b"], 0),
    ("null converts to other branch", 'true ? null : ["a", "b"]', {}, None, 0),
    ("both null", "false ? null : null", {}, None, 0),
    ("dynamic branch not chosen", 'false ? v : {a = "b"}', {"v": V.DYNAMIC_VAL}, {"a": "b"}, 0),
    ("dynamic branch chosen", 'false ? ["a", "b"] : v', {"v": V.DYNAMIC_VAL}, Unknown(T.DYNAMIC), 0),
    (
        "heredoc with directive",
        "<<EOT\nFoo\n%{for x in bars}${x}%{endfor}\nBaz\nEOT\n",
        {"bars": V.list_val([V.string_val("B")] * 2)},
        "Foo\nBB\nBaz\n",
        0,
    ),
    ("flush heredoc", "[\n  <<-EOT\n    Foo\n  Bar\n    Baz\n  EOT\n]\n", {}, ["  Foo\nBar\n  Baz\n"], 0),
]


@pytest.mark.parametrize(
    ("source", "variables", "expected", "diag_count"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hcl_case(source: str, variables: dict | None, expected: object, diag_count: int) -> None:
    expr, parse_diags = parse_expression(source.encode(), "case.hcl")
    ctx = EvalContext(variables, {"upper": UPPER}) if variables is not None else EvalContext(None, None)
    value, diags = evaluate(expr, ctx)
    summaries = [d.summary for d in [*parse_diags, *diags]]
    assert len(summaries) == diag_count, summaries
    if isinstance(expected, Unknown):
        assert not value.is_known
        assert value.type == expected.type
    else:
        assert value.is_wholly_known
        assert value.to_python() == expected


TEMPLATE_CASES = [
    ("bare number", "1", {}, "1", 0),
    ("parentheses are text", "(1)", {}, "(1)", 0),
    ("no escapes in bare templates", "hello\\nworld", {}, "hello\\nworld", 0),
    ("percent before interpolation", 'hello %${"world"}', {}, "hello %world", 0),
    ("lone interpolation keeps type", "${true}", {}, True, 0),
    ("trim before", 'trim ${~ "trim"}', {}, "trimtrim", 0),
    ("trim after", '${"trim" ~} trim', {}, "trimtrim", 0),
    ("trim across newlines", 'trim\n${~"trim"~}\ntrim', {}, "trimtrimtrim", 0),
    ("trim keeps interpolation neighbours", '${"hello "}${~"trim"~}${" hello"}', {}, "hello trim hello", 0),
    ("trimmed if", "%{ if true ~} hello %{~ endif }", {}, "hello", 0),
    ("trimmed else", "%{ if false ~} hello %{~ else ~} goodbye %{~ endif }", {}, "goodbye", 0),
    ("nested if", "%{ if true ~} %{~ if false ~} a %{~ else ~} b %{~ endif ~} %{~ endif }", {}, "b", 0),
    ("bad keyword", "%{ of true ~} hello %{~ endif}", {}, Unknown(T.STRING), 2),
    ("for spaces kept", '%{ for v in ["a", "b"] } ${v} %{ endfor }', {}, " a  b ", 0),
    ("for over empty", "%{ for v in [] }${v}%{ endfor }", {}, "", 0),
    ("for over object", '%{ for k, v in {"A" = "a", "B" = "b"} }${k}${v}%{ endfor }', {}, "AaBb", 0),
    ("escaped directive", "hello %%{ if true }world%%{ endif }", {}, "hello %{ if true }world%{ endif }", 0),
    ("dollar before directive", "hello $%{ if true }world%{ endif }", {}, "hello $world", 0),
    ("stray endif", "%{ endif }", {}, Unknown(T.STRING), 1),
    ("stray endfor", "%{ endfor }", {}, Unknown(T.STRING), 1),
]


@pytest.mark.parametrize(
    ("source", "variables", "expected", "diag_count"),
    [c[1:] for c in TEMPLATE_CASES],
    ids=[c[0] for c in TEMPLATE_CASES],
)
def test_hcl_template_case(source: str, variables: dict, expected: object, diag_count: int) -> None:
    from kiln.hcl.syntax.parser import parse_template

    expr, parse_diags = parse_template(source.encode(), "case.tpl")
    value, diags = evaluate(expr, EvalContext(variables, {}))
    summaries = [d.summary for d in [*parse_diags, *diags]]
    assert len(summaries) == diag_count, summaries
    if isinstance(expected, Unknown):
        assert not value.is_known
        assert value.type == expected.type
    else:
        assert value.to_python() == expected


MARK_CASES = [
    ("interpolated marks", "${greeting} ${target}", {"greeting", "sensitive"}),
    ("marks through traversal", 'Auth "${secrets.passphrase}"', {"sensitive"}),
    ("marked collection in for", "%{ for s in items }${s}%{ endfor }", {"sensitive", "x"}),
]


@pytest.mark.parametrize(("source", "marks"), [c[1:] for c in MARK_CASES], ids=[c[0] for c in MARK_CASES])
def test_hcl_template_marks(source: str, marks: set[str]) -> None:
    from kiln.hcl.syntax.parser import parse_template

    variables = {
        "greeting": V.string_val("hello").mark("greeting"),
        "target": V.string_val("world").mark("sensitive"),
        "secrets": V.map_val({"passphrase": V.string_val("pw").mark("sensitive")}).mark("sensitive"),
        "items": V.list_val([V.string_val("a"), V.string_val("b").mark("x")]).mark("sensitive"),
    }
    expr, parse_diags = parse_template(source.encode(), "case.tpl")
    value, diags = evaluate(expr, EvalContext(variables, {}))
    assert [*parse_diags, *diags] == []
    assert set(value.marks) == marks
