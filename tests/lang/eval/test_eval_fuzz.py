"""Generated expressions: evaluation returns a value and diagnostics, never a Python exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiln.hcl.syntax.parser import parse_expression
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.eval import EvalContext, evaluate

# The recursive strategy's repr is large, and hypothesis warns about building it.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

FUNCTION_NAMES = [
    "upper",
    "length",
    "can",
    "try",
    "max",
    "join",
    "tolist",
    "toset",
    "keys",
    "lookup",
    "element",
]


def _context() -> EvalContext:
    from kiln.lang.functions import packer_functions

    functions = packer_functions(Path("."))
    variables = {
        "n": V.number_val(3),
        "f": V.number_val("2.5"),
        "s": V.string_val("text"),
        "b": V.TRUE,
        "nul": V.null_val(T.DYNAMIC),
        "unk": V.DYNAMIC_VAL,
        "unk_list": V.unknown_val(T.ListType(T.STRING)),
        "secret": V.string_val("pw").mark(V.SENSITIVE),
        "list": V.list_val([V.string_val("a"), V.string_val("b")]),
        "set": V.set_val([V.number_val(1), V.number_val(2)]),
        "map": V.map_val({"k": V.number_val(1)}),
        "obj": V.object_val({"a": V.list_val([V.number_val(1)]), "b": V.null_val(T.STRING)}),
        "objs": V.tuple_val([V.object_val({"a": V.number_val(1)}), V.object_val({"a": V.string_val("x")})]),
    }
    return EvalContext(variables, {name: functions[name] for name in FUNCTION_NAMES if name in functions})


CONTEXT = _context()

atoms = st.sampled_from(
    [
        "1",
        "0",
        "-1",
        "2.5",
        '"s"',
        '""',
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "n",
        "f",
        "s",
        "b",
        "nul",
        "unk",
        "unk_list",
        "secret",
        "list",
        "set",
        "map",
        "obj",
        "objs",
        "obj.a",
        "obj.b",
        "map.k",
        "list[0]",
        "objs[*].a",
        "missing",
        "obj.missing",
        '"${s}-${n}"',
        '"%{ if b }y%{ endif }"',
        '"%{ for x in list }${x}%{ endfor }"',
    ]
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(
        children, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]), children
    )
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"!({c})"),
        children.map(lambda c: f"-({c})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(children, max_size=3).map(
            lambda items: "{" + ", ".join(f"k{i} = {c}" for i, c in enumerate(items)) + "}"
        ),
        st.tuples(children, children).map(lambda t: f"({t[0]})[{t[1]}]"),
        children.map(lambda c: f"({c}).a"),
        children.map(lambda c: f"({c})[*].a"),
        st.tuples(children, children).map(lambda t: f"[for x in {t[0]}: {t[1]}]"),
        st.tuples(children, children).map(lambda t: f"{{for k, v in {t[0]}: k => {t[1]}...}}"),
        st.tuples(children, children).map(lambda t: f"[for x in {t[0]}: x if {t[1]}]"),
        st.tuples(children).map(lambda t: f'"a${{{t[0]}}}b"'),
        st.tuples(st.sampled_from(FUNCTION_NAMES), st.lists(children, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(st.sampled_from(FUNCTION_NAMES), children).map(lambda t: f"{t[0]}({t[1]}...)"),
    )


expressions = st.recursive(atoms, _combine, max_leaves=12)


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_evaluation_never_raises(source: str) -> None:
    expr, _parse_diags = parse_expression(source.encode(), "fuzz.hcl")
    value, diags = evaluate(expr, CONTEXT)
    assert isinstance(value, V.Value)
    for diagnostic in diags:
        assert diagnostic.summary
        assert diagnostic.subject is not None, diagnostic.summary
