"""A JSON reader whose syntax errors read as Go's encoding/json reports them.

cty decodes JSON with Go's streaming decoder, and jsondecode passes its errors to the user
unchanged ("invalid character '}' after array element", "unexpected EOF"), so kiln parses
JSON itself to give the same messages. Objects come back as `Pairs` (members in source
order, duplicates kept) and numbers as `NumberText` (the literal text, so no precision is
lost).
"""

from __future__ import annotations

from typing import Any

_WHITESPACE = " \t\r\n"
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX_DIGITS = "0123456789abcdefABCDEF"


class GoJSONSyntaxError(ValueError):
    """Invalid JSON, with the message Go's decoder gives for it."""


class NumberText(str):
    """The literal text of a JSON number, kept so no precision is lost."""

    __slots__ = ()


class Pairs(list):  # type: ignore[type-arg]
    """The members of a JSON object in source order, duplicates included."""

    __slots__ = ()


def quote_char(char: str) -> str:
    """Quote a character as Go's encoding/json does in messages: ``'x'``, ``'\\t'``, ``'\\''``.

    Go reports the first byte of the UTF-8 encoding, read as a Latin-1 character.
    """
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    byte = char.encode("utf-8", "surrogatepass")[0]
    return "'" + _go_quote_rune(chr(byte)) + "'"


def _go_quote_rune(char: str) -> str:
    named = {
        "\a": "\\a",
        "\b": "\\b",
        "\f": "\\f",
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\v": "\\v",
        "\\": "\\\\",
    }
    if char in named:
        return named[char]
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def parse(text: str) -> Any:
    """Parse one JSON document, raising `GoJSONSyntaxError` with Go's message when invalid."""
    reader = _Reader(text)
    reader.skip_whitespace()
    if reader.at_end():
        raise GoJSONSyntaxError("EOF")
    value = reader.parse_value()
    reader.skip_whitespace()
    if not reader.at_end():
        # cty checks for more input after the first value with Decoder.More.
        raise GoJSONSyntaxError("extraneous data after JSON object")
    return value


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def at_end(self) -> bool:
        return self.position >= len(self.text)

    def peek(self) -> str:
        return self.text[self.position]

    def skip_whitespace(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in _WHITESPACE:
            self.position += 1

    def next_token_char(self) -> str:
        """Skip whitespace and return the next character; the input ending here is plain EOF."""
        self.skip_whitespace()
        if self.at_end():
            raise GoJSONSyntaxError("EOF")
        return self.peek()

    def next_value_char(self) -> str:
        """Return the next character inside a scalar; the input ending mid-value is unexpected EOF."""
        if self.at_end():
            raise GoJSONSyntaxError("unexpected EOF")
        return self.peek()

    # Structure, as Go's Decoder.Token walks it.

    def parse_value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.parse_object()
        if char == "[":
            return self.parse_array()
        if char == '"':
            return self.parse_string()
        if char == "-" or char.isdigit() and char.isascii():
            return self.parse_number()
        if char in "tfn":
            return self.parse_literal()
        raise GoJSONSyntaxError(f"invalid character {quote_char(char)} looking for beginning of value")

    def parse_array(self) -> list[Any]:
        self.position += 1
        elements: list[Any] = []
        if self.next_token_char() == "]":
            self.position += 1
            return elements
        while True:
            elements.append(self.parse_value())
            char = self.next_token_char()
            if char == "]":
                self.position += 1
                return elements
            if char != ",":
                raise GoJSONSyntaxError(f"invalid character {quote_char(char)} after array element")
            self.position += 1
            self.next_token_char()

    def parse_object(self) -> Pairs:
        self.position += 1
        members = Pairs()
        char = self.next_token_char()
        if char == "}":
            self.position += 1
            return members
        context = ""
        while True:
            if char != '"':
                raise GoJSONSyntaxError(f"invalid character {quote_char(char)}{context}")
            key = self.parse_string()
            char = self.next_token_char()
            if char != ":":
                raise GoJSONSyntaxError(f"invalid character {quote_char(char)} after object key")
            self.position += 1
            self.next_token_char()
            members.append((key, self.parse_value()))
            char = self.next_token_char()
            if char == "}":
                self.position += 1
                return members
            if char != ",":
                raise GoJSONSyntaxError(f"invalid character {quote_char(char)} after object key:value pair")
            self.position += 1
            char = self.next_token_char()
            context = " looking for beginning of object key string"

    # Scalars, as Go's scanner reads them.

    def parse_string(self) -> str:
        self.position += 1
        out: list[str] = []
        while True:
            char = self.next_value_char()
            self.position += 1
            if char == '"':
                return "".join(out)
            if char == "\\":
                out.append(self.parse_escape())
            elif ord(char) < 0x20:
                raise GoJSONSyntaxError(f"invalid character {quote_char(char)} in string literal")
            else:
                out.append(char)

    def parse_escape(self) -> str:
        char = self.next_value_char()
        self.position += 1
        if char in _ESCAPES:
            return _ESCAPES[char]
        if char != "u":
            raise GoJSONSyntaxError(f"invalid character {quote_char(char)} in string escape code")
        code = self.parse_hex4()
        if 0xD800 <= code < 0xDC00 and self.text.startswith("\\u", self.position):
            # A high surrogate followed by an escaped low surrogate is one character.
            saved = self.position
            self.position += 2
            low = self.parse_hex4()
            if 0xDC00 <= low < 0xE000:
                return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
            self.position = saved
        if 0xD800 <= code < 0xE000:
            return "\ufffd"
        return chr(code)

    def parse_hex4(self) -> int:
        digits = ""
        for _ in range(4):
            char = self.next_value_char()
            if char not in _HEX_DIGITS:
                raise GoJSONSyntaxError(
                    f"invalid character {quote_char(char)} in \\u hexadecimal character escape"
                )
            digits += char
            self.position += 1
        return int(digits, 16)

    def parse_number(self) -> NumberText:
        start = self.position
        if self.peek() == "-":
            self.position += 1
            char = self.next_value_char()
            if not ("0" <= char <= "9"):
                raise GoJSONSyntaxError(f"invalid character {quote_char(char)} in numeric literal")
        if self.peek() == "0":
            self.position += 1
        else:
            self.skip_digits()
        if not self.at_end() and self.peek() == ".":
            self.position += 1
            self.require_digit("after decimal point in numeric literal")
            self.skip_digits()
        if not self.at_end() and self.peek() in "eE":
            self.position += 1
            if not self.at_end() and self.peek() in "+-":
                self.position += 1
            self.require_digit("in exponent of numeric literal")
            self.skip_digits()
        return NumberText(self.text[start : self.position])

    def require_digit(self, context: str) -> None:
        char = self.next_value_char()
        if not ("0" <= char <= "9"):
            raise GoJSONSyntaxError(f"invalid character {quote_char(char)} {context}")

    def skip_digits(self) -> None:
        while not self.at_end() and "0" <= self.peek() <= "9":
            self.position += 1

    def parse_literal(self) -> bool | None:
        word = {"t": "true", "f": "false", "n": "null"}[self.peek()]
        self.position += 1
        for expected in word[1:]:
            char = self.next_value_char()
            if char != expected:
                raise GoJSONSyntaxError(
                    f"invalid character {quote_char(char)} in literal {word} (expecting {quote_char(expected)})"
                )
            self.position += 1
        return {"true": True, "false": False, "null": None}[word]
