"""The JSON parser: values with ranges, and a diagnostic with a range for every bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from tests.conftest import conformance_dir

from kiln.hcl.diagnostics import Pos, Range
from kiln.hcl.json import JSONExpression, parse_json, parse_json_expression
from kiln.hcl.json._nodes import ArrayValue, BoolValue, NullValue, NumberValue, ObjectValue, StringValue


def span(start: tuple[int, int, int], end: tuple[int, int, int]) -> Range:
    return Range("t.json", Pos(*start), Pos(*end))


def test_values_and_ranges() -> None:
    src = b'{\n  "a": "x",\n  "b": [1, 2.5e1],\n  "c": {"d": true, "e": null}\n}'

    file, diagnostics = parse_json(src, "t.json")

    assert list(diagnostics) == []
    root = file.body.value
    assert isinstance(root, ObjectValue)
    assert root.range == span((1, 1, 0), (5, 2, 64))
    assert root.open_range == span((1, 1, 0), (1, 2, 1))
    assert root.close_range == span((5, 1, 63), (5, 2, 64))
    a, b, c = root.properties
    assert (a.name, a.name_range) == ("a", span((2, 3, 4), (2, 6, 7)))
    assert isinstance(a.value, StringValue)
    assert (a.value.value, a.value.range) == ("x", span((2, 8, 9), (2, 11, 12)))
    assert isinstance(b.value, ArrayValue)
    assert [v.value for v in b.value.values if isinstance(v, NumberValue)] == [Decimal(1), Decimal(25)]
    assert b.value.values[1].range == span((3, 12, 25), (3, 17, 30))
    assert isinstance(c.value, ObjectValue)
    assert isinstance(c.value.properties[0].value, BoolValue)
    assert isinstance(c.value.properties[1].value, NullValue)


def test_columns_count_characters() -> None:
    file, _ = parse_json('{"ä": "日本", "b": 1}'.encode(), "t.json")

    root = file.body.value
    assert isinstance(root, ObjectValue)
    assert root.properties[0].value.range == span((1, 7, 7), (1, 11, 15))
    assert root.properties[1].name_range == span((1, 13, 17), (1, 16, 20))


def test_numbers_keep_full_precision() -> None:
    expression, diagnostics = parse_json_expression(
        b"123456789012345678901234567890.000000000000000001", "t.json"
    )

    assert list(diagnostics) == []
    assert isinstance(expression.node, NumberValue)
    assert expression.node.value == Decimal("123456789012345678901234567890.000000000000000001")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r'"a\"b\\c\/d\b\f\n\r\t"', 'a"b\\c/d\b\f\n\r\t'),
        (r'"\u00e4\u65e5"', "ä日"),
        (r'"\ud83d\ude00"', "\U0001f600"),
        (r'"\ud83d"', "\ufffd"),
        ('"ä"', "ä"),
    ],
    ids=["simple escapes", "unicode escapes", "surrogate pair", "lone surrogate", "raw utf-8"],
)
def test_string_escapes(source: str, expected: str) -> None:
    expression, diagnostics = parse_json_expression(source.encode(), "t.json")

    assert list(diagnostics) == []
    assert isinstance(expression.node, StringValue)
    assert expression.node.value == expected


def test_duplicate_properties_kept_in_order() -> None:
    # A repeated name is how a JSON body gives several blocks of one type.
    file, diagnostics = parse_json(b'{"a": 1, "a": 2}', "t.json")

    assert list(diagnostics) == []
    root = file.body.value
    assert isinstance(root, ObjectValue)
    assert [p.name for p in root.properties] == ["a", "a"]


ERROR_CASES = {
    "empty input": (b"", "Missing value", span((1, 1, 0), (1, 1, 0))),
    "unclosed object": (b'{"a": 1', "Unclosed object", span((1, 1, 0), (1, 2, 1))),
    "unclosed array": (b'{"a": [1', "Unclosed object", span((1, 7, 6), (1, 8, 7))),
    "missing value at end": (b"{", "Missing value", span((1, 2, 1), (1, 2, 1))),
    "trailing comma in object": (b'{"a": 1,}', "Trailing comma in object", span((1, 8, 7), (1, 9, 8))),
    "trailing comma in array": (b'{"a": [1,]}', "Trailing comma in array", span((1, 9, 8), (1, 10, 9))),
    "equals instead of colon": (b'{"a" = 1}', "Missing property value colon", span((1, 6, 5), (1, 7, 6))),
    "missing colon": (b'{"a" 1}', "Missing property value colon", span((1, 6, 5), (1, 7, 6))),
    "property without value": (b'{"a"}', "Missing object value", span((1, 5, 4), (1, 6, 5))),
    "number as name": (b"{1: 2}", "Invalid object property name", span((1, 2, 1), (1, 3, 2))),
    "missing comma": (b'{"a": 1 "b": 2}', "Missing attribute seperator comma", span((1, 9, 8), (1, 12, 11))),
    "bracket closes object": (b'{"a": 1]', "Mismatched braces", span((1, 8, 7), (1, 9, 8))),
    "brace closes array": (b'{"a": [1}', "Mismatched brackets", span((1, 9, 8), (1, 10, 9))),
    "colon in array": (b'{"a": [1: 2]}', "Invalid array value", span((1, 9, 8), (1, 10, 9))),
    "capitalised keyword": (b'{"a": True}', "Invalid JSON keyword", span((1, 7, 6), (1, 11, 10))),
    "javascript keyword": (b'{"a": NaN}', "Invalid JSON keyword", span((1, 7, 6), (1, 10, 9))),
    "leading zero": (b'{"a": 01}', "Invalid JSON number", span((1, 7, 6), (1, 9, 8))),
    "plus sign": (b'{"a": +1}', "Invalid JSON number", span((1, 7, 6), (1, 9, 8))),
    "bad escape": (b'{"a": "x\\qy"}', "Invalid JSON string", span((1, 9, 8), (1, 10, 9))),
    "unterminated string": (b'{"a": "x', "Invalid JSON string", span((1, 7, 6), (1, 9, 8))),
    "newline in string": (b'{"a": "x\ny"}', "Invalid JSON string", span((1, 7, 6), (1, 9, 8))),
    "single quotes": (b"{'a': 1}", "Invalid start of value", span((1, 2, 1), (1, 3, 2))),
    "comment": (b'{"a": 1 # no\n}', "Missing attribute seperator comma", span((1, 9, 8), (1, 10, 9))),
    "data after value": (b"{} {}", "Extraneous data after value", span((1, 4, 3), (1, 5, 4))),
    "closing brace first": (b"}", "Missing JSON value", span((1, 1, 0), (1, 2, 1))),
    "root is a string": (b'"x"', "Root value must be object", span((1, 1, 0), (1, 4, 3))),
    "invalid utf-8": (b'{"a": "\xff"}', "Invalid character encoding", span((1, 8, 7), (1, 9, 8))),
    "invalid utf-8 outside string": (
        b'{"a": \xc3}',
        "Invalid character encoding",
        span((1, 7, 6), (1, 8, 7)),
    ),
    "nesting too deep": (b"[" * 101 + b"]" * 101, "Nesting too deep", span((1, 101, 100), (1, 102, 101))),
}


# An error that leaves no usable root value is followed by hcl's root error, as in Packer.
ROOT_LOST = {
    "empty input",
    "unclosed object",
    "unclosed array",
    "missing value at end",
    "equals instead of colon",
    "missing colon",
    "property without value",
    "number as name",
    "missing comma",
    "bracket closes object",
    "brace closes array",
    "unterminated string",
    "newline in string",
    "single quotes",
    "comment",
    "closing brace first",
    "invalid utf-8 outside string",
}


@pytest.mark.parametrize(("source", "summary", "subject"), ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_bad_input_gives_error(
    request: pytest.FixtureRequest, source: bytes, summary: str, subject: Range
) -> None:
    _, diagnostics = parse_json(source, "t.json")

    root_lost = request.node.callspec.id in ROOT_LOST
    assert [d.summary for d in diagnostics] == [summary] + ["Root value must be object"] * root_lost
    assert all(d.is_error for d in diagnostics)
    assert diagnostics[0].subject == subject


def test_keyword_suggestion() -> None:
    _, diagnostics = parse_json(b'{"a": True}', "t.json")

    assert diagnostics[0].detail == '"True" is not a valid JSON keyword. Did you mean "true"?'


def test_error_keeps_the_rest() -> None:
    file, diagnostics = parse_json(b'{"a": tru, "b": 2}', "t.json")

    assert [d.summary for d in diagnostics] == ["Invalid JSON keyword"]
    root = file.body.value
    assert isinstance(root, ObjectValue)
    assert [p.name for p in root.properties] == ["a", "b"]


@pytest.mark.parametrize(
    "source",
    [
        b"\x00",
        b"{\xff\xfe}",
        b'{"a": [' * 50,
        b"[" * 5000,
        b'{"\\u',
        b"-",
        b"1e",
        b"{" + b'"a":{' * 150,
        b"\xef\xbb\xbf{}",
    ],
    ids=[
        "nul byte",
        "binary",
        "unclosed nesting",
        "very deep",
        "cut escape",
        "lone minus",
        "cut exponent",
        "deep objects",
        "byte order mark",
    ],
)
def test_garbage_gives_diagnostics(source: bytes) -> None:
    _, diagnostics = parse_json(source, "t.json")

    assert diagnostics.has_errors()
    assert all(d.subject is not None for d in diagnostics)


def _json_fixtures() -> list[Path]:
    folder = conformance_dir()
    if folder is None:
        return []
    return sorted(p for p in folder.rglob("*.json") if p.name != "expectations.json")


@pytest.mark.conformance
@pytest.mark.parametrize("path", _json_fixtures(), ids=lambda p: p.name)
def test_fixture_parses(path: Path) -> None:
    source = path.read_bytes()

    file, diagnostics = parse_json(source, path.name)

    assert list(diagnostics) == []
    assert isinstance(file.body.value, ObjectValue)
    value, value_diagnostics = JSONExpression(file.body.value).python_value()
    if not value_diagnostics.has_errors():
        # Without repeated names the values are exactly what Python's json module reads.
        assert value == json.loads(source, parse_float=Decimal, parse_int=Decimal)


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        (b'"default": "b"', "variable.v"),
        (b'"x"', "build[0].provisioner.shell"),
        (b'"build"', ""),
    ],
    ids=["object path", "array index", "top level"],
)
def test_context_string(marker: bytes, expected: str) -> None:
    src = b'{\n  "variable": {"v": {"default": "a", "default": "b"}},\n  "build": [{"provisioner": {"shell": {"x": 1}}}]\n}'
    file, _ = parse_json(src, "t.json")

    assert file.context_string(src.index(marker)) == expected
