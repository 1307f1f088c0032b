"""Packer's own function tests, run against kiln's function library.

Each case calls one function the way Packer's Go test does: directly, without the argument
conversion an HCL call expression adds, with the working directory at the fixtures' root.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from tests.lang.functions.typed_values import decode_typed, parse_type

from conformance import cases_of_kind
from kiln.lang.function import FunctionError
from kiln.lang.functions import packer_functions
from kiln.lang.functions.placeholders import write_unknown_placeholders
from kiln.lang.types import NUMBER
from kiln.lang.values import MAX_INT, Value, number_val

# Cases that do not pass yet, with the reason. Each entry is checked strictly: a case that
# starts passing must be removed from here.
KNOWN_FAILURES: dict[str, str] = {}

CASES = cases_of_kind("function")


def _marks(case: dict) -> list[pytest.MarkDecorator]:
    marks = [pytest.mark.conformance]
    reason = KNOWN_FAILURES.get(case["id"])
    if reason:
        marks.append(pytest.mark.xfail(strict=True, reason=reason))
    return marks


def _call(case: dict) -> Value:
    args = [decode_typed(arg) for arg in case["args"]]
    if case["function"] == "internal.unknown_placeholders":
        return write_unknown_placeholders(args[0])
    function = packer_functions(".")[case["function"]]
    return function.call(args, convert_args=False)


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=_marks(c)) for c in CASES])
def test_function_case(case: dict, conformance, monkeypatch: pytest.MonkeyPatch) -> None:
    root = conformance / case["root"]
    for fixture in case["fixtures"]:
        if not (conformance / fixture).exists():
            pytest.skip(f"fixture {fixture} is absent")
    monkeypatch.chdir(root)
    expect = case["expect"]

    if expect.get("error") or "error_equals" in expect:
        with pytest.raises(FunctionError) as raised:
            _call(case)
        if "error_equals" in expect:
            assert raised.value.message == expect["error_equals"]
        return

    result = _call(case)
    if "result" in expect:
        _check_result(result, expect["result"])
    elif expect.get("result_is_unknown"):
        assert not result.is_known
    elif "result_regex" in expect:
        assert re.search(expect["result_regex"], result.as_str())
    elif "result_matches" in expect:
        assert datetime.fromisoformat(result.as_str()).tzinfo is not None
    else:
        raise AssertionError(f"case {case['id']} has no expectation this test understands")


def _check_result(result: Value, expected: dict) -> None:
    assert result.type == parse_type(expected["type"])
    if expected.get("unknown"):
        assert not result.is_known
        _check_refinement(result, expected.get("refine", {}))
        return
    assert result.raw_equals(decode_typed(expected)), f"{result!r} != {decode_typed(expected)!r}"


def _check_refinement(result: Value, refine: dict) -> None:
    value_range = result.range()
    assert value_range.definitely_not_null() is bool(refine.get("not_null"))
    if result.type != NUMBER:
        return
    for key, read in (
        ("number_lower_bound", value_range.number_lower_bound),
        ("number_upper_bound", value_range.number_upper_bound),
    ):
        bound, inclusive = read()
        if key in refine:
            expected_bound, expected_inclusive = refine[key]
            expected_number = MAX_INT if expected_bound == "max-int" else expected_bound
            assert bound == number_val(expected_number), key
            assert inclusive is expected_inclusive, key
        else:
            assert bound.as_number().is_infinite(), key
