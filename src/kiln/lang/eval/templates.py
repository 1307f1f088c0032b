"""String templates: interpolation, `%{if}`/`%{for}` directives and the wrapping of a lone `${x}`."""

from __future__ import annotations

from typing import Any

from kiln.hcl.diagnostics import Diagnostics, error
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.eval.context import EvalContext, ExpressionContext
from kiln.lang.eval.expressions import Result, evaluate, evaluator
from kiln.lang.eval.traversals import unmark, with_marks

INVALID_INTERPOLATION = "Invalid template interpolation value"
_MAX_PREFIX_BYTES = 128


@evaluator("TemplateExpr")
def _template(expr: Any, ctx: EvalContext | None) -> Result:
    diags = Diagnostics()
    pieces: list[str] = []
    marks: frozenset = frozenset()
    known = True
    for part in expr.parts:
        value, part_diags = evaluate(part, ctx)
        diags.extend(part_diags)
        if value.is_null:
            detail = "The expression result is null. Cannot include a null value in a string template."
            diags.append(
                error(
                    INVALID_INTERPOLATION,
                    detail,
                    part.range,
                    context=expr.range,
                    extra=ExpressionContext(part, ctx),
                )
            )
            continue
        value, part_marks = unmark(value)
        marks |= part_marks
        if not value.is_known:
            # Keep going after an unknown part, so the other parts still report their problems.
            known = False
            continue
        if value.type is not T.STRING:
            try:
                value = convert(value, T.STRING)
            except ConversionError as exc:
                detail = f"Cannot include the given value in a string template: {exc}."
                diags.append(
                    error(
                        INVALID_INTERPOLATION,
                        detail,
                        part.range,
                        context=expr.range,
                        extra=ExpressionContext(part, ctx),
                    )
                )
                continue
        # As in hcl, the text stops growing at the first unknown or failed part.
        if known and not diags.has_errors():
            pieces.append(value.as_str())

    if not known:
        prefix = "" if diags.has_errors() else "".join(pieces)
        return with_marks(_unknown_with_prefix(prefix), marks), diags
    return with_marks(V.string_val("".join(pieces)), marks), diags


def _unknown_with_prefix(prefix: str) -> V.Value:
    """Return an unknown string that is not null and, as in hcl, starts with the text before the unknown part."""
    builder = V.unknown_val(T.STRING).refine().not_null()
    if prefix:
        # hcl keeps at most 128 bytes of prefix; string_prefix drops an incomplete trailing character.
        builder = builder.string_prefix(prefix.encode()[:_MAX_PREFIX_BYTES].decode(errors="ignore"))
    return builder.new_value()


@evaluator("TemplateWrapExpr")
def _template_wrap(expr: Any, ctx: EvalContext | None) -> Result:
    return evaluate(expr.wrapped, ctx)


@evaluator("TemplateJoinExpr")
def _template_join(expr: Any, ctx: EvalContext | None) -> Result:
    elements, diags = evaluate(expr.tuple, ctx)
    if elements.type.is_dynamic() or not elements.is_known:
        return V.unknown_val(T.STRING), diags
    elements, marks = unmark(elements)
    pieces: list[str] = []
    for element in elements.elements():
        if element.is_null:
            detail = "An iteration result is null. Cannot include a null value in a string template."
            diags.append(error(INVALID_INTERPOLATION, detail, expr.range))
            continue
        if element.type.is_dynamic():
            return with_marks(V.unknown_val(T.STRING), marks), diags
        try:
            text = convert(element, T.STRING)
        except ConversionError as exc:
            detail = f"Cannot include one of the interpolation results into the string template: {exc}."
            diags.append(error(INVALID_INTERPOLATION, detail, expr.range))
            continue
        if not text.is_known:
            return with_marks(V.unknown_val(T.STRING), marks), diags
        text, text_marks = unmark(text)
        marks |= text_marks
        pieces.append(text.as_str())
    return with_marks(V.string_val("".join(pieces)), marks), diags
