"""Split JSON source into tokens that carry their ranges (line, column and byte offset).

Like HCL's own JSON scanner this pass is lax. It marks where a string, number or keyword
starts and ends, and leaves the validation of its contents to the parser. The parser can
then report a precise problem ("Invalid JSON keyword ... Did you mean "true"?"). Scanning
stops at the first byte that cannot start any token, because the parser cannot go past it.

Columns count Unicode code points, so a tab is one column, as in the native syntax scanner
(HCL's Go JSON scanner counts a tab as two columns and a grapheme cluster as one).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kiln.hcl.diagnostics import Pos, Range


class TokenType(enum.StrEnum):
    BRACE_OPEN = "{"
    BRACE_CLOSE = "}"
    BRACKET_OPEN = "["
    BRACKET_CLOSE = "]"
    COMMA = ","
    COLON = ":"
    # Never valid in JSON; scanned so that the parser can point out HCL's `=` by mistake.
    EQUALS = "="
    STRING = "string"
    NUMBER = "number"
    KEYWORD = "keyword"
    INVALID = "invalid"
    EOF = "end of file"


@dataclass(frozen=True, slots=True)
class Token:
    type: TokenType
    text: bytes
    range: Range


_PUNCTUATION = {ord(char): TokenType(char) for char in "{}[],:="}
_NUMBER_START = frozenset(b"-+.0123456789")
_NUMBER_BODY = frozenset(b"-+.eE0123456789")
_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_KEYWORD_BODY = _LETTERS | {ord("_")}


class _Cursor:
    """A byte offset into the source with the line and column it corresponds to."""

    def __init__(self, src: bytes, filename: str) -> None:
        self.src = src
        self.filename = filename
        self.offset = 0
        self.line = 1
        self.column = 1

    def pos(self) -> Pos:
        return Pos(self.line, self.column, self.offset)

    def advance(self, count: int) -> None:
        """Move past `count` bytes that contain no newline."""
        end = self.offset + count
        # A continuation byte of a UTF-8 sequence does not start a new column.
        self.column += sum(1 for byte in self.src[self.offset : end] if byte & 0xC0 != 0x80)
        self.offset = end

    def skip_whitespace(self) -> None:
        src = self.src
        while self.offset < len(src):
            byte = src[self.offset]
            if byte == 0x0A:
                self.line += 1
                self.column = 1
            elif byte == 0x0D:
                # A carriage return takes no column: it pairs with the newline after it.
                pass
            elif byte in (0x20, 0x09):
                self.column += 1
            else:
                return
            self.offset += 1


def scan(src: bytes, filename: str) -> list[Token]:
    """Return the tokens of `src`, always ending with an EOF token."""
    cursor = _Cursor(src, filename)
    tokens: list[Token] = []
    while True:
        cursor.skip_whitespace()
        start = cursor.pos()
        if cursor.offset >= len(src):
            tokens.append(Token(TokenType.EOF, b"", Range(filename, start, start)))
            return tokens

        first = src[cursor.offset]
        if first in _PUNCTUATION:
            length, kind = 1, _PUNCTUATION[first]
        elif first == ord('"'):
            length, kind = _string_length(src, cursor.offset), TokenType.STRING
        elif first in _NUMBER_START:
            length, kind = _run_length(src, cursor.offset, _NUMBER_BODY), TokenType.NUMBER
        elif first in _LETTERS:
            length, kind = _run_length(src, cursor.offset, _KEYWORD_BODY), TokenType.KEYWORD
        else:
            length, kind = _character_length(src, cursor.offset), TokenType.INVALID

        cursor.advance(length)
        text = src[start.byte : cursor.offset]
        tokens.append(Token(kind, text, Range(filename, start, cursor.pos())))
        if kind is TokenType.INVALID:
            end = cursor.pos()
            tokens.append(Token(TokenType.EOF, b"", Range(filename, end, end)))
            return tokens


def _run_length(src: bytes, start: int, allowed: frozenset[int]) -> int:
    end = start
    while end < len(src) and src[end] in allowed:
        end += 1
    return end - start


def _string_length(src: bytes, start: int) -> int:
    """Return the length of the string token at `start`, closing quote included if present.

    The token ends at the closing quote, before a control character or at the end of input.
    The parser reports the last two cases as an unterminated string.
    """
    end = start + 1
    escaping = False
    while end < len(src):
        byte = src[end]
        if byte < 0x20:
            break
        end += 1
        if byte == ord('"') and not escaping:
            break
        escaping = byte == ord("\\") and not escaping
    return end - start


def _character_length(src: bytes, start: int) -> int:
    """Return the byte length of the UTF-8 sequence at `start` (1 for a stray byte)."""
    end = start + 1
    while end < len(src) and end - start < 4 and src[end] & 0xC0 == 0x80:
        end += 1
    return end - start
