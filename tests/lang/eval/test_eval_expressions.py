"""Table tests of expression evaluation: values, unknowns, marks and diagnostics."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.eval import EvalContext

VALUE_CASES = [
    ("integer", "1", 1),
    ("fraction", "1.5", Decimal("1.5")),
    ("string", '"hello"', "hello"),
    ("true", "true", True),
    ("null", "null", None),
    ("add", "1 + 2", 3),
    ("exact decimal sum", "0.1 + 0.2 == 0.3", True),
    ("divide", "10 / 4", Decimal("2.5")),
    ("modulo", "7 % 3", 1),
    ("negative modulo", "-5 % 3", -2),
    ("precedence", "2 * 3 - 1", 5),
    ("negate", "-(3)", -3),
    ("less than", "1 < 2", True),
    ("greater or equal", "2 >= 2", True),
    ("no conversion for equality", '"1" == 1', False),
    ("not equal", '"a" != "b"', True),
    ("and", "true && false", False),
    ("or", "true || false", True),
    ("not", "!true", False),
    ("number from string operand", '"2" * 3', 6),
    ("conditional true", 'true ? "a" : "b"', "a"),
    ("conditional unifies to string", 'false ? 1 : "2"', "2"),
    ("conditional converts chosen", 'true ? 1 : "x"', "1"),
    ("conditional with null", "true ? null : 1", None),
    ("template", '"a${1 + 1}b"', "a2b"),
    ("template bool", '"is ${true}"', "is true"),
    ("wrapped interpolation keeps type", '"${1 + 1}"', 2),
    ("if directive", '"%{ if true }yes%{ else }no%{ endif }"', "yes"),
    ("else directive", '"%{ if false }yes%{ else }no%{ endif }"', "no"),
    ("for directive", '"%{ for x in [1, 2] }${x},%{ endfor }"', "1,2,"),
    ("strip markers", '"a %{~ if true ~} b %{~ endif ~} c"', "abc"),
    ("tuple index", "[1, 2][1]", 2),
    ("object attribute", "{a = 1}.a", 1),
    ("object index", '{a = 1}["a"]', 1),
    ("quoted object key", '{"a b" = 1}["a b"]', 1),
    ("parenthesised key", "{(var.name) = 1}", {"web": 1}),
    ("variable", "var.name", "web"),
    ("list index", "var.list[1]", "y"),
    ("legacy index", "var.list.0", "x"),
    ("map attribute", "var.map.k", "v"),
    ("map index", 'var.map["k"]', "v"),
    ("string index converts", 'var.list["1"]', "y"),
    ("for tuple", "[for x in [1, 2, 3]: x * 2]", [2, 4, 6]),
    ("for with index", '[for i, x in ["a", "b"]: "${i}${x}"]', ["0a", "1b"]),
    ("for object", "{for k, v in {a = 1, b = 2}: v => k}", {"1": "a", "2": "b"}),
    ("for grouping", '{for x in ["a", "b", "a"]: x => x...}', {"a": ["a", "a"], "b": ["b"]}),
    ("for condition", "[for x in [1, 2, 3, 4]: x if x % 2 == 0]", [2, 4]),
    ("for over set", "[for t in var.tags: upper(t)]", ["P", "Q"]),
    ("for over map", "[for k, v in var.map: k]", ["k"]),
    ("splat list", "var.objs[*].name", ["a", "b"]),
    ("attribute-only splat", "var.objs.*.name", ["a", "b"]),
    ("splat on single value", "var.obj[*].name", ["solo"]),
    ("splat on null", "var.nothing[*]", []),
    ("splat applies later steps to each", "[{a = [1, 2]}, {a = [3]}][*].a[0]", [1, 3]),
    ("attribute-only splat stops at index", "[[1, 2], [3]].*[0]", [1, 2]),
    ("index after splat expression", "(var.objs[*].name)[0]", "a"),
    ("function call", 'upper("a")', "A"),
    ("function converts argument", "upper(1)", "1"),
    ("expanding argument", 'upper(["b"]...)', "B"),
    ("nested template in for", '[for s in ["x"]: "${s}!"]', ["x!"]),
]


@pytest.mark.parametrize(
    ("source", "expected"), [c[1:] for c in VALUE_CASES], ids=[c[0] for c in VALUE_CASES]
)
def test_value(run, ctx: EvalContext, source: str, expected: object) -> None:
    value, diags = run(source, ctx)
    assert [d.summary for d in diags] == []
    assert value.is_wholly_known
    assert value.to_python() == expected


DIAGNOSTIC_CASES = [
    ("unknown variable", "nope", "Unknown variable", 'There is no variable named "nope".', (1, 5)),
    (
        "unknown variable suggestion",
        "vr.name",
        "Unknown variable",
        'There is no variable named "vr". Did you mean "var"?',
        (1, 3),
    ),
    (
        "unsupported attribute",
        "var.missing",
        "Unsupported attribute",
        'This object does not have an attribute named "missing".',
        (4, 12),
    ),
    (
        "missing map element",
        "var.map.nope",
        "Missing map element",
        'This map does not have an element with the key "nope".',
        (8, 13),
    ),
    (
        "attribute of list of objects",
        "var.objs.name",
        "Unsupported attribute",
        'Did you mean to access attribute "name" for a specific element',
        (9, 14),
    ),
    (
        "attribute of primitive",
        "var.name.x",
        "Unsupported attribute",
        "Can't access attributes on a primitive-typed value (string).",
        (9, 11),
    ),
    ("index out of range", "var.list[5]", "Invalid index", "greater than or equal to the length", (9, 12)),
    ("negative index", "var.list[-1]", "Invalid index", "a negative number is not a valid index", (9, 13)),
    (
        "index into set",
        "var.tags[0]",
        "Invalid index",
        "Elements of a set are identified only by their value",
        (9, 12),
    ),
    (
        "index into null",
        "var.nothing.name",
        "Attempt to get attribute from null value",
        "This value is null",
        (12, 17),
    ),
    (
        "unknown function",
        "nosuch(1)",
        "Call to unknown function",
        'There is no function named "nosuch".',
        (1, 7),
    ),
    ("function suggestion", 'uper("a")', "Call to unknown function", 'Did you mean "upper"?', (1, 5)),
    (
        "too many arguments",
        'upper("a", "b")',
        "Too many function arguments",
        'Function "upper" expects only 1 argument(s).',
        (12, 15),
    ),
    ("not enough arguments", "upper()", "Not enough function arguments", 'Missing value for "str".', (7, 8)),
    (
        "invalid argument",
        "upper([])",
        "Invalid function argument",
        'Invalid value for "str" parameter: string required.',
        (7, 9),
    ),
    (
        "invalid operand",
        '1 + "a"',
        "Invalid operand",
        "Unsuitable value for right operand: a number is required.",
        (5, 8),
    ),
    (
        "condition type",
        '"x" ? 1 : 2',
        "Incorrect condition type",
        "The condition expression must be of type bool.",
        (1, 4),
    ),
    ("null condition", "null ? 1 : 2", "Null condition", "The condition value is null.", (1, 5)),
    (
        "inconsistent conditional",
        "true ? [1] : {a = 1}",
        "Inconsistent conditional result types",
        "The 'true' value is tuple, but the 'false' value is object",
        (8, 21),
    ),
    (
        "null interpolation",
        '"a${null}"',
        "Invalid template interpolation value",
        "Cannot include a null value in a string template.",
        (5, 9),
    ),
    (
        "list interpolation",
        '"a${[1]}"',
        "Invalid template interpolation value",
        "Cannot include the given value in a string template: string required.",
        (5, 8),
    ),
    (
        "iteration over null",
        "[for x in null: x]",
        "Iteration over null value",
        "A null value cannot be used as the collection",
        (11, 15),
    ),
    (
        "iteration over string",
        '[for x in "s": x]',
        "Iteration over non-iterable value",
        "A value of type string cannot be used",
        (11, 14),
    ),
    (
        "duplicate for key",
        "{for x in [1, 1]: x => x}",
        "Duplicate object key",
        'produced the key "1"',
        (19, 20),
    ),
    ("null object key", "{(null) = 1}", "Null value as key", "Can't use a null value as a key.", (11, 12)),
    ("ambiguous key", "{a.b = 1}", "Ambiguous attribute key", "wrap it in parentheses", (2, 5)),
    (
        "for condition type",
        '[for x in [1]: x if "no"]',
        "Invalid 'for' condition",
        "The 'if' clause value is invalid: a bool is required.",
        (21, 25),
    ),
    ("divide zero by zero", "0 / 0", "Operation failed", "can't divide zero by zero", (1, 6)),
]


@pytest.mark.parametrize(
    ("source", "summary", "detail", "columns"),
    [c[1:] for c in DIAGNOSTIC_CASES],
    ids=[c[0] for c in DIAGNOSTIC_CASES],
)
def test_diagnostic(
    run, ctx: EvalContext, source: str, summary: str, detail: str, columns: tuple[int, int]
) -> None:
    _value, diags = run(source, ctx)
    errors = list(diags.errors())
    assert [d.summary for d in errors] == [summary]
    assert detail in errors[0].detail
    subject = errors[0].subject
    assert subject is not None
    assert (subject.start.column, subject.end.column) == columns
    assert subject.filename == "test.hcl"


def test_arbitrary_precision(run, ctx: EvalContext) -> None:
    value, diags = run("3.14159265358979323846264338327950288419716939937510582097494459 + 1", ctx)
    assert list(diags) == []
    assert value.as_number() == Decimal("4.14159265358979323846264338327950288419716939937510582097494459")


def test_no_variables_allowed(run) -> None:
    _value, diags = run("var.name", None)
    assert [d.summary for d in diags] == ["Variables not allowed"]


def test_no_functions_allowed(run) -> None:
    _value, diags = run('upper("a")', EvalContext({}))
    assert [d.summary for d in diags] == ["Function calls not allowed"]


UNKNOWN_CASES = [
    ("arithmetic", "var.unknown + 1", T.NUMBER),
    ("template", '"a${var.unknown}"', T.STRING),
    ("conditional on unknown", "var.unknown_bool ? 1 : 2", T.NUMBER),
    ("comparison", "var.unknown > 1", T.BOOL),
    ("function argument", "upper(var.unknown)", T.STRING),
]


@pytest.mark.parametrize(
    ("source", "type_"), [c[1:] for c in UNKNOWN_CASES], ids=[c[0] for c in UNKNOWN_CASES]
)
def test_unknown_flows(run, ctx: EvalContext, source: str, type_: T.Type) -> None:
    value, diags = run(source, ctx)
    assert list(diags) == []
    assert not value.is_known
    assert value.type == type_


def test_known_false_decides_and(run, ctx: EvalContext) -> None:
    value, _diags = run("false && var.unknown_bool", ctx)
    assert value.raw_equals(V.FALSE)


SENSITIVE_CASES = [
    ("direct", "var.secret"),
    ("template", '"pw=${var.secret}"'),
    ("function", "upper(var.secret)"),
    ("comparison", 'var.secret == "x"'),
    ("conditional result", 'true ? var.secret : "b"'),
    ("in for", '[for c in [var.secret]: "${c}!"][0]'),
    ("object key", "{(var.secret) = 1}"),
]


@pytest.mark.parametrize("source", [c[1] for c in SENSITIVE_CASES], ids=[c[0] for c in SENSITIVE_CASES])
def test_sensitive_flows(run, ctx: EvalContext, source: str) -> None:
    value, diags = run(source, ctx)
    assert list(diags) == []
    assert V.SENSITIVE in value.unmark_deep()[1]


def test_for_scope_does_not_leak(run, ctx: EvalContext) -> None:
    value, _diags = run("[for var in [1]: var]", ctx)
    assert value.to_python() == [1]
    value, _diags = run("var.name", ctx)
    assert value.to_python() == "web"


def test_empty_list_splat_keeps_list_type(run, ctx: EvalContext) -> None:
    ctx.variables["empty"] = V.list_val_empty(T.ObjectType({"name": T.STRING}))
    value, diags = run("empty[*].name", ctx)
    assert list(diags) == []
    assert value.type == T.ListType(T.STRING)
    assert value.length_int() == 0


MISMATCH_CASES = [
    (
        "tuple lengths",
        "true ? [1] : [{}, 1]",
        "The 'true' tuple has length 1, but the 'false' tuple has length 2",
    ),
    (
        "missing attribute",
        "true ? {a = 1} : {b = {}}",
        "The 'true' value includes object attribute \"a\", which is absent in the 'false' value",
    ),
    (
        "attribute type",
        "true ? {a = [1]} : {a = {}}",
        "Type mismatch for object attribute \"a\": The 'true' value is tuple, but the 'false' value is object",
    ),
    (
        "tuple element",
        "true ? [[1], 1] : [{}, 1]",
        "Type mismatch for tuple element 0: The 'true' value is tuple, but the 'false' value is object",
    ),
]


@pytest.mark.parametrize(
    ("source", "detail"), [c[1:] for c in MISMATCH_CASES], ids=[c[0] for c in MISMATCH_CASES]
)
def test_conditional_type_mismatch(run, ctx: EvalContext, source: str, detail: str) -> None:
    _value, diags = run(source, ctx)
    assert [d.summary for d in diags] == ["Inconsistent conditional result types"]
    assert diags[0].detail == f"The true and false result expressions must have consistent types. {detail}."


def test_splat_on_unknown_tuple_keeps_element_types(run, ctx: EvalContext) -> None:
    ctx.variables["pending"] = V.unknown_val(T.TupleType([T.ObjectType({"id": T.STRING})]))
    value, diags = run("pending[*].id", ctx)
    assert list(diags) == []
    assert not value.is_known
    assert value.type == T.TupleType([T.STRING])


def test_unchosen_branch_errors_are_dropped(run, ctx: EvalContext) -> None:
    value, diags = run('var.nothing != null ? var.nothing.name : "none"', ctx)
    assert list(diags) == []
    assert value.to_python() == "none"


def test_splat_on_set_gives_list(run, ctx: EvalContext) -> None:
    value, diags = run("var.tags[*]", ctx)
    assert list(diags) == []
    assert value.type == T.ListType(T.STRING)


def test_splat_on_null_list_is_an_error(run, ctx: EvalContext) -> None:
    ctx.variables["none"] = V.null_val(T.ListType(T.STRING))
    _value, diags = run("none[*]", ctx)
    assert [d.summary for d in diags] == ["Splat of null value"]
    assert (diags[0].subject.start.column, diags[0].subject.end.column) == (1, 5)


def test_splat_with_mixed_element_types(run, ctx: EvalContext) -> None:
    # The inner splat gives a one-element tuple for a string and an empty tuple for null.
    element = T.ObjectType({"a": T.STRING})
    ctx.variables["nested"] = V.list_val(
        [V.object_val({"a": V.string_val("x")}), V.object_val({"a": V.null_val(T.STRING)})]
    )
    assert ctx.variables["nested"].type == T.ListType(element)
    _value, diags = run("nested[*].a[*]", ctx)
    assert [d.summary for d in diags] == ["Invalid nested splat expressions"]


def test_template_unknown_keeps_known_prefix(run, ctx: EvalContext) -> None:
    value, diags = run('"ami-${var.unknown}-x"', ctx)
    assert list(diags) == []
    assert not value.is_known
    # cty drops the last character of a known prefix, which might combine with what follows.
    assert value.range().string_prefix() == "ami"
    assert not value.range().could_be_null()


def test_conditional_keeps_marks_of_both_results(run, ctx: EvalContext) -> None:
    value, diags = run('false ? var.secret : "public"', ctx)
    assert list(diags) == []
    assert value.unmark()[0].to_python() == "public"
    assert V.SENSITIVE in value.marks


def test_conditional_unknown_with_null_results(run, ctx: EvalContext) -> None:
    value, diags = run("var.unknown_bool ? null : null", ctx)
    assert list(diags) == []
    assert value.is_null


VALUE_LINE_CASES = [
    ("for key in scope", "{for x in [1, 1]: x => x}", ["with x as 1."]),
    ("operand", "var.count + var.objs[0].name", ['with var.objs[0].name as "a".']),
    ("failed reference omitted", "var.map.nope", []),
    (
        "several values sorted",
        '"${var.list}${var.name}"',
        ["with var.list as list of string with 2 elements."],
    ),
    ("null value", '"a${var.nothing}"', ["with var.nothing set to null."]),
    ("sensitive value hidden", "var.secret + 1", ["with var.secret as (sensitive value)."]),
    ("object", "upper(var.obj)", ['with var.obj as object with 1 attribute "name".']),
]


@pytest.mark.parametrize(
    ("source", "lines"), [c[1:] for c in VALUE_LINE_CASES], ids=[c[0] for c in VALUE_LINE_CASES]
)
def test_expression_value_lines(run, ctx: EvalContext, source: str, lines: list[str]) -> None:
    from kiln.lang.eval import expression_value_lines

    _value, diags = run(source, ctx)
    errors = list(diags.errors())
    assert len(errors) == 1
    assert expression_value_lines(errors[0]) == lines


def test_expression_value_lines_join_with_commas(run, ctx: EvalContext) -> None:
    from kiln.lang.eval import expression_value_lines

    _value, diags = run('{for k, v in {a = "x", b = "x"}: "${v}${k == "" ? "" : ""}" => k}', ctx)
    assert [d.summary for d in diags] == ["Duplicate object key"]
    assert expression_value_lines(diags[0]) == ['with k as "b",', '     v as "x".']


def test_conditional_on_unknown_is_not_null(run, ctx: EvalContext) -> None:
    value, diags = run('var.unknown_bool ? "a" : "b"', ctx)
    assert list(diags) == []
    assert not value.is_known
    assert not value.range().could_be_null()
    value, diags = run('var.unknown_bool ? "a" : null', ctx)
    assert value.range().could_be_null()


def test_rendered_diagnostic_shows_values(run, ctx: EvalContext) -> None:
    from kiln.hcl.diagnostics import render_diagnostic
    from kiln.lang.eval import expression_value_lines

    _value, diags = run("{for x in [1, 1]: x => x}", ctx)
    text = render_diagnostic(
        diags[0], {"test.hcl": b"{for x in [1, 1]: x => x}\n"}, value_lines=expression_value_lines(diags[0])
    )
    lines = text.splitlines()
    assert lines[0] == "Error: Duplicate object key"
    assert lines[5:8] == ["", "with x as 1.", ""]
    assert lines[8].startswith('Two different items produced the key "1"')


def test_template_with_error_keeps_text_before_it(run, ctx: EvalContext) -> None:
    value, diags = run('"a${null}b"', ctx)
    assert [d.summary for d in diags] == ["Invalid template interpolation value"]
    assert value.to_python() == "a"


def test_conditional_on_unknown_keeps_number_bounds(run, ctx: EvalContext) -> None:
    value, diags = run("var.unknown_bool ? 1 : 5", ctx)
    assert list(diags) == []
    lower, upper = value.range().number_lower_bound(), value.range().number_upper_bound()
    assert (lower[0].as_int(), lower[1]) == (1, True)
    assert (upper[0].as_int(), upper[1]) == (5, True)


def test_conditional_on_unknown_keeps_length_bounds(run, ctx: EvalContext) -> None:
    ctx.variables["short"] = V.list_val([V.string_val("z")])
    value, diags = run("var.unknown_bool ? var.list : short", ctx)
    assert list(diags) == []
    assert (value.range().length_lower_bound(), value.range().length_upper_bound()) == (1, 2)


def test_long_operator_chain(run, ctx: EvalContext) -> None:
    # 30,000 terms nest 30,000 levels on the left; evaluation must not recurse per term.
    value, diags = run(" - ".join(["5"] * 30_000), ctx)
    assert list(diags) == []
    assert value.as_number() == Decimal(5 - 5 * 29_999)
