"""HCL's JSON syntax: `.pkr.json` templates and `.pkrvars.json` variable files.

The file is parsed with a JSON parser of kiln's own that records the range of every value,
and its root object becomes a `Body` (see `kiln.hcl.schema`) that reads blocks and attributes
the way hashicorp/hcl v2's JSON syntax does. Bad input never raises: every problem is a
diagnostic with a range, and the parts that could be read are still returned.

    file, diagnostics = parse_json(b'{"variable": {"x": {"default": 1}}}', "vars.pkr.json")
    content, more = file.body.content(schema)
"""

from __future__ import annotations

from dataclasses import dataclass

from kiln.hcl.diagnostics import Diagnostics, Pos, Range, error
from kiln.hcl.json._body import JSONBody
from kiln.hcl.json._expression import JSONExpression
from kiln.hcl.json._nodes import ArrayValue, Node, ObjectValue
from kiln.hcl.json._parser import parse_value_source
from kiln.hcl.schema import Attribute

__all__ = [
    "File",
    "JSONBody",
    "JSONExpression",
    "parse_json",
    "parse_json_expression",
    "parse_json_variables",
]


@dataclass(slots=True)
class File:
    """A parsed JSON-syntax file: its root body and the source bytes it came from."""

    body: JSONBody
    bytes: bytes

    def context_string(self, offset: int) -> str:
        """Return the path of the objects and arrays around byte `offset` (`variable.v`, `build[0]`).

        Packer names this path in a diagnostic's location line ("in variable.v"), as hcl's
        JSON navigation does. It is empty at the top level.
        """
        steps: list[str] = []
        node: Node = self.body.value
        while True:
            children: list[tuple[str, Node]] = []
            if isinstance(node, ObjectValue):
                children = [(f".{prop.name}", prop.value) for prop in node.properties]
            elif isinstance(node, ArrayValue):
                children = [(f"[{index}]", element) for index, element in enumerate(node.values)]
            inner = next(
                (
                    (step, child)
                    for step, child in children
                    if isinstance(child, ObjectValue | ArrayValue) and child.range.contains_offset(offset)
                ),
                None,
            )
            if inner is None:
                return "".join(steps).removeprefix(".")
            steps.append(inner[0])
            node = inner[1]


def parse_json(src: bytes, filename: str) -> tuple[File, Diagnostics]:
    """Parse a JSON-syntax configuration file, whose root is an object or an array of objects."""
    diagnostics = _check_encoding(src, filename)
    root, parse_diagnostics = parse_value_source(src, filename)
    diagnostics.extend(parse_diagnostics)

    if not isinstance(root, ObjectValue | ArrayValue):
        # Reported even after a parse error that left no root value, as hcl (and so Packer) does.
        diagnostics.append(
            error(
                "Root value must be object",
                "The root value in a JSON-based configuration must be either a JSON object "
                "or a JSON array of objects.",
                root.start_range(),
            )
        )
        # An empty object replaces the root, so that reading the body does not report the
        # same problem again in more general words.
        start = Range(filename, Pos(), Pos())
        root = ObjectValue([], start, start, start)
    return File(JSONBody(root), src), diagnostics


def parse_json_expression(src: bytes, filename: str) -> tuple[JSONExpression, Diagnostics]:
    """Parse `src` as one JSON value to use as an expression, as `-var` values in JSON are."""
    diagnostics = _check_encoding(src, filename)
    node, parse_diagnostics = parse_value_source(src, filename)
    diagnostics.extend(parse_diagnostics)
    return JSONExpression(node), diagnostics


def parse_json_variables(src: bytes, filename: str) -> tuple[dict[str, Attribute], Diagnostics]:
    """Parse a variable file (`*.pkrvars.json`): an object whose properties are values.

    Values are taken literally, so `"${x}"` is that string and not a template.
    """
    file, diagnostics = parse_json(src, filename)
    body = JSONBody(file.body.value, literal=True)
    attributes, attribute_diagnostics = body.just_attributes()
    diagnostics.extend(attribute_diagnostics)
    return attributes, diagnostics


def _check_encoding(src: bytes, filename: str) -> Diagnostics:
    """Report the first byte that is not valid UTF-8; strings decode it as U+FFFD."""
    diagnostics = Diagnostics()
    try:
        src.decode("utf-8")
    except UnicodeDecodeError as problem:
        before = src[: problem.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(src[line_start : problem.start].decode("utf-8", errors="replace")) + 1
        start = Pos(line, column, problem.start)
        subject = Range(filename, start, Pos(line, column + 1, problem.start + 1))
        diagnostics.append(
            error(
                "Invalid character encoding",
                "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.",
                subject,
            )
        )
    return diagnostics
