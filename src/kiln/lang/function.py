"""Function machinery: parameters, calls and errors, as cty's function package defines them.

A `Function` declares its positional `params`, an optional `var_param` for variadic
arguments, a `return_type(args)` callback and an `impl(args, return_type)` callback. Its
`call` does the checks every function shares, so implementations only see arguments that
fit their parameters:

- the argument count (cty: ``wrong number of arguments (2 required; 1 given)``);
- conversion of each argument to its parameter type, as HCL's call expression does;
- null arguments where the parameter does not allow null (``argument must not be null``);
- unknown arguments where the parameter does not allow unknowns: the result is then an
  unknown value of the return type, without calling `impl`;
- marks: arguments are unmarked deeply (unless the parameter allows marks) and the result
  carries every mark removed.

    >>> upper = Function([Parameter("str", STRING)], return_type=STRING, impl=...)
    >>> upper.call([string_val("a")])

Errors are `FunctionError`, or its subclass `ArgumentError` when one argument is to blame.
`describe_call_error` turns either into the summary and detail of HCL's diagnostic.

Arguments that are not values: some functions (``can``, ``try``, ``convert``) need an
argument before evaluation, as HCL's customdecode extension provides. Such a parameter has
`decode` set to `ArgumentDecode.EXPRESSION` (the caller passes an `ExpressionClosure`
instead of a value) or `ArgumentDecode.TYPE` (the caller passes a `Type` read from a type
expression). `Function.lazy` is true when any parameter needs this, and
`Function.decode_of(index)` returns how to prepare the argument at `index`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from kiln.lang.types import DYNAMIC, Type

if TYPE_CHECKING:
    from kiln.hcl.diagnostics import Diagnostic
    from kiln.lang.values import Value

__all__ = [
    "ArgumentCountError",
    "ArgumentDecode",
    "ArgumentError",
    "ExpressionClosure",
    "Function",
    "FunctionError",
    "Parameter",
    "describe_call_error",
]


class FunctionError(Exception):
    """A function call failed; the message is cty's error text, without a final period."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ArgumentError(FunctionError):
    """A function call failed because of the argument at `index` (0-based, variadic included)."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


class ArgumentCountError(FunctionError):
    """A function was called with too few or too many arguments."""

    def __init__(self, required: int, given: int, *, variadic: bool) -> None:
        at_least = "at least " if variadic else ""
        super().__init__(f"wrong number of arguments ({at_least}{required} required; {given} given)")
        self.required = required
        self.given = given
        self.variadic = variadic


class ArgumentDecode(StrEnum):
    """The way the caller prepares an argument before the call."""

    VALUE = "value"
    """Evaluate the expression and pass its `Value`."""
    EXPRESSION = "expression"
    """Pass an `ExpressionClosure` without evaluating it (``can``, ``try``)."""
    TYPE = "type"
    """Read the expression as a type expression and pass the `Type` (``convert``)."""


class ExpressionClosure(Protocol):
    """An unevaluated argument expression with the scope to evaluate it in.

    The evaluator implements this for parameters whose decode is `ArgumentDecode.EXPRESSION`.
    """

    def value(self) -> tuple[Value, Sequence[Diagnostic]]:
        """Evaluate the expression and return its value with the diagnostics it produced."""
        ...

    def depends_on_unknowns(self) -> bool:
        """Return whether a variable the expression refers to is, or contains, an unknown value."""
        ...


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a function: its name (for messages), type and what it accepts.

    `type` is a type constraint: `DYNAMIC` accepts any type. Unless `allow_dynamic_type` is
    set, an argument whose type is not yet known makes the whole result an unknown value of
    unknown type.
    """

    name: str
    type: Type = DYNAMIC
    allow_null: bool = False
    allow_unknown: bool = False
    allow_dynamic_type: bool = False
    allow_marked: bool = False
    decode: ArgumentDecode = ArgumentDecode.VALUE


ReturnTypeFunc = Callable[[list[Any]], Type]
ImplFunc = Callable[[list[Any], Type], "Value"]
RefineFunc = Callable[["Value"], "Value"]


