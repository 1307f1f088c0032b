"""Scanner tests: token types, exact bytes and ranges, and byte coverage of the input."""

from __future__ import annotations

import pytest

from kiln.hcl.diagnostics import Pos
from kiln.hcl.syntax.tokens import TokenType as T
from kiln.hcl.syntax.tokens import scan_config, scan_template


def kinds(src: bytes) -> list[tuple[T, bytes]]:
    return [(token.type, token.bytes) for token in scan_config(src, "t.hcl")]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            b"a = 1\n",
            [(T.Ident, b"a"), (T.Equal, b"="), (T.NumberLit, b"1"), (T.Newline, b"\n")],
            id="attribute",
        ),
        pytest.param(b"1.5e+3", [(T.NumberLit, b"1.5e+3")], id="number-exponent"),
        pytest.param(
            b"a.0.b",
            [(T.Ident, b"a"), (T.Dot, b"."), (T.NumberLit, b"0"), (T.Dot, b"."), (T.Ident, b"b")],
            id="legacy-index",
        ),
        pytest.param(
            b"a == b != c",
            [(T.Ident, b"a"), (T.EqualOp, b"=="), (T.Ident, b"b"), (T.NotEqual, b"!="), (T.Ident, b"c")],
            id="equality",
        ),
        pytest.param(
            b"<= >= && || ... =>",
            [
                (T.LessThanEq, b"<="),
                (T.GreaterThanEq, b">="),
                (T.And, b"&&"),
                (T.Or, b"||"),
                (T.Ellipsis, b"..."),
                (T.FatArrow, b"=>"),
            ],
            id="two-char-operators",
        ),
        pytest.param(b"# c\n", [(T.Comment, b"# c\n")], id="hash-comment-keeps-newline"),
        pytest.param(b"// c\r\n", [(T.Comment, b"// c\r\n")], id="slash-comment-crlf"),
        pytest.param(b"/* a\nb */x", [(T.Comment, b"/* a\nb */"), (T.Ident, b"x")], id="block-comment"),
        pytest.param(
            b'"a${b}c"',
            [
                (T.OQuote, b'"'),
                (T.QuotedLit, b"a"),
                (T.TemplateInterp, b"${"),
                (T.Ident, b"b"),
                (T.TemplateSeqEnd, b"}"),
                (T.QuotedLit, b"c"),
                (T.CQuote, b'"'),
            ],
            id="interpolation",
        ),
        pytest.param(
            b'"${~ b ~}"',
            [
                (T.OQuote, b'"'),
                (T.TemplateInterp, b"${~"),
                (T.Ident, b"b"),
                (T.TemplateSeqEnd, b"~}"),
                (T.CQuote, b'"'),
            ],
            id="strip-markers",
        ),
        pytest.param(
            b'"$${a} %%{b} \\" $ %"',
            [(T.OQuote, b'"'), (T.QuotedLit, b'$${a} %%{b} \\" $ %'), (T.CQuote, b'"')],
            id="escapes-stay-raw",
        ),
        pytest.param(
            b'"${ {a=1} }"',
            [
                (T.OQuote, b'"'),
                (T.TemplateInterp, b"${"),
                (T.OBrace, b"{"),
                (T.Ident, b"a"),
                (T.Equal, b"="),
                (T.NumberLit, b"1"),
                (T.CBrace, b"}"),
                (T.TemplateSeqEnd, b"}"),
                (T.CQuote, b'"'),
            ],
            id="braces-inside-interpolation",
        ),
        pytest.param(
            b'"a\nb"',
            [
                (T.OQuote, b'"'),
                (T.QuotedLit, b"a"),
                (T.QuotedNewline, b"\n"),
                (T.QuotedLit, b"b"),
                (T.CQuote, b'"'),
            ],
            id="quoted-newline",
        ),
        pytest.param(
            b"<<EOF\nhi\nEOF\n",
            [(T.OHeredoc, b"<<EOF\n"), (T.StringLit, b"hi\n"), (T.CHeredoc, b"EOF"), (T.Newline, b"\n")],
            id="heredoc",
        ),
        pytest.param(
            b"<<-EOF\n  a${b}\n  EOF",
            [
                (T.OHeredoc, b"<<-EOF\n"),
                (T.StringLit, b"  a"),
                (T.TemplateInterp, b"${"),
                (T.Ident, b"b"),
                (T.TemplateSeqEnd, b"}"),
                (T.StringLit, b"\n"),
                (T.CHeredoc, b"  EOF"),
            ],
            id="flush-heredoc",
        ),
        pytest.param(
            b"<<EOF\nEOFX\nEOF\n",
            [(T.OHeredoc, b"<<EOF\n"), (T.StringLit, b"EOFX\n"), (T.CHeredoc, b"EOF"), (T.Newline, b"\n")],
            id="heredoc-marker-prefix",
        ),
        pytest.param(
            b"a<<b",
            [(T.Ident, b"a"), (T.LessThan, b"<"), (T.LessThan, b"<"), (T.Ident, b"b")],
            id="not-a-heredoc",
        ),
        pytest.param(
            b"& | ~ ^ ' ` ; **",
            [
                (T.BitwiseAnd, b"&"),
                (T.BitwiseOr, b"|"),
                (T.BitwiseNot, b"~"),
                (T.BitwiseXor, b"^"),
                (T.Apostrophe, b"'"),
                (T.Backtick, b"`"),
                (T.Semicolon, b";"),
                (T.StarStar, b"**"),
            ],
            id="foreign-operators",
        ),
        pytest.param(b"\xff@", [(T.BadUTF8, b"\xff"), (T.Invalid, b"@")], id="bad-bytes"),
        pytest.param("é-x".encode(), [(T.Ident, "é-x".encode())], id="unicode-ident"),
        pytest.param("\u00a0".encode(), [(T.Invalid, "\u00a0".encode())], id="unicode-non-ident"),
    ],
)
def test_scan_config_tokens(src: bytes, expected: list[tuple[T, bytes]]) -> None:
    assert kinds(src) == expected + [(T.EOF, b"")]


