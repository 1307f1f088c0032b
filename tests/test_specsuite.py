"""HCL's own spec suite, run against kiln's parser, evaluator and hcldec-style decoder.

Each case has an input (`.hcl`, sometimes also `.hcl.json`), a spec in the `.hcldec` language
and a test file (`.t`). The test file gives the expected `result` and `result_type`, or the
expected `diagnostics` by severity and exact source range (the wording is free), and
optionally the expected variable references (`traversals`). As hcl's `hcldec` command does,
an input with syntax errors is not decoded: its parse diagnostics are the result.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cases_of_kind

from kiln.hcl.diagnostics import Diagnostics
from kiln.hcl.syntax.parser import parse_config
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.decode import decode, read_spec, spec_variables
from kiln.lang.eval import EvalContext, evaluate
from kiln.lang.typeexpr import type_constraint

pytestmark = pytest.mark.conformance


def _numbers_round_in_binary() -> bool:
    """Return whether kiln's numbers round as cty's 512-bit binary floats do (11 % 5.1 is not 0.8)."""
    return not V.modulo(V.number_val(11), V.number_val("5.1")).raw_equals(V.number_val("0.8"))


# Cases that do not pass yet, with the condition under which they fail and the reason; each
# must then fail (strict xfail).
KNOWN_FAILURES = {
    "spec.expressions.operators": (
        not _numbers_round_in_binary(),
        "cty computes 11 % 5.1 in 512-bit binary floating point (0.8000...024); decimal numbers give 0.8",
    ),
}


def _case_params() -> list:
    params = []
    for case in cases_of_kind("specsuite"):
        for input_name in case["inputs"]:
            marks = []
            if case["id"] in KNOWN_FAILURES:
                condition, reason = KNOWN_FAILURES[case["id"]]
                marks.append(pytest.mark.xfail(condition, strict=True, reason=reason))
            params.append(pytest.param(case, input_name, id=f"{case['id']}[{input_name}]", marks=marks))
    return params


def _parse(path: Path):
    source = path.read_bytes()
    if path.name.endswith(".json"):
        from kiln.hcl.json import parse_json

        return parse_json(source, str(path))
    return parse_config(source, str(path))


def _attributes_and_blocks(path: Path):
    file, diags = parse_config(path.read_bytes(), str(path))
    assert not diags.has_errors(), [d.summary for d in diags]
    return file.body


def _expected_diagnostics(test_body) -> list[tuple[str, tuple[int, int, int], tuple[int, int, int]]] | None:
    blocks = [block for block in test_body.blocks if block.type == "diagnostics"]
    if not blocks:
        return None
    expected = []
    for item in blocks[0].body.blocks:
        ends = {}
        for end in item.body.blocks:
            numbers = {name: _static(attr.expr).as_int() for name, attr in end.body.attributes.items()}
            ends[end.type] = (numbers["line"], numbers["column"], numbers["byte"])
        expected.append((item.type, ends["from"], ends["to"]))
    return expected


def _actual_diagnostics(diags: Diagnostics) -> list[tuple[str, tuple[int, int, int], tuple[int, int, int]]]:
    actual = []
    for diag in diags:
        subject = diag.subject
        assert subject is not None, f"diagnostic without a range: {diag.summary}"
        start, end = subject.start, subject.end
        actual.append(
            (str(diag.severity), (start.line, start.column, start.byte), (end.line, end.column, end.byte))
        )
    return actual


def _static(expr) -> V.Value:
    value, diags = evaluate(expr, None)
    assert not diags.has_errors(), [d.summary for d in diags]
    return value


def _run_case(folder: Path, case: dict, input_name: str) -> tuple[V.Value | None, Diagnostics, list]:
    spec_file, spec_diags = read_spec(_attributes_and_blocks(folder / case["spec"]))
    assert not spec_diags.has_errors(), [d.summary for d in spec_diags]

    file, diags = _parse(folder / input_name)
    if diags.has_errors():
        return None, diags, []
    value, decode_diags = decode(file.body, spec_file.spec, EvalContext(dict(spec_file.variables), {}))
    diags.extend(decode_diags)
    return value, diags, spec_variables(file.body, spec_file.spec)


def _first_difference(actual: V.Value, expected: V.Value, path: str) -> str:
    """Describe the first leaf where two values of one type differ, for a readable failure."""
    if actual.type.is_object() or actual.type.is_map():
        expected_items = dict(expected.items())
        for name, element in actual.items():
            if name in expected_items and not element.raw_equals(expected_items[name]):
                return _first_difference(element, expected_items[name], f"{path}.{name}")
    elif actual.type.is_list() or actual.type.is_tuple():
        for position, (element, other) in enumerate(zip(actual.elements(), expected.elements())):
            if not element.raw_equals(other):
                return _first_difference(element, other, f"{path}[{position}]")
    return f"{path}: {actual!r} != {expected!r}"


@pytest.mark.parametrize(("case", "input_name"), _case_params())
def test_specsuite(conformance: Path, case: dict, input_name: str) -> None:
    folder = conformance / case["root"]
    for fixture in case["fixtures"]:
        if not (conformance / fixture).exists():
            pytest.skip(f"fixture {fixture} is absent")
    test_body = _attributes_and_blocks(folder / case["test_file"])

    value, diags, traversals = _run_case(folder, case, input_name)

    expected_diags = _expected_diagnostics(test_body)
    if expected_diags is not None:
        assert _actual_diagnostics(diags) == expected_diags
        return
    assert [(d.severity, d.summary, d.detail) for d in diags] == []

    if "result_type" in test_body.attributes:
        expected_type, type_diags = type_constraint(test_body.attributes["result_type"].expr)
        assert not type_diags.has_errors()
        assert value.type == expected_type, (
            f"{value.type.type_expression()} != {expected_type.type_expression()}"
        )
    if "result" in test_body.attributes:
        expected = _static(test_body.attributes["result"].expr)
        try:
            expected = convert(expected, value.type)
        except ConversionError as exc:
            pytest.fail(f"expected result does not fit the result type {value.type.type_expression()}: {exc}")
        assert value.raw_equals(expected), _first_difference(value, expected, "result")
    if any(block.type == "traversals" for block in test_body.blocks):
        expected_refs = next(b for b in test_body.blocks if b.type == "traversals").body.blocks
        assert len(traversals) == len(expected_refs)
