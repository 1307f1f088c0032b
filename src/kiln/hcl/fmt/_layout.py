"""Canonical HCL layout on a token stream, as hclwrite's `Format` does (hashicorp/hcl v2).

Formatting changes only the spaces before tokens, never the tokens themselves, in three
passes over the source lines:

1. indentation: two spaces per level of brackets left open by the lines above;
2. spacing: one space or none between neighbouring tokens of a line, by token types;
3. alignment: the `=` of attributes on consecutive lines, and trailing comments on
   consecutive lines, line up in one column.

Each line is split into up to three cells: the lead (everything up to the others), the
assignment (from a `=` to the end of the expression, when the expression closes on the
same line) and a trailing single-line comment. Heredoc bodies and multi-line comments are
single tokens or belong to the line that opens them, so their text is kept as it is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from kiln.hcl.syntax.tokens import Token, TokenType

_OPENERS = frozenset(
    {
        TokenType.OBrace,
        TokenType.OBrack,
        TokenType.OParen,
        TokenType.TemplateControl,
        TokenType.TemplateInterp,
    }
)
_CLOSERS = frozenset({TokenType.CBrace, TokenType.CBrack, TokenType.CParen, TokenType.TemplateSeqEnd})
_TEMPLATE_TEXT = frozenset({TokenType.QuotedLit, TokenType.StringLit})
# After one of these a minus sign starts a negative number rather than a subtraction.
_BEFORE_NEGATION = frozenset(
    {
        TokenType.Nil,
        TokenType.OParen,
        TokenType.OBrace,
        TokenType.OBrack,
        TokenType.Equal,
        TokenType.Colon,
        TokenType.Comma,
        TokenType.Question,
        TokenType.Plus,
        TokenType.Star,
        TokenType.Slash,
        TokenType.Percent,
        TokenType.Minus,
        TokenType.EqualOp,
        TokenType.NotEqual,
        TokenType.GreaterThan,
        TokenType.GreaterThanEq,
        TokenType.LessThan,
        TokenType.LessThanEq,
        TokenType.And,
        TokenType.Or,
        TokenType.Bang,
    }
)


@dataclass(slots=True, eq=False)
class WriterToken:
    """A token without position, with the number of spaces written before it."""

    type: TokenType
    bytes: bytes
    spaces_before: int = 0


_NIL = WriterToken(TokenType.Nil, b"")


def writer_tokens(tokens: list[Token]) -> list[WriterToken]:
    """Convert scanned tokens, recording the gap before each one as a count of spaces.

    The gap between two scanned tokens is only spaces and tabs, so each of its bytes becomes
    one space.
    """
    result = []
    previous_end = 0
    for token in tokens:
        result.append(WriterToken(token.type, token.bytes, token.range.start.byte - previous_end))
        previous_end = token.range.end.byte
    return result


def render(tokens: list[WriterToken]) -> bytes:
    return b"".join(b" " * token.spaces_before + token.bytes for token in tokens)


def columns(tokens: list[WriterToken]) -> int:
    """Return the display width of a run of tokens on one line, in characters."""
    width = 0
    for token in tokens:
        width += token.spaces_before
        text = token.bytes.decode("utf-8", errors="replace")
        # NOTE: hclwrite counts grapheme clusters. Counting code points that are not combining
        # marks or joiners gives the same width except for joined emoji and a few scripts.
        width += sum(1 for char in text if not unicodedata.combining(char) and char not in "\u200d\ufe0f")
    return width


@dataclass(slots=True)
class _Line:
    lead: list[WriterToken]
    assign: list[WriterToken] | None = None
    comment: list[WriterToken] | None = None


def format_tokens(tokens: list[WriterToken]) -> None:
    """Set the spaces before each token to the canonical layout, in place."""
    lines = _split_lines(tokens)
    _format_indent(lines)
    _format_spaces(lines)
    _format_cells(lines)


def _ends_line(token: WriterToken) -> bool:
    # A single-line comment includes the newline that ends it.
    return token.type is TokenType.Newline or (
        token.type is TokenType.Comment and token.bytes.endswith(b"\n")
    )


def _bracket_change(token: WriterToken) -> int:
    if token.type in _OPENERS:
        return 1
    if token.type in _CLOSERS:
        return -1
    return 0


def _split_lines(tokens: list[WriterToken]) -> list[_Line]:
    lines: list[_Line] = []
    current: list[WriterToken] = []
    for token in tokens:
        if token.type is TokenType.EOF:
            break
        current.append(token)
        if _ends_line(token):
            lines.append(_Line(current))
            current = []
    lines.append(_Line(current))

    for line in lines:
        _split_cells(line)
    return lines


def _split_cells(line: _Line) -> None:
    lead = line.lead
    if len(lead) > 1 and lead[-1].type is TokenType.Comment:
        line.comment = lead[-1:]
        lead = line.lead = lead[:-1]

    for index, token in enumerate(lead):
        if index > 0 and token.type is TokenType.Equal:
            # Only an expression that closes on this line is aligned; one that opens a
            # bracket continues below and stays where it is.
            if sum(_bracket_change(t) for t in lead[index:]) == 0:
                line.assign = lead[index:]
                line.lead = lead[:index]
            return


def _format_indent(lines: list[_Line]) -> None:
    # Each entry counts the brackets that one line left open. A line that closes brackets
    # pops entries until that many are closed, so unbalanced lines cannot drift the indent.
    open_counts: list[int] = []
    for line in lines:
        if not line.lead:
            continue
        first = line.lead[0]
        if first.type is TokenType.Newline:
            first.spaces_before = 0
            continue

        net = 0
        for token in line.lead:
            net += _bracket_change(token)
            if token.type is TokenType.OHeredoc:
                break
        for token in line.assign or ():
            net += _bracket_change(token)

        if net < 0:
            closed = -net
            while closed > 0 and open_counts:
                if closed >= open_counts[-1]:
                    closed -= open_counts.pop()
                else:
                    open_counts[-1] -= closed
                    closed = 0
        first.spaces_before = 2 * len(open_counts)
        if net > 0:
            open_counts.append(net)


def _format_spaces(lines: list[_Line]) -> None:
    for line in lines:
        _space_cell(line.lead)
        if line.assign:
            line.assign[0].spaces_before = 1
            _space_cell(line.assign)


def _space_cell(cell: list[WriterToken]) -> None:
    for index in range(len(cell) - 1):
        before = cell[index - 1] if index > 0 else _NIL
        after = cell[index + 1]
        after.spaces_before = 1 if _space_after(cell[index], before, after) else 0


def _format_cells(lines: list[_Line]) -> None:
    _align(lines, lambda line: line.assign, lambda line: columns(line.lead))
    _align(lines, lambda line: line.comment, lambda line: columns(line.lead) + columns(line.assign or []))


def _align(lines: list[_Line], cell_of, width_of) -> None:  # type: ignore[no-untyped-def]
    """Line up the first token of a cell across each run of consecutive lines that have it."""
    run: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and cell_of(line) is not None:
            run.append(line)
            continue
        if run:
            widest = max(width_of(member) for member in run)
            for member in run:
                cell_of(member)[0].spaces_before = widest - width_of(member) + 1
            run = []


def _space_after(subject: WriterToken, before: WriterToken, after: WriterToken) -> bool:
    """Return whether one space separates `subject` from the `after` token on its line."""
    kind, next_kind = subject.type, after.type
    if next_kind in (TokenType.Newline, TokenType.Nil):
        return False
    if kind is TokenType.Ident and next_kind is TokenType.OParen:
        return False
    if TokenType.Dot in (kind, next_kind):
        return False
    if next_kind in (TokenType.Comma, TokenType.Ellipsis):
        return False
    if kind is TokenType.Comma:
        return True
    if (
        kind in _TEMPLATE_TEXT
        or kind in (TokenType.OQuote, TokenType.OHeredoc)
        or next_kind in _TEMPLATE_TEXT
        or next_kind in (TokenType.CQuote, TokenType.CHeredoc)
    ):
        return False
    if kind is TokenType.Ident and subject.bytes == b"in" and before.type is TokenType.Ident:
        # `for x in [a]` keeps the space, though `in` looks like a name being indexed.
        return True
    if next_kind is TokenType.OBrack and (
        kind in (TokenType.Ident, TokenType.NumberLit) or _bracket_change(subject) < 0
    ):
        return False
    if kind is TokenType.Bang:
        return False
    if kind is TokenType.Minus:
        return before.type not in _BEFORE_NEGATION
    if kind is TokenType.OBrace or next_kind is TokenType.CBrace:
        return not (kind is TokenType.OBrace and next_kind is TokenType.CBrace)
    if kind in (TokenType.TemplateInterp, TokenType.TemplateControl) and next_kind is TokenType.OBrace:
        return True
    if kind is TokenType.CBrace and next_kind is TokenType.TemplateSeqEnd:
        return True
    if kind is TokenType.TemplateSeqEnd and next_kind in (
        TokenType.TemplateInterp,
        TokenType.TemplateControl,
    ):
        return False
    if _bracket_change(subject) > 0:
        return False
    # No space before a closing bracket; every other pair of tokens is space-separated.
    return _bracket_change(after) >= 0
