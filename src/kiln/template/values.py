"""The template layer's use of kiln.lang: evaluation, conversion and value shapes in one place.

Packer hands plug-ins placeholders for values that are not known yet (a data source that
`validate` does not run, an unset variable under `inspect`): the string `<unknown>`, the
number 0, `false` and empty collections. `to_plain` does the same when it turns a value
into the plain Python data a component's config dataclass is built from.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.hcl.schema import Expression

UNKNOWN_TEXT = "<unknown>"


def evaluate(expr: Expression, ctx: Any) -> tuple[Any, Diagnostics]:
    from kiln.lang.eval import evaluate as lang_evaluate

    value, diagnostics = lang_evaluate(expr, ctx)
    return value, Diagnostics(diagnostics)


def evaluate_with(expr: Expression, make_context: Callable[[], Any]) -> tuple[Any, Diagnostics]:
    """Evaluate `expr` in the context `make_context()` builds, unless it is a plain literal."""
    value = literal_value(expr)
    if value is not None:
        return value, Diagnostics()
    return evaluate(expr, make_context())


def static_value(expr: Expression) -> tuple[Any, Diagnostics]:
    """Evaluate an expression that may use neither variables nor functions."""
    value = literal_value(expr)
    if value is not None:
        return value, Diagnostics()

    from kiln.lang.eval import EvalContext

    return evaluate(expr, EvalContext())


def literal_value(expr: Expression) -> Any | None:
    """Return the value of a native-syntax literal without the evaluator, or None for other expressions.

    A literal is a number, a bool, null, or a quoted string or heredoc without template
    sequences. Its value is the one `kiln.lang.eval` computes. Loading a template evaluates
    mostly literals (descriptions, defaults), and skipping the evaluator's import saves a
    few milliseconds of every `kiln validate -syntax-only` run. JSON-syntax expressions
    always go through the evaluator.
    """
    from kiln.hcl.syntax.ast import LiteralValueExpr, TemplateExpr

    kind = type(expr)
    if kind is TemplateExpr:
        parts = expr.parts  # type: ignore[attr-defined]
        if len(parts) != 1 or type(parts[0]) is not LiteralValueExpr or type(parts[0].value) is not str:
            return None
        return string_val(parts[0].value)
    if kind is not LiteralValueExpr:
        return None

    from kiln.lang import values as V

    literal = expr.value  # type: ignore[attr-defined]
    if literal is None:
        return V.null_val(V.DYNAMIC_VAL.type)
    if type(literal) is bool:
        return V.bool_val(literal)
    if type(literal) is str:
        return V.string_val(literal)
    if type(literal) is Decimal:
        return V.number_val(literal)
    return None


def static_string(expr: Expression) -> tuple[str | None, Diagnostics]:
    text = _literal_text(expr)
    if text is not None:
        return text, Diagnostics()
    value, diagnostics = static_value(expr)
    if diagnostics.has_errors():
        return None, diagnostics
    return want_string(value, expr.range, diagnostics)


def _literal_text(expr: Expression) -> str | None:
    """Return the text of a native-syntax string without template sequences, else None."""
    from kiln.hcl.syntax.ast import LiteralValueExpr, TemplateExpr

    if type(expr) is not TemplateExpr:
        return None
    parts = expr.parts  # type: ignore[attr-defined]
    if len(parts) != 1 or type(parts[0]) is not LiteralValueExpr or type(parts[0].value) is not str:
        return None
    return parts[0].value


def static_bool(expr: Expression) -> tuple[bool | None, Diagnostics]:
    from kiln.lang.types import BOOL

    value, diagnostics = static_value(expr)
    if diagnostics.has_errors():
        return None, diagnostics
    converted, problem = convert(value, BOOL)
    if problem is not None or not converted.is_known or converted.is_null:
        diagnostics.append(
            error("Incorrect value type", f"A bool is required here: {problem or 'null'}.", expr.range)
        )
        return None, diagnostics
    return converted.as_bool(), diagnostics


def want_string(
    value: Any, subject: Range, diagnostics: Diagnostics | None = None
) -> tuple[str | None, Diagnostics]:
    from kiln.lang.types import STRING

    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    converted, problem = convert(value, STRING)
    if problem is not None:
        diagnostics.append(error("Incorrect value type", f"A string is required here: {problem}.", subject))
        return None, diagnostics
    if converted.is_null:
        diagnostics.append(
            error("Incorrect value type", "A string is required here, but the value is null.", subject)
        )
        return None, diagnostics
    if not converted.is_known:
        return UNKNOWN_TEXT, diagnostics
    return converted.unmark_deep()[0].as_str(), diagnostics


def want_string_list(value: Any, subject: Range) -> tuple[list[str] | None, Diagnostics]:
    from kiln.lang.types import STRING, ListType

    diagnostics = Diagnostics()
    converted, problem = convert(value, ListType(STRING))
    if problem is not None or converted.is_null or not converted.is_wholly_known:
        reason = problem or "the value is null or not known yet"
        diagnostics.append(
            error("Incorrect value type", f"A list of strings is required here: {reason}.", subject)
        )
        return None, diagnostics
    return [element.as_str() for element in converted.unmark_deep()[0].elements()], diagnostics


def convert(value: Any, target: Any) -> tuple[Any, str | None]:
    """Convert `value` to the type `target`; return (value, None) or (None, the reason it failed)."""
    if value.type == target:
        # As kiln.lang.convert does first, without importing it.
        return value, None

    from kiln.lang.convert import ConversionError
    from kiln.lang.convert import convert as lang_convert

    try:
        return lang_convert(value, target), None
    except ConversionError as problem:
        return None, str(problem)


def string_val(text: str) -> Any:
    from kiln.lang.values import string_val as make

    return make(text)


def object_val(attributes: dict[str, Any]) -> Any:
    from kiln.lang.values import object_val as make

    return make(attributes)


def unknown_val(type_: Any = None) -> Any:
    from kiln.lang.types import DYNAMIC
    from kiln.lang.values import unknown_val as make

    return make(DYNAMIC if type_ is None else type_)


def null_val(type_: Any = None) -> Any:
    from kiln.lang.types import DYNAMIC
    from kiln.lang.values import null_val as make

    return make(DYNAMIC if type_ is None else type_)


def from_python(data: Any) -> Any:
    from kiln.lang.values import from_python as make

    return make(data)


def mark_sensitive(value: Any) -> Any:
    from kiln.lang.marks import SENSITIVE

    return value.mark(SENSITIVE)


def to_plain(value: Any) -> Any:
    """Return plain Python data for a value, with Packer's placeholders for unknown parts."""
    from kiln.lang.types import BOOL, NUMBER, STRING

    value = value.unmark_deep()[0]
    if not value.is_known:
        type_ = value.type
        if type_ == STRING or type_.is_dynamic():
            return UNKNOWN_TEXT
        if type_ == NUMBER:
            return 0
        if type_ == BOOL:
            return False
        return {} if type_.is_map() or type_.is_object() else []
    if value.is_null:
        return None
    if value.type.is_primitive():
        return value.to_python()
    if value.type.is_map() or value.type.is_object():
        return {key: to_plain(element) for key, element in value.items()}
    return [to_plain(element) for element in value.elements()]


def sensitive_strings(value: Any) -> list[str]:
    """Return every known string leaf of a value, for masking it in output."""
    from kiln.lang.types import STRING

    value = value.unmark_deep()[0]
    if not value.is_known or value.is_null:
        return []
    if value.type == STRING:
        return [value.as_str()] if value.as_str() else []
    if value.type.is_primitive():
        return [str(value.to_python())]
    children = (
        [element for _key, element in value.items()]
        if value.type.is_map() or value.type.is_object()
        else value.elements()
    )
    return [text for child in children for text in sensitive_strings(child)]
