"""`can`, `try` and `convert`: functions that take an argument before it is evaluated.

These follow hcl's ext/tryfunc and ext/typeexpr. Their parameters are marked with
`ArgumentDecode`, so the evaluator passes an `ExpressionClosure` (``can``, ``try``) or a
`Type` read from a type expression (the second argument of ``convert``).
"""

from __future__ import annotations

from collections.abc import Sequence

from kiln.hcl.diagnostics import Diagnostic, Range
from kiln.lang.function import ArgumentDecode, ExpressionClosure
from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make
from kiln.lang.functions._convert import ConversionError, convert
from kiln.lang.types import BOOL, DYNAMIC, Type
from kiln.lang.values import DYNAMIC_VAL, FALSE, TRUE, Value, unknown_val


def hcl_range_text(subject: Range) -> str:
    """Write a range as hcl's Range.String: ``file:line,col-col`` on one line, else both ends."""
    start, end = subject.start, subject.end
    if start.line == end.line:
        return f"{subject.filename}:{start.line},{start.column}-{end.column}"
    return f"{subject.filename}:{start.line},{start.column}-{end.line},{end.column}"


def describe_diagnostic(diagnostic: Diagnostic) -> str:
    """Write a diagnostic as hcl's Diagnostic.Error: ``subject: summary; detail``."""
    if diagnostic.subject is not None:
        return f"{hcl_range_text(diagnostic.subject)}: {diagnostic.summary}; {diagnostic.detail}"
    return f"{diagnostic.summary}; {diagnostic.detail}"


def describe_diagnostics(diagnostics: Sequence[Diagnostic]) -> str:
    """Write diagnostics as hcl's Diagnostics.Error: the first, then how many others."""
    errors = [d for d in diagnostics if d.is_error] or list(diagnostics)
    text = describe_diagnostic(errors[0])
    if len(errors) > 1:
        text += f", and {len(errors) - 1} other diagnostic(s)"
    return text


def _try(args: list[ExpressionClosure], _: Type) -> Value:
    if not args:
        raise FunctionError("at least one argument is required")
    collected: list[Diagnostic] = []
    for closure in args:
        if closure.depends_on_unknowns():
            return DYNAMIC_VAL
        value, diagnostics = closure.value()
        collected.extend(diagnostics)
        if any(d.is_error for d in diagnostics):
            continue
        return value
    lines = ["no expression succeeded:\n"]
    for diagnostic in collected:
        if diagnostic.subject is not None:
            where = hcl_range_text(diagnostic.subject)
            lines.append(f"- {diagnostic.summary} (at {where})\n  {diagnostic.detail}\n")
        else:
            lines.append(f"- {diagnostic.summary}\n  {diagnostic.detail}\n")
    lines.append("\nAt least one expression must produce a successful result")
    raise FunctionError("".join(lines))


def _can(args: list[ExpressionClosure], _: Type) -> Value:
    closure = args[0]
    if closure.depends_on_unknowns():
        return unknown_val(BOOL)
    _, diagnostics = closure.value()
    return FALSE if any(d.is_error for d in diagnostics) else TRUE


def _convert_type(args: list[object]) -> Type:
    value, wanted = args
    assert isinstance(value, Value) and isinstance(wanted, Type)
    try:
        return convert(value, wanted).type
    except ConversionError as error:
        raise ArgumentError(0, str(error)) from None


def _convert(args: list[object], return_type: Type) -> Value:
    value = args[0]
    assert isinstance(value, Value)
    try:
        return convert(value, return_type)
    except ConversionError as error:
        raise ArgumentError(0, str(error)) from None


def conversion_functions() -> dict[str, Function]:
    expression = ArgumentDecode.EXPRESSION
    return {
        "can": make([Parameter("expression", decode=expression)], BOOL, _can),
        # The result type of try is the type of whichever expression succeeds.
        "try": make([], DYNAMIC, _try, var_param=Parameter("expressions", decode=expression)),
        "convert": make(
            [
                Parameter("value", DYNAMIC, allow_null=True, allow_dynamic_type=True),
                Parameter("type", decode=ArgumentDecode.TYPE),
            ],
            _convert_type,
            _convert,
        ),
    }
