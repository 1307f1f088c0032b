"""The scanner of HCL's native syntax: source bytes to a flat list of tokens.

The scanner never fails. Bytes it cannot place become `Invalid` or `BadUTF8` tokens, and the
parser turns those into diagnostics. Token types and their boundaries follow hclsyntax, so a
token stream reads as it does there:

- A quoted string is `OQuote`, then `QuotedLit` chunks (escapes still raw), `TemplateInterp` /
  `TemplateControl` ... `TemplateSeqEnd` sequences, and `CQuote`. A newline inside a quoted
  string is a `QuotedNewline` token.
- A heredoc is `OHeredoc` (the `<<EOF` marker and its newline), one `StringLit` per line or
  per chunk between sequences, and `CHeredoc` (the closing marker with its indentation).
- A `#` or `//` comment includes the newline that ends it.

Every byte of the input belongs to exactly one token except runs of spaces and tabs between
tokens in expression context. Those are skipped as in hclsyntax, so the bytes between two
consecutive tokens are always only spaces and tabs. The stream ends with one `EOF` token.

    tokens = scan_config(b'a = "x"\\n', "main.pkr.hcl")
    [t.type for t in tokens]  # Ident, Equal, OQuote, QuotedLit, CQuote, Newline, EOF
"""

from __future__ import annotations

import enum
import re

from kiln.hcl.diagnostics import Pos, Range
from kiln.hcl.record import Record

__all__ = ["Token", "TokenType", "scan_config", "scan_template"]


class TokenType(enum.StrEnum):
    """The kind of a token. Member names follow hclsyntax's `Token*` constants."""

    OBrace = "{"
    CBrace = "}"
    OBrack = "["
    CBrack = "]"
    OParen = "("
    CParen = ")"
    OQuote = "«"
    CQuote = "»"
    OHeredoc = "H"
    CHeredoc = "h"

    Star = "*"
    Slash = "/"
    Plus = "+"
    Minus = "-"
    Percent = "%"

    Equal = "="
    EqualOp = "≔"
    NotEqual = "≠"
    LessThan = "<"
    LessThanEq = "≤"
    GreaterThan = ">"
    GreaterThanEq = "≥"

    And = "∧"
    Or = "∨"
    Bang = "!"

    Dot = "."
    Comma = ","

    Ellipsis = "…"
    FatArrow = "⇒"

    Question = "?"
    Colon = ":"

    TemplateInterp = "∫"
    TemplateControl = "λ"
    TemplateSeqEnd = "∎"

    QuotedLit = "Q"
    StringLit = "S"
    NumberLit = "N"
    Ident = "I"

    Comment = "C"

    Newline = "\n"
    EOF = "␄"

    # Not part of the language, but recognized so the parser can explain the mistake.
    BitwiseAnd = "&"
    BitwiseOr = "|"
    BitwiseNot = "~"
    BitwiseXor = "^"
    StarStar = "➚"
    Apostrophe = "'"
    Backtick = "`"
    Semicolon = ";"
    Invalid = "�"
    BadUTF8 = "💩"
    QuotedNewline = "␤"

    # A placeholder for "no token" in parser bookkeeping; the scanner never produces it.
    Nil = "\x00"


class Token(Record):
    """One token: its type, its exact source bytes and where they are."""

    type: TokenType
    bytes: bytes
    range: Range

    __slots__ = ("bytes", "range", "type")

    def __init__(self, type: TokenType, bytes: bytes, range: Range) -> None:
        self.type = type
        self.bytes = bytes
        self.range = range

    def __repr__(self) -> str:
        return f"Token({self.type.name}, {self.bytes!r}, {self.range})"