def test_ranges_count_lines_and_characters() -> None:
    tokens = scan_config('x = "é"\ny'.encode(), "t.hcl")

    lit = tokens[3]
    last = tokens[-2]

    assert lit.type is T.QuotedLit
    assert (lit.range.start, lit.range.end) == (Pos(1, 6, 5), Pos(1, 7, 7))
    assert (last.range.start, last.range.end) == (Pos(2, 1, 9), Pos(2, 2, 10))


def test_start_position_offsets_ranges() -> None:
    tokens = scan_config(b"a\nb", "t.hcl", Pos(5, 10, 100))

    assert tokens[0].range.start == Pos(5, 10, 100)
    assert tokens[2].range.start == Pos(6, 1, 102)


def test_scan_template_keeps_literals() -> None:
    tokens = scan_template(b"a ${b}\n%{ if c }d%{ endif }", "t.tpl")

    assert [t.type for t in tokens] == [
        T.StringLit,
        T.TemplateInterp,
        T.Ident,
        T.TemplateSeqEnd,
        T.StringLit,
        T.TemplateControl,
        T.Ident,
        T.Ident,
        T.TemplateSeqEnd,
        T.StringLit,
        T.TemplateControl,
        T.Ident,
        T.TemplateSeqEnd,
        T.EOF,
    ]


@pytest.mark.parametrize(
    "src",
    [
        b'block "a" {\n  x = "${y}" # c\n  z = <<EOF\n  ${q}\nEOF\n}\n',
        b'"unterminated ${ a',
        b"<<EOF\nnever closed",
        b"/* open",
        b"}}} ${ ~} \xff\xfe \r\n",
    ],
)
def test_tokens_cover_every_non_blank_byte(src: bytes) -> None:
    tokens = scan_config(src, "t.hcl")

    position = 0
    for token in tokens:
        gap = src[position : token.range.start.byte]
        assert gap.strip(b" \t") == b"", f"bytes {gap!r} before {token} belong to no token"
        assert src[token.range.start.byte : token.range.end.byte] == token.bytes
        position = token.range.end.byte
    assert position == len(src)


def test_columns_on_long_non_ascii_line() -> None:
    src = ("x = [" + ", ".join('"é"' for _ in range(3000)) + "]").encode()

    tokens = scan_config(src, "t.hcl")

    last_literal = [t for t in tokens if t.type is T.QuotedLit][-1]
    expected_column = 6 + 2999 * 5 + 1
    assert last_literal.range.start.column == expected_column
    assert last_literal.range.end.column == expected_column + 1


def test_start_column_offsets_first_line_only() -> None:
    tokens = scan_config("é a\nb".encode(), "t.hcl", Pos(3, 7, 50))

    assert tokens[1].range.start == Pos(3, 9, 53)
    assert tokens[3].range.start == Pos(4, 1, 55)


def test_columns_match_character_counts_on_mixed_lines() -> None:
    src = 'a = "é"\nb = "x"\n# ü comment\nc = <<EOF\n  ñ ${d}\nEOF\ne = "${"ö"}" + 1\n'.encode()

    for token in scan_config(src, "t.hcl"):
        for pos in (token.range.start, token.range.end):
            line_start = src.rfind(b"\n", 0, pos.byte) + 1
            expected = len(src[line_start : pos.byte].decode()) + 1
            assert (pos.column, pos.line) == (expected, src[: pos.byte].count(b"\n") + 1), token
