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
    # Values of splat and `for` placeholders, keyed by the id of their syntax node; hcl keeps
    # these in the context too, so a nested splat sees the item of the enclosing one.
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