# Operators and punctuation in expression context, longest first.
_PUNCTUATION: dict[bytes, TokenType] = {
    b"==": TokenType.EqualOp,
    b"!=": TokenType.NotEqual,
    b"<=": TokenType.LessThanEq,
    b">=": TokenType.GreaterThanEq,
    b"&&": TokenType.And,
    b"||": TokenType.Or,
    b"...": TokenType.Ellipsis,
    b"=>": TokenType.FatArrow,
    b"**": TokenType.StarStar,
    b"{": TokenType.OBrace,
    b"}": TokenType.CBrace,
    b"[": TokenType.OBrack,
    b"]": TokenType.CBrack,
    b"(": TokenType.OParen,
    b")": TokenType.CParen,
    b"*": TokenType.Star,
    b"/": TokenType.Slash,
    b"+": TokenType.Plus,
    b"-": TokenType.Minus,
    b"%": TokenType.Percent,
    b"=": TokenType.Equal,
    b"<": TokenType.LessThan,
    b">": TokenType.GreaterThan,
    b"!": TokenType.Bang,
    b".": TokenType.Dot,
    b",": TokenType.Comma,
    b"?": TokenType.Question,
    b":": TokenType.Colon,
    b"&": TokenType.BitwiseAnd,
    b"|": TokenType.BitwiseOr,
    b"~": TokenType.BitwiseNot,
    b"^": TokenType.BitwiseXor,
    b"'": TokenType.Apostrophe,
    b"`": TokenType.Backtick,
    b";": TokenType.Semicolon,
}

# Identifiers are Unicode ID_Start ID_Continue* plus "-". A bytes pattern cannot test Unicode
# classes, so non-ASCII bytes are accepted here and checked after decoding.
_IDENT = rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\-\x80-\xff]*"

# Leading spaces and tabs are consumed with the token that follows them, so the scanner makes
# one regex match per token; a run of blanks at the end of the input matches on its own.
#
# Alternatives that can start with the same byte keep their order (a comment before the `/`
# operator, a heredoc before `<`, `~}` before `~`). Identifiers, newlines and strings, the most
# common tokens, come first. Runs of plain characters are matched whole inside repeated groups,
# because the regex engine is far slower when it enters a group once per character. The runs
# are possessive (`++`, Python 3.11) so that a failed match never retries shorter runs, which
# would take exponential time on a long unterminated string.
_NORMAL = re.compile(
    rb"[ \t]*(?:"
    rb"(?P<ident>" + _IDENT + rb")"
    rb"|(?P<newline>\r?\n)"
    # A whole quoted string without template sequences or newlines, scanned in one step.
    rb'|(?P<string>"(?:[^"\\$%\r\n]++|\$\$\{|%%\{|\\[^\r\n]|\$(?!\{)|%(?!\{))*")'
    rb"|(?P<quote>\")"
    rb"|(?P<comment>(?:\#|//)[^\n]*\n?|/\*.*?(?:\*/|\Z))"
    rb"|(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    rb"|(?P<heredoc><<-?(?P<marker>" + _IDENT + rb")\r?\n)"
    rb"|(?P<seq_end>~\})"
    rb"|(?P<punct>==|!=|<=|>=|&&|\|\||\.\.\.|=>|\*\*|[{}\[\]()*/+\-%=<>!.,?:&|~^'`;])"
    rb"|(?P<space>\Z))",
    re.DOTALL,
)

# Template literal chunks. `$${` and `%%{` are escapes for a literal `${` and `%{`, and a lone
# `$` or `%` is literal. Quoted literals also carry backslash escapes and stop at newlines.
_QUOTED_LIT = re.compile(
    rb'(?:[^"\\$%\r\n]++|\\[^\r\n]|\$\$\{|%%\{|\$(?!\{)|%(?!\{)|\\(?=[\r\n]|\Z)|\r(?!\n))+'
)
_STRING_LIT = re.compile(
    rb"(?:[^$%\n]++|\$\$\{|%%\{|\$(?!\{)|%(?!\{))*\n|(?:[^$%\n]++|\$\$\{|%%\{|\$(?!\{)|%(?!\{))+"
)
_SEQ_START = re.compile(rb"(?:\$\{|%\{)~?")
_NEWLINE = re.compile(rb"\r?\n")

_UTF8_CHAR = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


# Pos and Range are named tuples. Building them through tuple.__new__ skips the Python-level
# __new__ that named tuples generate, which matters at two positions per token.
_new = tuple.__new__


class _Mode(enum.Enum):
    NORMAL = enum.auto()
    QUOTED = enum.auto()
    HEREDOC = enum.auto()
    TEMPLATE = enum.auto()


class _Heredoc(Record):
    marker: bytes
    at_line_start: bool

    __slots__ = ("at_line_start", "marker")

    def __init__(self, marker: bytes, at_line_start: bool = True) -> None:
        self.marker = marker
        self.at_line_start = at_line_start