@dataclass(slots=True)
class Function:
    """A function callable from HCL expressions. See the module docstring for the call rules.

    `return_type` is a `Type` when the result type never varies, otherwise a callback given
    the arguments (possibly unknown) that returns the type or raises `FunctionError`.
    `refine_result`, when set, refines every unknown result (cty's RefineResult), for
    example to promise that it will not be null.
    """

    params: Sequence[Parameter]
    return_type: Type | ReturnTypeFunc
    impl: ImplFunc
    var_param: Parameter | None = None
    refine_result: RefineFunc | None = None
    description: str = field(default="", compare=False)

    @property
    def lazy(self) -> bool:
        """Whether any argument must be passed unevaluated or as a type (see `ArgumentDecode`)."""
        every = [*self.params, *([self.var_param] if self.var_param else [])]
        return any(p.decode is not ArgumentDecode.VALUE for p in every)

    def parameter_at(self, index: int) -> Parameter | None:
        """Return the parameter that receives the argument at `index`, or None past the end."""
        if index < len(self.params):
            return self.params[index]
        return self.var_param

    def decode_of(self, index: int) -> ArgumentDecode:
        parameter = self.parameter_at(index)
        return parameter.decode if parameter is not None else ArgumentDecode.VALUE

    def call(self, args: Sequence[Any], *, convert_args: bool = True) -> Value:
        """Call the function, raising `FunctionError` when the call fails.

        With `convert_args` (the default, as in HCL expressions) each value argument is first
        converted to its parameter type. Without it the types must already conform, as when
        Go code calls a cty function directly.
        """
        args = list(args)
        self._check_count(args)
        if convert_args:
            args = self._convert_arguments(args)
        return_type = self.return_type_for(args)

        unknown_argument = any(
            _is_value(arg) and not arg.is_known and not self._parameter(index).allow_unknown
            for index, arg in enumerate(args)
        )
        marks: set[Any] = set()
        for index, arg in enumerate(args):
            if _is_value(arg) and (unknown_argument or not self._parameter(index).allow_marked):
                args[index], arg_marks = arg.unmark_deep()
                marks.update(arg_marks)

        if unknown_argument:
            result = self._refine(unknown_val(return_type))
        else:
            result = self._run_impl(args, return_type)
        return result.with_marks(marks) if marks else result

    def return_type_for(self, args: Sequence[Any]) -> Type:
        """Return the result type for `args` (which may be unknown), checking them as `call` does.

        An argument of unknown type gives `DYNAMIC` unless its parameter allows dynamic types.
        """
        args = list(args)
        self._check_count(args)
        for index, arg in enumerate(args):
            parameter = self._parameter(index)
            if not _is_value(arg):
                continue
            if arg.marks and not parameter.allow_marked:
                args[index] = arg = arg.unmark_deep()[0]
            if arg.is_null and not parameter.allow_null:
                raise ArgumentError(index, "argument must not be null")
            if arg.type.is_dynamic():
                if not parameter.allow_dynamic_type:
                    return DYNAMIC
            elif not arg.type.test_conformance(parameter.type):
                raise ArgumentError(index, _conformance_message(arg.type, parameter.type))
        if isinstance(self.return_type, Type):
            return self.return_type
        with _errors_as_function_errors():
            return self.return_type(args)

    def _parameter(self, index: int) -> Parameter:
        parameter = self.parameter_at(index)
        assert parameter is not None, "argument count is checked first"
        return parameter

    def _check_count(self, args: list[Any]) -> None:
        required = len(self.params)
        if len(args) < required or (self.var_param is None and len(args) != required):
            raise ArgumentCountError(required, len(args), variadic=self.var_param is not None)

    def _convert_arguments(self, args: list[Any]) -> list[Any]:
        from kiln.lang.convert import ConversionError, convert

        converted = []
        for index, arg in enumerate(args):
            parameter = self._parameter(index)
            if _is_value(arg) and not (parameter.type.is_dynamic() or arg.type == parameter.type):
                try:
                    arg = convert(arg, parameter.type)
                except ConversionError as error:
                    raise ArgumentError(index, str(error)) from None
            converted.append(arg)
        return converted

    def _run_impl(self, args: list[Any], return_type: Type) -> Value:
        with _errors_as_function_errors():
            result = self.impl(args, return_type)
        if not result.is_known:
            result = self._refine(result)
        return result

    def _refine(self, value: Value) -> Value:
        if self.refine_result is None or value.type.is_dynamic():
            return value
        return self.refine_result(value)


@contextmanager
def _errors_as_function_errors() -> Iterator[None]:
    """Turn an unexpected exception in a function into a `FunctionError`, as cty does with panics.

    A bug in one function then becomes a diagnostic on the call instead of a traceback; the
    original exception stays attached as the cause.
    """
    try:
        yield
    except FunctionError:
        raise
    except RecursionError:
        raise FunctionError("value is nested too deeply") from None
    except Exception as error:
        raise FunctionError(f"panic in function implementation: {error}") from error


def _is_value(arg: object) -> bool:
    from kiln.lang.values import Value

    return isinstance(arg, Value)


def unknown_val(value_type: Type) -> Value:
    from kiln.lang.values import unknown_val as make_unknown

    return make_unknown(value_type)


def _conformance_message(given: Type, wanted: Type) -> str:
    """Word a type mismatch as cty's TestConformance error does."""
    if given.is_primitive() or wanted.is_primitive() or type(given) is not type(wanted):
        return f"{wanted.friendly_name_for_constraint()} required"
    return f"incorrect type; {wanted.friendly_name_for_constraint()} required"


def describe_call_error(name: str, function: Function, error: FunctionError) -> tuple[str, str]:
    """Return the summary and detail of the diagnostic HCL reports for a failed call to `name`."""
    if isinstance(error, ArgumentCountError):
        return _describe_count_error(name, function, error)
    if isinstance(error, ArgumentError):
        parameter = function.parameter_at(error.index)
        parameter_name = parameter.name if parameter is not None else f"#{error.index + 1}"
        return (
            "Invalid function argument",
            f'Invalid value for "{parameter_name}" parameter: {error.message}.',
        )
    return "Error in function call", f'Call to function "{name}" failed: {error.message}.'


def _describe_count_error(name: str, function: Function, error: ArgumentCountError) -> tuple[str, str]:
    if error.given < error.required:
        missing = function.params[error.given].name
        return (
            "Not enough function arguments",
            f'Function "{name}" expects {error.required} argument(s). Missing value for "{missing}".',
        )
    return "Too many function arguments", f'Function "{name}" expects only {error.required} argument(s).'
