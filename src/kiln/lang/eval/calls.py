"""Function call expressions: lookup with did-you-mean, `...` expansion, argument checks.

Arguments of parameters declared `ArgumentDecode.EXPRESSION` (`can`, `try`) reach the function
unevaluated, as an `ExpressionClosure`. Arguments of parameters declared `ArgumentDecode.TYPE`
(`convert`) reach it as the `Type` that their type expression denotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Range, error, suggest_name
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.eval.context import EvalContext, ExpressionContext
from kiln.lang.eval.expressions import Result, evaluate, evaluator
from kiln.lang.eval.traversals import unmark, with_marks
from kiln.lang.function import ArgumentDecode, ArgumentError, Function, FunctionError


@dataclass(frozen=True, slots=True)
class _ValueExpr:
    """An already evaluated argument, standing in for one element of an expanded `...` argument."""

    value: V.Value
    range: Range

    def variables(self) -> list[Any]:
        return []

    def start_range(self) -> Range:
        return self.range


@dataclass(slots=True)
class _Closure:
    """An argument expression with its scope, for functions that evaluate arguments themselves."""

    expr: Any
    ctx: EvalContext | None

    def value(self) -> tuple[V.Value, Sequence[Diagnostic]]:
        return evaluate_argument(self.expr, self.ctx)

    def depends_on_unknowns(self) -> bool:
        for traversal in self.expr.variables():
            value, diags = _traverse(traversal, self.ctx)
            if not diags.has_errors() and not value.is_wholly_known:
                return True
        return False


def _traverse(traversal: Any, ctx: EvalContext | None) -> Result:
    from kiln.lang.eval.traversals import traverse_abs

    return traverse_abs(traversal, ctx)


def evaluate_argument(expr: Any, ctx: EvalContext | None) -> Result:
    if isinstance(expr, _ValueExpr):
        return expr.value, Diagnostics()
    return evaluate(expr, ctx)


def start_range(expr: Any) -> Range:
    method = getattr(expr, "start_range", None)
    return method() if method is not None else expr.range


@evaluator("FunctionCallExpr")
def _function_call(expr: Any, ctx: EvalContext | None) -> Result:
    function, diags = _lookup(expr, ctx)
    if function is None:
        return V.DYNAMIC_VAL, diags

    args: list[Any] = list(expr.args)
    if expr.expand_final and args:
        expanded, expand_diags = _expand_final(args[-1], ctx)
        diags.extend(expand_diags)
        if expanded is None:
            return V.DYNAMIC_VAL, diags
        args = args[:-1] + expanded

    count_diags = _check_count(expr, function, args)
    if count_diags:
        diags.extend(count_diags)
        return V.DYNAMIC_VAL, diags

    values, arg_diags = _prepare_arguments(expr, function, args, ctx)
    diags.extend(arg_diags)
    if diags.has_errors():
        return V.DYNAMIC_VAL, diags

    try:
        return function.call(values), diags
    except FunctionError as exc:
        diags.append(_call_error(expr, function, args, exc, ctx))
        return V.DYNAMIC_VAL, diags


def _lookup(expr: Any, ctx: EvalContext | None) -> tuple[Function | None, Diagnostics]:
    diags = Diagnostics()
    function = ctx.lookup_function(expr.name) if ctx is not None else None
    if function is not None:
        return function, diags

    if ctx is None or not ctx.allows_functions():
        diags.append(error("Function calls not allowed", "Functions may not be called here.", expr.range))
        return None, diags
    suggestion = suggest_name(expr.name, ctx.function_names())
    hint = f' Did you mean "{suggestion}"?' if suggestion else ""
    detail = f'There is no function named "{expr.name}".{hint}'
    subject = getattr(expr, "name_range", None) or expr.range
    diags.append(error("Call to unknown function", detail, subject, context=expr.range))
    return None, diags


def _expand_final(last: Any, ctx: EvalContext | None) -> tuple[list[Any] | None, Diagnostics]:
    value, diags = evaluate(last, ctx)
    if diags.has_errors():
        return None, diags
    type_ = value.type
    if not (type_.is_dynamic() or type_.is_tuple() or type_.is_list() or type_.is_set()):
        detail = "The expanding argument (indicated by ...) must be of a tuple, list, or set type."
        diags.append(
            error("Invalid expanding argument value", detail, last.range, extra=ExpressionContext(last, ctx))
        )
        return None, diags
    if value.is_null:
        detail = "The expanding argument (indicated by ...) must not be null."
        diags.append(
            error("Invalid expanding argument value", detail, last.range, extra=ExpressionContext(last, ctx))
        )
        return None, diags
    if type_.is_dynamic() or not value.is_known:
        return None, diags

    bare, marks = unmark(value)
    return [_ValueExpr(with_marks(element, marks), last.range) for element in bare.elements()], diags


def _check_count(expr: Any, function: Function, args: list[Any]) -> Diagnostics:
    diags = Diagnostics()
    params = list(function.params)
    if len(args) < len(params):
        at_least = " at least" if function.var_param is not None else ""
        detail = (
            f'Function "{expr.name}" expects{at_least} {len(params)} argument(s). '
            f'Missing value for "{params[len(args)].name}".'
        )
        subject = getattr(expr, "close_paren_range", None) or expr.range
        diags.append(error("Not enough function arguments", detail, subject, context=expr.range))
    elif function.var_param is None and len(args) > len(params):
        detail = f'Function "{expr.name}" expects only {len(params)} argument(s).'
        diags.append(
            error("Too many function arguments", detail, start_range(args[len(params)]), context=expr.range)
        )
    return diags


def _prepare_arguments(
    expr: Any, function: Function, args: list[Any], ctx: EvalContext | None
) -> tuple[list[Any], Diagnostics]:
    from kiln.lang.typeexpr import type_constraint

    diags = Diagnostics()
    values: list[Any] = []
    for position, arg in enumerate(args):
        decode = function.decode_of(position)
        if decode is ArgumentDecode.EXPRESSION:
            values.append(_Closure(arg, ctx))
            continue
        if decode is ArgumentDecode.TYPE:
            type_, type_diags = type_constraint(arg)
            diags.extend(type_diags)
            values.append(type_)
            continue

        value, arg_diags = evaluate_argument(arg, ctx)
        diags.extend(arg_diags)
        parameter = function.parameter_at(position)
        if parameter.type.is_dynamic() or value.type == parameter.type:
            values.append(value)
            continue
        try:
            value = convert(value, parameter.type)
        except ConversionError as exc:
            detail = f'Invalid value for "{parameter.name}" parameter: {exc}.'
            diags.append(
                error(
                    "Invalid function argument",
                    detail,
                    start_range(arg),
                    context=expr.range,
                    extra=ExpressionContext(arg, ctx),
                )
            )
        values.append(value)
    return values, diags


def _call_error(
    expr: Any, function: Function, args: list[Any], exc: FunctionError, ctx: EvalContext | None
) -> Diagnostic:
    parameter = function.parameter_at(exc.index) if isinstance(exc, ArgumentError) else None
    if parameter is not None and exc.index < len(args):
        detail = f'Invalid value for "{parameter.name}" parameter: {exc.message}.'
        subject = start_range(args[exc.index])
        extra = ExpressionContext(args[exc.index], ctx)
        return error("Invalid function argument", detail, subject, context=expr.range, extra=extra)
    detail = f'Call to function "{expr.name}" failed: {exc.message}.'
    # hcl points at the call's start: the function name through the opening parenthesis.
    subject = Range.between(expr.name_range, expr.open_paren_range)
    return error("Error in function call", detail, subject, context=expr.range)