class _Scanner:
    """Scanner state: turns source into tokens with a stack of nested contexts (braces, strings, sequences)."""

    def __init__(self, src: bytes, filename: str, start: Pos) -> None:
        self.src = src
        self.filename = filename
        self.tokens: list[Token] = []
        self.byte_base = start.byte
        self.line = start.line
        # Byte offset (in `src`) where the current line starts; may be negative so that the
        # first line's columns continue from `start.column`.
        self.line_start = -(start.column - 1)
        self.all_ascii = src.isascii()
        # Whether the current line is ASCII, so columns are byte differences. Updated per line
        # unless the whole source is ASCII.
        self.ascii = self.all_ascii or self._line_is_ascii(0)
        # (byte offset, column) of the last non-ASCII position computed; see `_pos`.
        self.column_anchor = (0, start.column)
        # Each entry is a mode to return to: NORMAL for "{", or the template mode an
        # interpolation or directive opened from. HEREDOC entries carry their marker.
        self.stack: list[tuple[_Mode, _Heredoc | None]] = []

    # Positions ----------------------------------------------------------------------------

    def _line_is_ascii(self, line_start: int) -> bool:
        line_end = self.src.find(b"\n", line_start)
        return self.src[line_start : line_end if line_end >= 0 else len(self.src)].isascii()

    def _pos(self, offset: int) -> Pos:
        line_start = self.line_start
        if self.ascii or offset <= line_start:
            column = offset - line_start + 1
        else:
            # Count characters from the last position computed on this line, so a long line
            # of many tokens costs linear time rather than quadratic.
            anchor, anchor_column = self.column_anchor
            if anchor < max(line_start, 0) or anchor > offset:
                anchor, anchor_column = max(line_start, 0), 1 + max(-line_start, 0)
            column = anchor_column + len(self.src[anchor:offset].decode("utf-8", "replace"))
            self.column_anchor = (offset, column)
        return Pos(self.line, column, offset + self.byte_base)

    def emit(self, type_: TokenType, begin: int, end: int) -> None:
        text = self.src[begin:end]
        if self.ascii:
            line_start = self.line_start
            start = _new(Pos, (self.line, begin - line_start + 1, begin + self.byte_base))
        else:
            start = self._pos(begin)
        if b"\n" in text:
            self.line += text.count(b"\n")
            self.line_start = begin + text.rindex(b"\n") + 1
            if not self.all_ascii:
                self.ascii = self._line_is_ascii(self.line_start)
            finish = self._pos(end)
        elif self.ascii:
            finish = _new(Pos, (start.line, end - line_start + 1, end + self.byte_base))
        else:
            finish = self._pos(end)
        self.tokens.append(Token(type_, text, _new(Range, (self.filename, start, finish))))

    # Modes --------------------------------------------------------------------------------

    def run(self, mode: _Mode) -> list[Token]:
        heredoc: _Heredoc | None = None
        offset = 0
        size = len(self.src)
        while offset < size:
            if mode is _Mode.NORMAL:
                offset, mode, heredoc = self.scan_normal(offset)
            elif mode is _Mode.HEREDOC:
                assert heredoc is not None
                offset, mode, heredoc = self.scan_heredoc(offset, heredoc)
            else:
                offset, mode = self.scan_template(offset, mode)
        self.emit(TokenType.EOF, size, size)
        return self.tokens

    def scan_normal(self, offset: int) -> tuple[int, _Mode, _Heredoc | None]:
        """Scan expression tokens until a quote, heredoc or sequence end changes the mode."""
        src = self.src
        size = len(src)
        match_at = _NORMAL.match
        append = self.tokens.append
        filename = self.filename
        base = self.byte_base
        punctuation = _PUNCTUATION
        # Locals, not globals, in the loop that runs once per token.
        new, pos_type, range_type, token_type = _new, Pos, Range, Token
        ident_type, newline_type = TokenType.Ident, TokenType.Newline
        while offset < size:
            m = match_at(src, offset)
            if m is None:
                # Only blanks were consumed before a byte no pattern accepts.
                offset = self.emit_invalid(
                    offset + len(src[offset:size]) - len(src[offset:size].lstrip(b" \t"))
                )
                continue
            kind = m.lastgroup
            # Every named group ends where the match ends.
            begin, end = m.span(kind)
            if kind == "ident" or kind == "punct" or kind == "number":
                text = src[begin:end]
                if kind == "ident":
                    type_ = ident_type if text.isascii() else _ident_type(text)
                elif kind == "punct":
                    type_ = punctuation[text]
                    if type_ is TokenType.OBrace:
                        self.stack.append((_Mode.NORMAL, None))
                    elif type_ is TokenType.CBrace and self.stack:
                        return_mode, heredoc = self.stack.pop()
                        if return_mode is not _Mode.NORMAL:
                            self.emit(TokenType.TemplateSeqEnd, begin, end)
                            return end, return_mode, heredoc
                else:
                    type_ = TokenType.NumberLit
                if self.ascii:
                    # The common case, inlined: a single-line token in ASCII source.
                    line = self.line
                    line_start = self.line_start
                    start = new(pos_type, (line, begin - line_start + 1, begin + base))
                    finish = new(pos_type, (line, end - line_start + 1, end + base))
                    append(token_type(type_, text, new(range_type, (filename, start, finish))))
                else:
                    self.emit(type_, begin, end)
            elif kind == "newline":
                if self.all_ascii:
                    # Inlined as above: a newline ends the line, so the next column is 1.
                    line = self.line
                    start = new(pos_type, (line, begin - self.line_start + 1, begin + base))
                    finish = new(pos_type, (line + 1, 1, end + base))
                    append(
                        token_type(newline_type, src[begin:end], new(range_type, (filename, start, finish)))
                    )
                    self.line = line + 1
                    self.line_start = end
                else:
                    self.emit(TokenType.Newline, begin, end)
            elif kind == "string":
                self.emit_simple_string(begin, end)
            elif kind == "comment":
                self.emit(TokenType.Comment, begin, end)
            elif kind == "quote":
                self.emit(TokenType.OQuote, begin, end)
                self.stack.append((_Mode.NORMAL, None))
                return end, _Mode.QUOTED, None
            elif kind == "heredoc":
                self.emit(TokenType.OHeredoc, begin, end)
                self.stack.append((_Mode.NORMAL, None))
                return end, _Mode.HEREDOC, _Heredoc(m.group("marker"))
            elif kind == "seq_end":
                if self.stack and self.stack[-1][0] is not _Mode.NORMAL:
                    return_mode, heredoc = self.stack.pop()
                    self.emit(TokenType.TemplateSeqEnd, begin, end)
                    return end, return_mode, heredoc
                self.emit(TokenType.BitwiseNot, begin, begin + 1)
                end = begin + 1
            offset = end
        return offset, _Mode.NORMAL, None

    def emit_simple_string(self, begin: int, end: int) -> None:
        """Emit OQuote, QuotedLit (unless empty) and CQuote for a string with no sequences."""
        if not self.ascii:
            self.emit(TokenType.OQuote, begin, begin + 1)
            if end - begin > 2:
                self.emit(TokenType.QuotedLit, begin + 1, end - 1)
            self.emit(TokenType.CQuote, end - 1, end)
            return

        src = self.src
        filename = self.filename
        append = self.tokens.append
        line = self.line
        column = begin - self.line_start + 1
        byte = begin + self.byte_base
        open_end = _new(Pos, (line, column + 1, byte + 1))
        append(
            Token(TokenType.OQuote, b'"', _new(Range, (filename, _new(Pos, (line, column, byte)), open_end)))
        )
        close_start = open_end
        if end - begin > 2:
            width = end - begin - 1
            close_start = _new(Pos, (line, column + width, byte + width))
            append(
                Token(
                    TokenType.QuotedLit,
                    src[begin + 1 : end - 1],
                    _new(Range, (filename, open_end, close_start)),
                )
            )
        close_end = _new(Pos, (line, close_start.column + 1, close_start.byte + 1))
        append(Token(TokenType.CQuote, b'"', _new(Range, (filename, close_start, close_end))))

    def scan_template(self, offset: int, mode: _Mode) -> tuple[int, _Mode]:
        """Scan a quoted string's contents or a bare template until a mode change."""
        src = self.src
        quoted = mode is _Mode.QUOTED
        literal = _QUOTED_LIT if quoted else _STRING_LIT
        lit_type = TokenType.QuotedLit if quoted else TokenType.StringLit
        size = len(src)
        while offset < size:
            m = literal.match(src, offset)
            if m is not None and m.end() > offset:
                self.emit(lit_type, offset, m.end())
                offset = m.end()
                continue
            m = _SEQ_START.match(src, offset)
            if m is not None:
                return self.open_sequence(m, mode, None), _Mode.NORMAL
            if quoted and src[offset] == 0x22:  # '"'
                self.emit(TokenType.CQuote, offset, offset + 1)
                self.stack.pop()
                return offset + 1, _Mode.NORMAL
            m = _NEWLINE.match(src, offset)
            if m is None:  # unreachable: the literal patterns consume everything else
                raise AssertionError(f"template scanner stuck at byte {offset}")
            self.emit(TokenType.QuotedNewline, offset, m.end())
            offset = m.end()
        return offset, mode

    def scan_heredoc(self, offset: int, heredoc: _Heredoc) -> tuple[int, _Mode, _Heredoc | None]:
        """Scan heredoc lines until the line that contains only the closing marker."""
        src = self.src
        size = len(src)
        while offset < size:
            if heredoc.at_line_start:
                close = _closing_marker(src, offset, heredoc.marker)
                if close is not None:
                    self.emit(TokenType.CHeredoc, offset, close)
                    self.stack.pop()
                    return close, _Mode.NORMAL, None
            m = _STRING_LIT.match(src, offset)
            if m is not None and m.end() > offset:
                self.emit(TokenType.StringLit, offset, m.end())
                offset = m.end()
                heredoc.at_line_start = src[offset - 1] == 0x0A
                continue
            m = _SEQ_START.match(src, offset)
            assert m is not None, "heredoc literal pattern leaves only sequence starts"
            heredoc.at_line_start = False
            return self.open_sequence(m, _Mode.HEREDOC, heredoc), _Mode.NORMAL, None
        return offset, _Mode.HEREDOC, heredoc

    def open_sequence(self, m: re.Match[bytes], mode: _Mode, heredoc: _Heredoc | None) -> int:
        type_ = TokenType.TemplateInterp if m.group().startswith(b"$") else TokenType.TemplateControl
        self.emit(type_, m.start(), m.end())
        self.stack.append((mode, heredoc))
        return m.end()

    def emit_invalid(self, offset: int) -> int:
        """Emit one character that no pattern accepts: a valid UTF-8 sequence or a bad byte."""
        m = _UTF8_CHAR.match(self.src, offset)
        if m is not None:
            self.emit(TokenType.Invalid, offset, m.end())
            return m.end()
        type_ = TokenType.BadUTF8 if self.src[offset] >= 0x80 else TokenType.Invalid
        self.emit(type_, offset, offset + 1)
        return offset + 1


