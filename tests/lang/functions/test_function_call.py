"""The call rules every function shares: counts, nulls, unknowns, conversion and marks."""

from __future__ import annotations

import pytest

from kiln.lang.function import (
    ArgumentCountError,
    ArgumentDecode,
    ArgumentError,
    Function,
    FunctionError,
    Parameter,
    describe_call_error,
)
from kiln.lang.functions import packer_functions, variable_default_functions
from kiln.lang.types import DYNAMIC, NUMBER, STRING, ListType
from kiln.lang.values import (
    DYNAMIC_VAL,
    SENSITIVE,
    list_val,
    null_val,
    number_val,
    string_val,
    unknown_val,
)

FUNCTIONS = packer_functions(".")


def test_registry_has_packer_function_count() -> None:
    assert len(FUNCTIONS) == 103
    assert "env" not in FUNCTIONS


def test_variable_defaults_offer_only_env() -> None:
    assert list(variable_default_functions()) == ["env"]


def test_env_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KILN_TEST_VALUE", "x")
    env = variable_default_functions()["env"]
    assert env.call([string_val("KILN_TEST_VALUE")]) == string_val("x")
    monkeypatch.delenv("KILN_TEST_VALUE")
    assert env.call([string_val("KILN_TEST_VALUE")]) == string_val("")


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("upper", [], "wrong number of arguments (1 required; 0 given)"),
        ("upper", [string_val("a"), string_val("b")], "wrong number of arguments (1 required; 2 given)"),
        ("join", [], "wrong number of arguments (at least 1 required; 0 given)"),
    ],
)
def test_call_argument_count(name: str, args: list, message: str) -> None:
    with pytest.raises(ArgumentCountError) as raised:
        FUNCTIONS[name].call(args)
    assert raised.value.message == message


def test_call_null_argument_rejected() -> None:
    with pytest.raises(ArgumentError) as raised:
        FUNCTIONS["upper"].call([null_val(STRING)])
    assert raised.value.index == 0
    assert raised.value.message == "argument must not be null"


def test_call_unknown_argument_gives_unknown() -> None:
    result = FUNCTIONS["upper"].call([unknown_val(STRING)])
    assert not result.is_known
    assert result.type == STRING


def test_call_dynamic_argument_gives_dynamic() -> None:
    result = FUNCTIONS["upper"].call([DYNAMIC_VAL], convert_args=False)
    assert not result.is_known
    assert result.type == DYNAMIC


def test_call_converts_dynamic_argument_first() -> None:
    # HCL converts the argument before the call, so the unknown gets the parameter's type.
    result = FUNCTIONS["upper"].call([DYNAMIC_VAL])
    assert not result.is_known
    assert result.type == STRING


def test_call_converts_to_parameter_type() -> None:
    assert FUNCTIONS["upper"].call([number_val(1)]) == string_val("1")


def test_call_without_conversion_requires_conformance() -> None:
    with pytest.raises(ArgumentError) as raised:
        FUNCTIONS["upper"].call([number_val(1)], convert_args=False)
    assert raised.value.message == "string required"


def test_call_conversion_failure_names_argument() -> None:
    with pytest.raises(ArgumentError) as raised:
        FUNCTIONS["abs"].call([string_val("x")])
    assert raised.value.index == 0
    assert "a number is required" in raised.value.message


def test_call_keeps_marks_on_result() -> None:
    secret = string_val("a").mark(SENSITIVE)
    result = FUNCTIONS["upper"].call([secret])
    assert result.as_str() == "A"
    assert result.marks == frozenset({SENSITIVE})


def test_call_keeps_nested_marks_on_result() -> None:
    items = list_val([string_val("a").mark(SENSITIVE), string_val("b")])
    result = FUNCTIONS["join"].call([string_val(","), items])
    assert result.as_str() == "a,b"
    assert SENSITIVE in result.marks


def test_call_marks_unknown_result() -> None:
    result = FUNCTIONS["upper"].call([unknown_val(STRING).mark(SENSITIVE)])
    assert not result.is_known
    assert result.marks == frozenset({SENSITIVE})


def test_return_type_for_unknown_arguments() -> None:
    assert FUNCTIONS["split"].return_type_for([unknown_val(STRING), unknown_val(STRING)]) == ListType(STRING)


@pytest.mark.parametrize(
    ("name", "lazy"), [("can", True), ("try", True), ("convert", True), ("upper", False)]
)
def test_lazy_functions(name: str, lazy: bool) -> None:
    assert FUNCTIONS[name].lazy is lazy


def test_decode_of_convert_arguments() -> None:
    convert = FUNCTIONS["convert"]
    assert convert.decode_of(0) is ArgumentDecode.VALUE
    assert convert.decode_of(1) is ArgumentDecode.TYPE
    assert FUNCTIONS["try"].decode_of(5) is ArgumentDecode.EXPRESSION


def test_convert_function_with_type_argument() -> None:
    result = FUNCTIONS["convert"].call([number_val(1), STRING])
    assert result == string_val("1")


def test_impl_errors_pass_through() -> None:
    def failing(_args: list, _type: object) -> object:
        raise FunctionError("broken")

    function = Function([Parameter("x", NUMBER)], NUMBER, failing)
    with pytest.raises(FunctionError, match="broken"):
        function.call([number_val(1)])


def test_describe_argument_error() -> None:
    error = ArgumentError(0, "argument must not be null")
    summary, detail = describe_call_error("upper", FUNCTIONS["upper"], error)
    assert summary == "Invalid function argument"
    assert detail == 'Invalid value for "str" parameter: argument must not be null.'


def test_describe_function_error() -> None:
    summary, detail = describe_call_error("sum", FUNCTIONS["sum"], FunctionError("cannot sum noniterable"))
    assert summary == "Error in function call"
    assert detail == 'Call to function "sum" failed: cannot sum noniterable.'


def test_describe_count_errors() -> None:
    missing = describe_call_error("upper", FUNCTIONS["upper"], ArgumentCountError(1, 0, variadic=False))
    assert missing == (
        "Not enough function arguments",
        'Function "upper" expects 1 argument(s). Missing value for "str".',
    )
    extra = describe_call_error("upper", FUNCTIONS["upper"], ArgumentCountError(1, 2, variadic=False))
    assert extra == ("Too many function arguments", 'Function "upper" expects only 1 argument(s).')


@pytest.mark.parametrize(("name", "not_null"), [("upper", True), ("sha256", False), ("jsondecode", False)])
def test_unknown_result_refinement(name: str, not_null: bool) -> None:
    result = FUNCTIONS[name].call([unknown_val(STRING)])
    assert not result.is_known
    assert result.range().definitely_not_null() is not_null


def test_unexpected_exception_becomes_function_error() -> None:
    def broken(_args: list, _type: object) -> object:
        raise KeyError("missing")

    function = Function([Parameter("x", NUMBER)], NUMBER, broken)
    with pytest.raises(FunctionError) as raised:
        function.call([number_val(1)])
    assert raised.value.message == "panic in function implementation: 'missing'"
    assert isinstance(raised.value.__cause__, KeyError)


def test_format_unknown_keeps_literal_prefix() -> None:
    result = FUNCTIONS["format"].call([string_val("ami-%s"), unknown_val(STRING)])
    assert not result.is_known
    # As cty's StringPrefix, the last character is dropped: a later one could combine with it.
    assert result.range().string_prefix() == "ami"
    assert result.range().definitely_not_null()
