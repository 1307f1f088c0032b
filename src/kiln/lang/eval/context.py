"""Evaluation scopes: the variables and functions an expression may refer to.

An `EvalContext` maps root names (`var`, `local`, `each`...) to values and function names to
functions. Contexts nest: a `for` expression or a dynamic block evaluates its body in a child
whose own names shadow the parent's, and a lookup falls back to the parent chain.

    ctx = EvalContext({"var": object_val({"name": string_val("web")})}, packer_functions(base))
    value, diags = evaluate(expr, ctx)

A context whose `variables` (or `functions`) is None all the way up forbids variable references
(or function calls): the evaluator then reports "Variables not allowed" ("Function calls not
allowed"), as hcl does for a nil map.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiln.lang.values import Value


@dataclass(slots=True)
class EvalContext:
    """A scope of variables and functions, optionally nested in a parent scope."""

    variables: dict[str, Value] | None = None
    functions: Mapping[str, Any] | None = None
    parent: EvalContext | None = None
    # Values of splat placeholders, keyed by the id of their syntax node. hcl keeps these in
    # the context too, so a nested splat can read the item of the enclosing one.
    _anonymous: dict[int, Value] = field(default_factory=dict, repr=False)

    def child(self) -> EvalContext:
        """Return an empty scope nested in this one, for `for` symbols and iterators."""
        return EvalContext({}, None, self)

    def chain(self) -> Iterator[EvalContext]:
        scope: EvalContext | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def allows_variables(self) -> bool:
        return any(scope.variables is not None for scope in self.chain())

    def allows_functions(self) -> bool:
        return any(scope.functions is not None for scope in self.chain())

    def lookup_variable(self, name: str) -> Value | None:
        for scope in self.chain():
            if scope.variables is not None and name in scope.variables:
                return scope.variables[name]
        return None

    def lookup_function(self, name: str) -> Any | None:
        for scope in self.chain():
            if scope.functions is not None and name in scope.functions:
                return scope.functions[name]
        return None

    def variable_names(self) -> list[str]:
        return sorted({name for scope in self.chain() for name in scope.variables or ()})

    def function_names(self) -> list[str]:
        return sorted({name for scope in self.chain() for name in scope.functions or ()})

    def anonymous_value(self, symbol: object) -> Value | None:
        for scope in self.chain():
            if id(symbol) in scope._anonymous:
                return scope._anonymous[id(symbol)]
        return None


@dataclass(frozen=True, slots=True)
class ExpressionContext:
    """The expression a diagnostic is about and the scope it was evaluated in.

    The evaluator stores one in `Diagnostic.extra`, as hcl fills a diagnostic's Expression and
    EvalContext, so a renderer can show the values the expression used ("with var.x as 1.").
    """

    expression: Any
    eval_context: EvalContext | None

    def value_statements(self) -> list[str]:
        """Return hcl's sorted "var.x as 1" statements for the variables the expression refers to.

        References that fail or are unknown are left out, as hcl does.
        """
        from kiln.lang.eval.traversals import traverse_abs

        if self.eval_context is None:
            return []
        statements: dict[str, str] = {}
        for traversal in self.expression.variables():
            value, diags = traverse_abs(traversal, self.eval_context)
            text = _traversal_text(traversal)
            if diags.has_errors() or text in statements or not value.is_known:
                continue
            statements[text] = (
                f"{text} set to null" if value.is_null else f"{text} as {describe_value(value)}"
            )
        return sorted(statements.values())


def expression_value_lines(diagnostic: Any) -> list[str]:
    """Return the "with ..." lines hcl prints between a diagnostic's source snippet and its detail.

    with var.a as 1,
         var.b as "x".
    """
    context = getattr(diagnostic, "extra", None)
    if not isinstance(context, ExpressionContext):
        return []
    statements = context.value_statements()
    lines = []
    for position, statement in enumerate(statements):
        prefix = "with " if position == 0 else "     "
        suffix = "." if position == len(statements) - 1 else ","
        lines.append(prefix + statement + suffix)
    return lines


def describe_value(value: Value) -> str:
    """Describe a value briefly for a diagnostic, as hcl's diagnostic text writer does."""
    if value.marks:
        # NOTE: hcl's writer has no case for marked values; kiln never shows a sensitive one.
        return "(sensitive value)"
    type_ = value.type
    if value.is_null:
        return "null"
    if not value.is_known:
        return "(not yet known)"
    if type_.is_primitive():
        return _describe_primitive(value)
    if type_.is_collection() or type_.is_tuple():
        count = value.length_int()
        name = type_.friendly_name()
        if count == 0:
            return f"empty {name}"
        return f"{name} with 1 element" if count == 1 else f"{name} with {count} elements"
    if type_.is_object():
        names = list(type_.attributes)
        if not names:
            return "object with no attributes"
        return (
            f'object with 1 attribute "{names[0]}"'
            if len(names) == 1
            else f"object with {len(names)} attributes"
        )
    return type_.friendly_name()


def _describe_primitive(value: Value) -> str:
    from kiln.lang.types import BOOL, NUMBER

    if value.type == BOOL:
        return "true" if value.as_bool() else "false"
    if value.type == NUMBER:
        return _format_number_g10(value.as_number())
    escaped = (
        value.as_str().replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _format_number_g10(number: Any) -> str:
    """Format a number as Go's big.Float Text('g', 10): ten significant digits, exponent when large."""
    if number.is_infinite():
        return "+Inf" if number > 0 else "-Inf"
    text = f"{float(number):.10g}"
    mantissa, _, exponent = text.partition("e")
    if not exponent:
        return text
    sign = exponent[0]
    digits = exponent[1:].lstrip("0").rjust(2, "0")
    return f"{mantissa}e{sign}{digits}"


def _traversal_text(traversal: Any) -> str:
    """Write a traversal as hcl's diagnostic writer does: `var.list[0]`, `["k"]`."""
    from kiln.lang.eval.traversals import key_value

    parts = []
    for step in traversal:
        kind = type(step).__name__
        if kind == "TraverseRoot":
            parts.append(step.name)
        elif kind == "TraverseAttr":
            parts.append(f".{step.name}")
        elif kind == "TraverseIndex" and step.key is not None:
            parts.append(f"[{describe_value(key_value(step.key))}]")
    return "".join(parts)
