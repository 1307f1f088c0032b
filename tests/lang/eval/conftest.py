"""Helpers for evaluation tests: parse an expression from text and evaluate it."""

from __future__ import annotations

import pytest

from kiln.hcl.diagnostics import Diagnostics
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.eval import EvalContext, evaluate
from kiln.lang.function import Function, Parameter


def parse(source: str):
    from kiln.hcl.syntax.parser import parse_expression

    expr, diags = parse_expression(source.encode(), "test.hcl")
    assert not diags.has_errors(), [d.summary for d in diags]
    return expr


def _upper(args: list[V.Value], return_type: T.Type) -> V.Value:
    return V.string_val(args[0].as_str().upper())


UPPER = Function([Parameter("str", T.STRING)], return_type=T.STRING, impl=_upper)


def sample_variables() -> dict[str, V.Value]:
    objects = V.list_val(
        [V.object_val({"name": V.string_val("a")}), V.object_val({"name": V.string_val("b")})]
    )
    var = V.object_val(
        {
            "name": V.string_val("web"),
            "count": V.number_val(3),
            "list": V.list_val([V.string_val("x"), V.string_val("y")]),
            "map": V.map_val({"k": V.string_val("v")}),
            "objs": objects,
            "obj": V.object_val({"name": V.string_val("solo")}),
            "nothing": V.null_val(T.ObjectType({"name": T.STRING})),
            "secret": V.string_val("hunter2").mark(V.SENSITIVE),
            "unknown": V.unknown_val(T.NUMBER),
            "unknown_bool": V.unknown_val(T.BOOL),
            "tags": V.set_val([V.string_val("p"), V.string_val("q")]),
        }
    )
    return {"var": var}


@pytest.fixture
def ctx() -> EvalContext:
    return EvalContext(sample_variables(), {"upper": UPPER})


def evaluate_source(source: str, ctx: EvalContext | None) -> tuple[V.Value, Diagnostics]:
    return evaluate(parse(source), ctx)


@pytest.fixture
def run():
    """Return a function that parses an expression and evaluates it in a given context."""
    return evaluate_source
