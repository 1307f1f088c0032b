"""Expressions of HCL's JSON syntax and their native-syntax equivalents.

A JSON value in attribute position means what hashicorp/hcl v2's JSON syntax defines: a string
is a template (`"${var.x}-suffix"`), and so is an object's property name; a number, bool or
null is that literal; an array is a tuple and an object an object. `kiln.lang.eval` evaluates
only native syntax nodes, so `as_native_expression` builds the native tree that means the
same. Where a reference is expected rather than a value (`"sources": ["source.null.x"]`),
callers use `as_traversal`, which reads the string as a traversal.

A literal expression (from a variable file) takes every string as it is, never as a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Pos, Range, error
from kiln.hcl.json._nodes import (
    ArrayValue,
    BoolValue,
    InvalidValue,
    Node,
    NullValue,
    NumberValue,
    ObjectValue,
    StringValue,
    go_quote,
    go_range,
)


@dataclass(slots=True)
class JSONExpression:
    """An expression given by a JSON value: the value with `literal` telling how to read strings."""

    node: Node
    literal: bool = False

    @property
    def range(self) -> Range:
        return self.node.range

    def start_range(self) -> Range:
        return self.node.start_range()

    def variables(self) -> list[Any]:
        """Return the absolute traversals that the templates in this value refer to."""
        if self.literal:
            return []
        native, _ = self.to_native()
        return list(native.variables())

    def as_native_expression(self) -> Any:
        """Return the native syntax expression that means the same as this JSON value.

        Problems found while building it (a string that is not a valid template, a property
        name given twice) are dropped here; `to_native` returns them.
        """
        native, _ = self.to_native()
        return native

    def to_native(self) -> tuple[Any, Diagnostics]:
        """Return the equivalent native syntax expression and the problems found building it."""
        diagnostics = Diagnostics()
        native = _to_native(self.node, self.literal, diagnostics)
        return native, diagnostics

    def as_traversal(self) -> Any | None:
        """Return the absolute traversal a JSON string spells (`"var.a[0]"`), or None.

        As in hcl, the traversal's ranges start at the string's opening quote.
        """
        from kiln.hcl.syntax import parse_traversal_abs  # type: ignore[attr-defined]

        if not isinstance(self.node, StringValue):
            return None
        traversal, diagnostics = parse_traversal_abs(
            self.node.value.encode(), self.node.range.filename, self.node.range.start
        )
        return None if diagnostics.has_errors() else traversal

    def as_static_expression(self) -> Any | None:
        """Return the native expression a JSON string spells (`"list(string)"`), or None.

        hcl reads a JSON string this way where it expects a keyword or a static call rather
        than a value, as in a variable's type constraint. Other values, and strings that are
        not a valid expression, give None.
        """
        from kiln.hcl.syntax import parse_expression

        if not isinstance(self.node, StringValue):
            return None
        parsed, diagnostics = parse_expression(
            self.node.value.encode(), self.node.range.filename, self.node.range.start
        )
        return None if diagnostics.has_errors() else parsed

    def expr_list(self) -> list[JSONExpression] | None:
        """Return one expression per element of a JSON array, or None for other values."""
        if not isinstance(self.node, ArrayValue):
            return None
        return [JSONExpression(element, self.literal) for element in self.node.values]

    def expr_map(self) -> list[tuple[JSONExpression, JSONExpression]] | None:
        """Return (name, value) expressions per property of a JSON object, or None for others."""
        if not isinstance(self.node, ObjectValue):
            return None
        return [
            (
                JSONExpression(StringValue(prop.name, prop.name_range), self.literal),
                JSONExpression(prop.value, self.literal),
            )
            for prop in self.node.properties
        ]

    def python_value(self) -> tuple[Any, Diagnostics]:
        """Return the value as plain Python data, taking strings literally.

        Strings are `str`, numbers `Decimal`, then `bool`, None, `list` and `dict`. A property
        name given twice in one object is an error, and the first value is kept.
        """
        diagnostics = Diagnostics()
        return _python_value(self.node, diagnostics), diagnostics


def _to_native(node: Node, literal: bool, diagnostics: Diagnostics) -> Any:
    from kiln.hcl.syntax import ast

    if isinstance(node, StringValue):
        if literal:
            return ast.LiteralValueExpr(node.value, node.range)
        return _template(node, diagnostics)
    if isinstance(node, NumberValue | BoolValue):
        return ast.LiteralValueExpr(node.value, node.range)
    if isinstance(node, NullValue):
        return ast.LiteralValueExpr(None, node.range)
    if isinstance(node, ArrayValue):
        elements = [_to_native(element, literal, diagnostics) for element in node.values]
        return ast.TupleConsExpr(elements, node.range, node.open_range)
    if isinstance(node, ObjectValue):
        _check_duplicate_names(node, literal, diagnostics)
        items = []
        for prop in node.properties:
            name = StringValue(prop.name, prop.name_range)
            key = ast.ObjectConsKeyExpr(_to_native(name, literal, diagnostics), True, prop.name_range)
            items.append(ast.ObjectConsItem(key, _to_native(prop.value, literal, diagnostics)))
        return ast.ObjectConsExpr(items, node.range, node.open_range)
    assert isinstance(node, InvalidValue)
    return ast.ExprSyntaxError(node.range)


def _template(node: StringValue, diagnostics: Diagnostics) -> Any:
    """Parse a JSON string as a template whose positions start after the opening quote.

    NOTE: positions inside the template are exact only when the string has no escapes
    before them, because the template is parsed from the decoded text (as hcl does).
    """
    from kiln.hcl.syntax import parse_template  # type: ignore[attr-defined]

    start = node.range.start
    inner = Pos(start.line, start.column + 1, start.byte + 1)
    template, template_diagnostics = parse_template(node.value.encode(), node.range.filename, inner)
    diagnostics.extend(template_diagnostics)
    return template


def _check_duplicate_names(node: ObjectValue, literal: bool, diagnostics: Diagnostics) -> None:
    """Report a property name given twice, when names are plain strings without templates."""
    seen: dict[str, Range] = {}
    for prop in node.properties:
        if not literal and ("${" in prop.name or "%{" in prop.name):
            continue
        if prop.name in seen:
            diagnostics.append(
                error(
                    "Duplicate object attribute",
                    f"An attribute named {go_quote(prop.name)} was already defined at {go_range(seen[prop.name])}.",
                    prop.name_range,
                )
            )
        else:
            seen[prop.name] = prop.name_range


def _python_value(node: Node, diagnostics: Diagnostics) -> Any:
    if isinstance(node, StringValue | NumberValue | BoolValue):
        return node.value
    if isinstance(node, ArrayValue):
        return [_python_value(element, diagnostics) for element in node.values]
    if isinstance(node, ObjectValue):
        _check_duplicate_names(node, True, diagnostics)
        result: dict[str, Any] = {}
        for prop in node.properties:
            result.setdefault(prop.name, _python_value(prop.value, diagnostics))
        return result
    return None
