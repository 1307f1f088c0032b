"""Body parsing: attributes, blocks, their ranges, recovery, and reading bodies by schema."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiln.hcl.diagnostics import Pos, Range
from kiln.hcl.schema import AttributeSchema, BlockHeaderSchema, BodySchema
from kiln.hcl.syntax import Block, Body, LiteralValueExpr, parse_config
from kiln.hcl.syntax.stream import MAX_NESTING

FILE = "main.pkr.hcl"


def at(line: int, first: int, last: int, src: bytes) -> Range:
    """Range of columns first..last on `line` of ASCII `src`."""
    line_start = sum(len(text) + 1 for text in src.split(b"\n")[: line - 1])
    return Range(FILE, Pos(line, first, line_start + first - 1), Pos(line, last, line_start + last - 1))


def parse(src: bytes) -> tuple[Body, list[tuple[str, Range | None]]]:
    file, diags = parse_config(src, FILE)
    assert file.bytes == src
    return file.body, [(d.summary, d.subject) for d in diags]


def test_attribute_and_block_ranges() -> None:
    src = b'a = 1\nsource "null" "x" {\n  b = true\n}\n'

    body, diags = parse(src)

    assert diags == []
    attribute = body.attributes["a"]
    assert attribute.range == at(1, 1, 6, src)
    assert attribute.name_range == at(1, 1, 2, src)
    assert attribute.equals_range == at(1, 3, 4, src)
    assert isinstance(attribute.expr, LiteralValueExpr)
    assert attribute.expr.value == Decimal(1)

    block = body.blocks[0]
    assert (block.type, block.labels) == ("source", ["null", "x"])
    assert block.type_range == at(2, 1, 7, src)
    assert block.label_ranges == [at(2, 8, 14, src), at(2, 15, 18, src)]
    assert block.open_brace_range == at(2, 19, 20, src)
    assert block.close_brace_range == at(4, 1, 2, src)
    assert block.def_range == at(2, 1, 18, src)
    assert block.body.attributes["b"].name_range == at(3, 3, 4, src)


def test_items_keep_source_order() -> None:
    body, diags = parse(b"z = 1\nb {}\na = 2\nc {}\n")

    assert diags == []
    names = [getattr(item, "name", None) or item.type for item in body.items]
    assert names == ["z", "b", "a", "c"]
    assert list(body.attributes) == ["z", "a"]


def test_comments_and_blank_lines() -> None:
    body, diags = parse(b"# top\n\na = 1 # trailing\n/* block\ncomment */\nb = 2 // end")

    assert diags == []
    assert list(body.attributes) == ["a", "b"]


def test_single_line_block() -> None:
    body, diags = parse(b'a "x" { b = "c" }\n')

    assert diags == []
    assert list(body.blocks[0].body.attributes) == ["b"]


def test_byte_order_mark_is_dropped() -> None:
    file, diags = parse_config(b"\xef\xbb\xbfa = 1\n", FILE)

    assert list(diags) == []
    assert file.bytes == b"a = 1\n"


def test_crlf_line_endings() -> None:
    body, diags = parse(b"a = 1\r\nb {\r\n  c = 2\r\n}\r\n")

    assert diags == []
    assert body.blocks[0].body.attributes["c"].name_range.start == Pos(3, 3, 14)


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(b"a = 1\na = 2\n", [("Attribute redefined", (2, 1, 2))], id="attribute-redefined"),
        pytest.param(
            b'a = "x", b = 1\n', [("Unexpected comma after argument", (1, 8, 9))], id="comma-after-argument"
        ),
        pytest.param(b"a = 1 b = 2\n", [("Missing newline after argument", (1, 7, 8))], id="missing-newline"),
        pytest.param(b"a {\n", [("Unclosed configuration block", (1, 3, 4))], id="unclosed-block"),
        pytest.param(b"a\n", [("Argument or block definition required", (1, 1, 2))], id="bare-word"),
        pytest.param(b'"a" = 1\n', [("Invalid argument name", (1, 1, 2))], id="quoted-name"),
        pytest.param(b"a = \n", [("Invalid expression", (1, 5, 1))], id="missing-value"),
        pytest.param(b"a = {\n", [("Missing expression", (2, 1, 1))], id="unterminated-object"),
        pytest.param(
            b"b = {} {\n}\n", [("Missing newline after argument", (1, 8, 9))], id="brace-after-object"
        ),
        pytest.param(b"a = b\n}\n", [("Argument or block definition required", (2, 1, 2))], id="stray-brace"),
        pytest.param(b'a "x" = {}\n', [("Invalid block definition", (1, 7, 8))], id="equals-after-label"),
        pytest.param(b'a "x"\n{}\n', [("Invalid block definition", (1, 6, 1))], id="brace-on-next-line"),
        pytest.param(b"a { b {} }\n", [("Argument definition required", (1, 5, 8))], id="nested-single-line"),
        pytest.param(b'a "${x}" {}\n', [("Invalid string literal", (1, 4, 6))], id="template-label"),
        pytest.param(b"a {} b\n", [("Missing newline after block definition", (1, 6, 7))], id="after-block"),
        pytest.param(
            b'a = "x\n',
            [("Invalid multi-line string", (1, 7, 1)), ("Unterminated template string", (1, 7, 1))],
            id="multi-line-string",
        ),
    ],
)
def test_structure_errors(src: bytes, expected: list[tuple[str, tuple[int, int, int]]]) -> None:
    _, diags = parse(src)

    got = [(summary, (r.start.line, r.start.column, r.end.column)) for summary, r in diags if r is not None]
    assert got == expected


def test_recovery_reports_each_broken_item() -> None:
    src = b"a = 1 +\nb = 2\nc = [1 2]\nd {\n  e = f(\n}\ng = 3\n"

    body, diags = parse(src)

    assert [(summary, r.start.line, r.start.column) for summary, r in diags if r] == [
        ("Invalid expression", 1, 8),
        ("Missing item separator", 3, 8),
        ("Invalid expression", 6, 1),
    ]
    # The unclosed call swallows the rest of the file while recovering, as in hclsyntax.
    assert list(body.attributes) == ["a", "b", "c"]
    assert [block.type for block in body.blocks] == ["d"]


def test_errors_in_separate_items_are_all_reported() -> None:
    src = b"a = 1 +\nb = \nc = 3\n"

    body, diags = parse(src)

    assert [(s, r.start.line) for s, r in diags if r] == [
        ("Invalid expression", 1),
        ("Invalid expression", 2),
    ]
    assert list(body.attributes) == ["a", "b", "c"]


# Reading bodies through a schema ---------------------------------------------------------------

SCHEMA = BodySchema(
    attributes=[AttributeSchema("name", required=True), AttributeSchema("region")],
    blocks=[BlockHeaderSchema("source", ("type", "name")), BlockHeaderSchema("build")],
)


def content_diags(src: bytes) -> list[tuple[str, str, tuple[int, int]]]:
    body, parse_diags = parse(src)
    assert parse_diags == []
    _, diags = body.content(SCHEMA)
    return [(d.summary, d.detail, (d.subject.start.line, d.subject.start.column)) for d in diags if d.subject]


def test_content_returns_attributes_and_blocks() -> None:
    body, _ = parse(b'name = "a"\nsource "null" "x" {}\nbuild {}\n')

    content, diags = body.content(SCHEMA)

    assert list(diags) == []
    assert list(content.attributes) == ["name"]
    assert content.attributes["name"].name_range.start == Pos(1, 1, 0)
    assert [b.type for b in content.blocks] == ["source", "build"]
    assert content.blocks[0].labels == ["null", "x"]
    assert isinstance(content.blocks[0].body, Body)


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            b'name = "a"\nregoin = "x"\n',
            [
                (
                    "Unsupported argument",
                    'An argument named "regoin" is not expected here. Did you mean "region"?',
                    (2, 1),
                )
            ],
            id="did-you-mean-argument",
        ),
        pytest.param(
            b'name = "a"\nsorce "a" "b" {}\n',
            [
                (
                    "Unsupported block type",
                    'Blocks of type "sorce" are not expected here. Did you mean "source"?',
                    (2, 1),
                )
            ],
            id="did-you-mean-block",
        ),
        pytest.param(
            b'name = "a"\nbuild = 1\n',
            [
                (
                    "Unsupported argument",
                    'An argument named "build" is not expected here. Did you mean to define a block of type "build"?',
                    (2, 1),
                )
            ],
            id="argument-for-block",
        ),
        pytest.param(
            b'name = "a"\nregion {}\n',
            [
                (
                    "Unsupported block type",
                    (
                        'Blocks of type "region" are not expected here. Did you mean to define argument "region"? If so,'
                        " use the equals sign to assign it a value."
                    ),
                    (2, 1),
                )
            ],
            id="block-for-argument",
        ),
        pytest.param(
            b"region = 1\n",
            [
                (
                    "Missing required argument",
                    'The argument "name" is required, but no definition was found.',
                    (1, 1),
                )
            ],
            id="missing-required",
        ),
        pytest.param(
            b'name = "a"\nsource "null" {}\n',
            [("Missing name for source", "All source blocks must have 2 labels (type, name).", (2, 15))],
            id="missing-label",
        ),
        pytest.param(
            b'name = "a"\nbuild "x" {}\n',
            [("Extraneous label for build", "No labels are expected for build blocks.", (2, 7))],
            id="extraneous-label",
        ),
        pytest.param(
            b'name = "a"\nsource "a" "b" "c" {}\n',
            [
                (
                    "Extraneous label for source",
                    "Only 2 labels (type, name) are expected for source blocks.",
                    (2, 16),
                )
            ],
            id="extra-label",
        ),
    ],
)
def test_content_errors(src: bytes, expected: list) -> None:
    assert content_diags(src) == expected


def test_partial_content_hides_what_it_read() -> None:
    body, _ = parse(b'name = "a"\nextra = 1\nsource "a" "b" {}\nother {}\n')

    content, remain, diags = body.partial_content(SCHEMA)
    rest, rest_diags = remain.content(
        BodySchema(attributes=[AttributeSchema("extra")], blocks=[BlockHeaderSchema("other")])
    )

    assert list(diags) == []
    assert list(content.attributes) == ["name"]
    assert list(rest.attributes) == ["extra"]
    assert [b.type for b in rest.blocks] == ["other"]
    assert list(rest_diags) == []


def test_just_attributes_rejects_blocks() -> None:
    body, _ = parse(b"a = 1\nb = 2\nc {}\n")

    attributes, diags = body.just_attributes()

    assert list(attributes) == ["a", "b"]
    assert [(d.summary, d.detail, d.subject.start.line) for d in diags if d.subject] == [
        ('Unexpected "c" block', "Blocks are not allowed here.", 3)
    ]


def test_missing_item_range_is_block_start() -> None:
    body, _ = parse(b"a {\n}\n")
    block = body.blocks[0]
    assert isinstance(block, Block)

    missing = block.body.missing_item_range()

    assert missing.start == missing.end == Pos(1, 3, 2)


# One level past the parser's limit.
_TOO_DEEP = MAX_NESTING + 1


@pytest.mark.parametrize(
    ("kind", "src", "summary"),
    [
        pytest.param(
            "tuple",
            b"a = " + b"[" * _TOO_DEEP + b"]" * _TOO_DEEP + b"\n",
            "Expression too deeply nested",
            id="tuple",
        ),
        pytest.param(
            "index",
            b"a = x" + b"[x" * _TOO_DEEP + b"]" * _TOO_DEEP + b"\n",
            "Expression too deeply nested",
            id="index",
        ),
        pytest.param(
            "unary", b"a = " + b"-" * _TOO_DEEP + b"1\n", "Expression too deeply nested", id="unary"
        ),
        pytest.param(
            "interpolation",
            b"a = " + b'"${' * _TOO_DEEP + b"1" + b'}"' * _TOO_DEEP + b"\n",
            "Expression too deeply nested",
            id="interp",
        ),
        pytest.param(
            "block", b"a {\n" * _TOO_DEEP + b"}\n" * _TOO_DEEP, "Block too deeply nested", id="block"
        ),
        pytest.param(
            "directive",
            b'a = "' + b"%{if x}" * _TOO_DEEP + b"%{endif}" * _TOO_DEEP + b'"\n',
            "Template directives too deeply nested",
            id="directive",
        ),
    ],
)
def test_deep_nesting_is_a_diagnostic(kind: str, src: bytes, summary: str) -> None:
    _, diags = parse(src)

    assert [s for s, _ in diags] == [summary], kind


@pytest.mark.parametrize(
    "src",
    [
        b"a = " + b"[" * MAX_NESTING + b"]" * MAX_NESTING + b"\n",
        b"a = " + b'"${' * (MAX_NESTING - 1) + b"1" + b'}"' * (MAX_NESTING - 1) + b"\n",
        b"a {\n" * MAX_NESTING + b"}\n" * MAX_NESTING,
    ],
    ids=["tuple", "interp", "block"],
)
def test_nesting_at_limit_parses(src: bytes) -> None:
    _, diags = parse(src)

    assert diags == []


def test_long_operator_chain_variables() -> None:
    body, diags = parse(b"a = " + b" + ".join(b"var.x" for _ in range(5000)) + b"\n")

    assert diags == []
    assert len(body.attributes["a"].expr.variables()) == 5000


def test_context_string_names_top_level_block() -> None:
    src = b'a = 1\nsource "null" "x" {\n  b {\n    c = 1\n  }\n}\nbuild {\n}\n'
    file, _ = parse_config(src, FILE)

    assert file.context_string(src.index(b"c = 1")) == 'source "null" "x"'
    assert file.context_string(src.index(b"build") + 7) == "build"
    assert file.context_string(0) == ""
