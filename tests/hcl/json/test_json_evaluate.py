"""JSON expressions evaluated by kiln.lang's evaluator, through their native equivalents."""

from __future__ import annotations

from decimal import Decimal

from kiln.hcl.json import parse_json, parse_json_variables
from kiln.hcl.schema import Attribute
from kiln.lang import values as V
from kiln.lang.eval import EvalContext, evaluate

CONTEXT = EvalContext({"var": V.object_val({"n": V.number_val(5)})})


def attributes(src: str) -> dict[str, Attribute]:
    file, diagnostics = parse_json(src.encode(), "t.pkr.json")
    assert list(diagnostics) == []
    found, more = file.body.just_attributes()
    assert list(more) == []
    return found


def test_template_strings_evaluate() -> None:
    found = attributes('{"a": "${1 + 2}-x", "b": "${var.n}", "c": "plain"}')

    a, a_diagnostics = evaluate(found["a"].expr, CONTEXT)
    b, _ = evaluate(found["b"].expr, CONTEXT)
    c, _ = evaluate(found["c"].expr, None)

    assert list(a_diagnostics) == []
    assert a == V.string_val("3-x")
    # A string that is only one interpolation keeps the value's own type, as in HCL.
    assert b == V.number_val(Decimal(5))
    assert c == V.string_val("plain")


def test_structures_evaluate() -> None:
    found = attributes('{"list": [1, true, null], "map": {"${var.n}": "v", "k": "${var.n}"}}')

    value, diagnostics = evaluate(found["list"].expr, CONTEXT)
    mapping, map_diagnostics = evaluate(found["map"].expr, CONTEXT)

    assert list(diagnostics) == []
    assert value.to_python() == [Decimal(1), True, None]
    assert list(map_diagnostics) == []
    assert mapping.get_attr("5") == V.string_val("v")
    assert mapping.get_attr("k") == V.number_val(Decimal(5))


def test_reference_without_context_fails() -> None:
    found = attributes('{"a": "${var.n}"}')

    _, diagnostics = evaluate(found["a"].expr, None)

    assert [d.summary for d in diagnostics] == ["Variables not allowed"]
    assert str(diagnostics[0].subject) == "t.pkr.json:1,10-1,13"


def test_variable_file_strings_literal() -> None:
    found, diagnostics = parse_json_variables(b'{"x": "${upper(\\"a\\")}", "y": 1.5}', "v.pkrvars.json")

    x, x_diagnostics = evaluate(found["x"].expr, EvalContext())
    y, _ = evaluate(found["y"].expr, EvalContext())

    assert list(diagnostics) == []
    assert list(x_diagnostics) == []
    assert x == V.string_val('${upper("a")}')
    assert y == V.number_val(Decimal("1.5"))


def test_type_constraint_from_string() -> None:
    from kiln.lang import types as T
    from kiln.lang.typeexpr import type_constraint

    found = attributes('{"a": "string", "b": "list(string)", "c": "map(number)"}')

    assert type_constraint(found["a"].expr) == (T.STRING, [])
    assert type_constraint(found["b"].expr)[0] == T.ListType(T.STRING)
    assert type_constraint(found["c"].expr)[0] == T.MapType(T.NUMBER)


def test_type_constraint_rejects_non_string() -> None:
    from kiln.lang.typeexpr import type_constraint

    found = attributes('{"a": 1, "b": "nonsense("}')

    assert [d.summary for d in type_constraint(found["a"].expr)[1]] == ["Invalid type specification"]
    assert type_constraint(found["b"].expr)[1].has_errors()


def test_reference_from_string() -> None:
    from kiln.lang.eval import abs_traversal_for_expr, expr_as_keyword

    found = attributes('{"ref": "var.a[0]", "word": "item", "num": 1}')

    traversal, diagnostics = abs_traversal_for_expr(found["ref"].expr)
    assert list(diagnostics) == []
    assert traversal.root_name == "var"
    assert len(traversal) == 3
    assert expr_as_keyword(found["word"].expr) == "item"
    assert [d.summary for d in abs_traversal_for_expr(found["num"].expr)[1]] == ["Invalid expression"]


def test_invalid_template_reported() -> None:
    found = attributes('{"a": "${1 +}", "b": {"k": "${"}}')

    value, diagnostics = evaluate(found["a"].expr, CONTEXT)
    _, nested_diagnostics = evaluate(found["b"].expr, CONTEXT)

    assert not value.is_known
    assert [d.summary for d in diagnostics] == ["Invalid expression"]
    assert str(diagnostics[0].subject) == "t.pkr.json:1,13-1,14"
    assert nested_diagnostics.has_errors()