def _ident_type(text: bytes) -> TokenType:
    if text.isascii():
        return TokenType.Ident
    try:
        name = text.decode("utf-8")
    except UnicodeDecodeError:
        return TokenType.BadUTF8
    return TokenType.Ident if name.replace("-", "_").isidentifier() else TokenType.Invalid


def _closing_marker(src: bytes, offset: int, marker: bytes) -> int | None:
    """Return where a heredoc's closing line ends (before its newline) if it starts at `offset`."""
    end = offset
    size = len(src)
    while end < size and src[end] in b" \t":
        end += 1
    if not src.startswith(marker, end):
        return None
    end += len(marker)
    if end == size or src[end] == 0x0A or src.startswith(b"\r\n", end):
        return end
    return None


# The default start of a source: line 1, column 1, byte 0. Pos is immutable, so one is shared.
_FILE_START = Pos()


def scan_config(src: bytes, filename: str, start: Pos = _FILE_START) -> list[Token]:
    """Scan a whole configuration file (or a single expression) into tokens."""
    return _Scanner(src, filename, start).run(_Mode.NORMAL)


def scan_template(src: bytes, filename: str, start: Pos = _FILE_START) -> list[Token]:
    """Scan a bare template, as found in a file rendered by `templatefile`, into tokens."""
    return _Scanner(src, filename, start).run(_Mode.TEMPLATE)
