"""`templatefile`: render a file as an HCL template with only the given variables.

The template may call the same functions as the configuration, except `templatefile`
itself, so a template cannot include itself forever. Relative paths resolve against the
template directory (path.root), as for `file`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make
from kiln.lang.functions._gotime import go_quote
from kiln.lang.functions.conversion import describe_diagnostics, hcl_range_text
from kiln.lang.functions.filesystem import read_text_file
from kiln.lang.types import DYNAMIC, STRING, Type
from kiln.lang.values import Value

# hclsyntax.ValidIdentifier: a letter or underscore, then letters, digits, "_" or "-".
_IDENTIFIER = re.compile(r"[^\W\d][\w-]*")

FunctionsCallback = Callable[[], Mapping[str, Function]]


def _recursion_stub() -> Function:
    def refuse(_: list[Any]) -> Type:
        raise FunctionError("cannot recursively call templatefile from inside templatefile call")

    return make(
        [Parameter("path", STRING), Parameter("vars", DYNAMIC)], refuse, lambda _a, _t: _unreachable()
    )


def _unreachable() -> Value:
    raise AssertionError("the return type check always fails first")


def _load_template(base_dir: Path, path: str) -> Any:
    from kiln.hcl.diagnostics import Pos
    from kiln.hcl.syntax.parser import parse_template

    source = read_text_file(base_dir, path)
    expr, diagnostics = parse_template(source.encode(), path, Pos(1, 1, 0))
    if diagnostics.has_errors():
        raise FunctionError(describe_diagnostics(diagnostics))
    return expr


def _render(expr: Any, variables: Value, functions: Mapping[str, Function]) -> Value:
    from kiln.lang.eval.context import EvalContext
    from kiln.lang.eval.expressions import evaluate

    if not (variables.type.is_map() or variables.type.is_object()):
        raise ArgumentError(1, "invalid vars value: must be a map")
    scope = dict(variables.items())
    for name in scope:
        if not _IDENTIFIER.fullmatch(name):
            raise ArgumentError(
                1,
                f"invalid template variable name {go_quote(name)}: must start with a letter, "
                "followed by zero or more letters, digits, and underscores",
            )
    for traversal in expr.variables():
        if traversal.root_name not in scope:
            where = hcl_range_text(traversal[0].range)
            raise ArgumentError(
                1, f"vars map does not contain key {go_quote(traversal.root_name)}, referenced at {where}"
            )

    template_functions = dict(functions)
    template_functions["templatefile"] = _recursion_stub()
    value, diagnostics = evaluate(expr, EvalContext(scope, template_functions))
    if diagnostics.has_errors():
        raise FunctionError(describe_diagnostics(diagnostics))
    return value


def make_templatefile_function(base_dir: Path, functions: FunctionsCallback) -> Function:
    """Return `templatefile` for templates under `base_dir`.

    `functions` returns the functions a template may call; it is a callback because the
    table usually contains this very function.
    """

    def impl(args: list[Value], _: Type) -> Value:
        expr = _load_template(base_dir, args[0].as_str())
        return _render(expr, args[1], functions())

    # The result type is whatever the template produces: a template that is one interpolation
    # returns that value unchanged, so `${true}` gives a bool.
    return make([Parameter("path", STRING), Parameter("vars", DYNAMIC)], DYNAMIC, impl, not_null=False)
