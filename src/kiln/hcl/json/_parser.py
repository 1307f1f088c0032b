"""Parse scanned JSON tokens into a ranged value tree, reporting problems as diagnostics.

The parser follows HCL's JSON parser (hashicorp/hcl v2, `json/parser.go`). It uses the same
summaries and the same recovery to the end of the enclosing object or array. Wherever a
value could not be read, an `InvalidValue` placeholder takes its place, so one mistake gives
one message and the rest of the file still parses.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Pos, Range, did_you_mean, error
from kiln.hcl.json._nodes import (
    ArrayValue,
    BoolValue,
    InvalidValue,
    Node,
    NullValue,
    NumberValue,
    ObjectProperty,
    ObjectValue,
    StringValue,
)
from kiln.hcl.json._scanner import Token, TokenType, scan

# Deeper input is rejected so that parsing, evaluation and conversion of the tree stay
# well inside Python's recursion limit.
MAX_NESTING = 100

_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
# NOTE: hcl's JSON parser spells this summary so, and Packer prints it verbatim.
MISSING_COMMA = "Missing attribute seperator comma"
_VALUE_START_DETAIL = "A JSON value must start with a brace, a bracket, a number, a string, or a keyword."
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def parse_value_source(src: bytes, filename: str) -> tuple[Node, Diagnostics]:
    """Parse `src` as one JSON value; anything after it is an error."""
    parser = _Parser(scan(src, filename))
    node = parser.parse_value()
    if not parser.diagnostics and parser.peek().type is not TokenType.EOF:
        parser.diagnostics.append(
            error(
                "Extraneous data after value",
                "Extra characters appear after the JSON value.",
                parser.peek().range,
            )
        )
    return node, parser.diagnostics


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.diagnostics = Diagnostics()
        # Set once an error leaves nothing but the end of input, so that the objects and
        # arrays still open around it do not each report being unclosed as well.
        self.exhausted = False

    def peek(self) -> Token:
        return self.tokens[self.index]

    def read(self) -> Token:
        token = self.tokens[self.index]
        if token.type is not TokenType.EOF:
            self.index += 1
        return token

    def fail(self, diagnostic: Diagnostic) -> None:
        if self.exhausted and self.peek().type is TokenType.EOF:
            return
        self.diagnostics.append(diagnostic)
        self.exhausted = self.peek().type is TokenType.EOF

    def parse_value(self) -> Node:
        token = self.peek()
        node = self._parse_value(token)
        return node if node is not None else InvalidValue(token.range)

    def _parse_value(self, token: Token) -> Node | None:
        match token.type:
            case TokenType.BRACE_OPEN | TokenType.BRACKET_OPEN:
                return self._parse_nested(token)
            case TokenType.NUMBER:
                return self.parse_number()
            case TokenType.STRING:
                return self.parse_string()
            case TokenType.KEYWORD:
                return self.parse_keyword()
            case TokenType.BRACE_CLOSE:
                self.fail(error("Missing JSON value", _VALUE_START_DETAIL, token.range))
            case TokenType.BRACKET_CLOSE:
                self.fail(error("Missing array element value", _VALUE_START_DETAIL, token.range))
            case TokenType.EOF:
                self.fail(error("Missing value", "The JSON data ends prematurely.", token.range))
            case _:
                # The scanner stops at a byte that starts no token. Consuming it leaves only
                # the end of input for the enclosing objects and arrays to see.
                self.read()
                if _is_utf8(token.text):
                    self.fail(error("Invalid start of value", _VALUE_START_DETAIL, token.range))
                else:
                    # `parse_json` reports invalid UTF-8 once, for the whole file.
                    self.exhausted = True
        return None

    def _parse_nested(self, token: Token) -> Node | None:
        if self.depth >= MAX_NESTING:
            self._skip_nested()
            self.fail(
                error(
                    "Nesting too deep",
                    f"JSON objects and arrays may be nested at most {MAX_NESTING} levels deep.",
                    token.range,
                )
            )
            return None
        self.depth += 1
        try:
            if token.type is TokenType.BRACE_OPEN:
                return self.parse_object()
            return self.parse_array()
        finally:
            self.depth -= 1

    def _skip_nested(self) -> None:
        """Skip the object or array that starts at the next token, with everything inside it."""
        level = 0
        while True:
            token = self.read()
            if token.type in (TokenType.BRACE_OPEN, TokenType.BRACKET_OPEN):
                level += 1
            elif token.type in (TokenType.BRACE_CLOSE, TokenType.BRACKET_CLOSE):
                level -= 1
            if level <= 0 or token.type is TokenType.EOF:
                return

    def _recover(self, token: Token, opener: TokenType, closer: TokenType) -> None:
        """Skip past the token that closes the current object or array.

        `token` is the token already read when the problem was found.
        """
        level = 1
        while True:
            if token.type is opener:
                level += 1
            elif token.type is closer:
                level -= 1
                if level <= 1:
                    return
            elif token.type is TokenType.EOF:
                return
            token = self.read()

    def parse_object(self) -> ObjectValue | None:
        open_token = self.read()
        properties: list[ObjectProperty] = []

        while self.peek().type is not TokenType.BRACE_CLOSE:
            key = self.parse_value()
            if not isinstance(key, StringValue):
                if not isinstance(key, InvalidValue):
                    self.fail(
                        error(
                            "Invalid object property name",
                            "A JSON object property name must be a string",
                            key.start_range(),
                        )
                    )
                return None

            colon = self.read()
            if colon.type is not TokenType.COLON:
                self._recover(colon, TokenType.BRACE_OPEN, TokenType.BRACE_CLOSE)
                self.fail(_missing_colon(colon))
                return None

            value = self.parse_value()
            properties.append(ObjectProperty(key.value, value, key.range))

            match self.peek().type:
                case TokenType.COMMA:
                    comma = self.read()
                    if self.peek().type is TokenType.BRACE_CLOSE:
                        # The object is still complete, so it is kept and parsing goes on.
                        self.fail(
                            error(
                                "Trailing comma in object",
                                "JSON does not permit a trailing comma after the final property in an object.",
                                comma.range,
                            )
                        )
                case TokenType.EOF:
                    self.fail(
                        error(
                            "Unclosed object",
                            "No closing brace was found for this JSON object.",
                            open_token.range,
                        )
                    )
                    return None
                case TokenType.BRACKET_CLOSE:
                    bracket = self.read()
                    self.fail(
                        error(
                            "Mismatched braces",
                            "A JSON object must be closed with a brace, not a bracket.",
                            bracket.range,
                        )
                    )
                    return None
                case TokenType.BRACE_CLOSE:
                    break
                case _:
                    # NOTE: hcl, and so Packer, points this error at the token where recovery
                    # stopped, often lines later; kiln points at the token that needed a comma.
                    unexpected = self.read()
                    self._recover(unexpected, TokenType.BRACE_OPEN, TokenType.BRACE_CLOSE)
                    if not isinstance(value, InvalidValue):
                        # After an invalid value the error about it explains what follows.
                        self.fail(
                            error(
                                MISSING_COMMA,
                                "A comma must appear between each property definition in an object.",
                                unexpected.range,
                            )
                        )
                    return None

        close_token = self.read()
        return ObjectValue(
            properties,
            Range.between(open_token.range, close_token.range),
            open_token.range,
            close_token.range,
        )

    def parse_array(self) -> ArrayValue | None:
        open_token = self.read()
        values: list[Node] = []

        while self.peek().type is not TokenType.BRACKET_CLOSE:
            value = self.parse_value()
            values.append(value)

            match self.peek().type:
                case TokenType.COMMA:
                    comma = self.read()
                    if self.peek().type is TokenType.BRACKET_CLOSE:
                        # The array is still complete, so it is kept and parsing goes on.
                        self.fail(
                            error(
                                "Trailing comma in array",
                                "JSON does not permit a trailing comma after the final value in an array.",
                                comma.range,
                            )
                        )
                case TokenType.COLON:
                    colon = self.read()
                    self._recover(colon, TokenType.BRACKET_OPEN, TokenType.BRACKET_CLOSE)
                    self.fail(
                        error(
                            "Invalid array value",
                            "A colon is not used to introduce values in a JSON array.",
                            colon.range,
                        )
                    )
                    return None
                case TokenType.EOF:
                    self.fail(
                        error(
                            # hcl's summary for an unclosed array, kept as Packer prints it.
                            "Unclosed object",
                            "No closing bracket was found for this JSON array.",
                            open_token.range,
                        )
                    )
                    return None
                case TokenType.BRACE_CLOSE:
                    brace = self.read()
                    self._recover(brace, TokenType.BRACKET_OPEN, TokenType.BRACKET_CLOSE)
                    self.fail(
                        error(
                            "Mismatched brackets",
                            "A JSON array must be closed with a bracket, not a brace.",
                            brace.range,
                        )
                    )
                    return None
                case TokenType.BRACKET_CLOSE:
                    break
                case _:
                    unexpected = self.read()
                    self._recover(unexpected, TokenType.BRACKET_OPEN, TokenType.BRACKET_CLOSE)
                    if not isinstance(value, InvalidValue):
                        self.fail(
                            error(
                                MISSING_COMMA,
                                "A comma must appear between each value in an array.",
                                unexpected.range,
                            )
                        )
                    return None

        close_token = self.read()
        return ArrayValue(
            values,
            Range.between(open_token.range, close_token.range),
            open_token.range,
            close_token.range,
        )

    def parse_number(self) -> NumberValue | None:
        token = self.read()
        if _NUMBER.fullmatch(token.text):
            try:
                return NumberValue(Decimal(token.text.decode("ascii")), token.range)
            except InvalidOperation:
                pass
        self.fail(
            error("Invalid JSON number", "There is a syntax error in the given JSON number.", token.range)
        )
        return None

    def parse_string(self) -> StringValue | None:
        token = self.read()
        value, bad_offset = decode_string(token.text)
        if bad_offset is None:
            return StringValue(value, token.range)

        subject = _offset_range(token, bad_offset)
        self.fail(
            error(
                "Invalid JSON string",
                "There is a syntax error in the given JSON string.",
                subject,
                context=token.range if subject != token.range else None,
            )
        )
        return None

    def parse_keyword(self) -> Node | None:
        token = self.read()
        word = token.text.decode("ascii")
        match word:
            case "true" | "false":
                return BoolValue(word == "true", token.range)
            case "null":
                return NullValue(token.range)
            case "undefined" | "NaN" | "Infinity":
                detail = f'The JavaScript identifier "{word}" cannot be used in JSON.'
            case _:
                detail = f'"{word}" is not a valid JSON keyword.' + did_you_mean(
                    word.lower(), ("true", "false", "null")
                )
        self.fail(error("Invalid JSON keyword", detail, token.range))
        return None


def _is_utf8(text: bytes) -> bool:
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _missing_colon(token: Token) -> Diagnostic:
    if token.type in (TokenType.BRACE_CLOSE, TokenType.COMMA):
        return error(
            "Missing object value",
            "A JSON object attribute must have a value, introduced by a colon.",
            token.range,
        )
    if token.type is TokenType.EQUALS:
        return error(
            "Missing property value colon",
            "JSON uses a colon as its name/value delimiter, not an equals sign.",
            token.range,
        )
    return error(
        "Missing property value colon",
        "A colon must appear between an object property's name and its value.",
        token.range,
    )


def decode_string(text: bytes) -> tuple[str, int | None]:
    """Decode a quoted JSON string token; return its value and the offset of the first error.

    The offset is None when the string is valid. Invalid UTF-8 inside the string decodes to
    U+FFFD; `parse_json` reports it separately.
    """
    if len(text) < 2 or not text.endswith(b'"'):
        return "", len(text)
    body = text[1:-1].decode("utf-8", errors="replace")
    parts: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == '"':
            return "", _byte_offset(body, index)
        if char != "\\":
            parts.append(char)
            index += 1
            continue
        escape = body[index + 1 : index + 2]
        if escape in _ESCAPES:
            parts.append(_ESCAPES[escape])
            index += 2
        elif escape == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[index + 2 : index + 6]):
            parts.append(chr(int(body[index + 2 : index + 6], 16)))
            index += 6
        else:
            return "", _byte_offset(body, index)
    return _join_surrogates("".join(parts)), None


def _byte_offset(body: str, index: int) -> int:
    """Return the offset in the token (opening quote included) of `body[index]`."""
    return 1 + len(body[:index].encode("utf-8", errors="replace"))


def _join_surrogates(value: str) -> str:
    """Combine UTF-16 surrogate pairs from `\\u` escapes; a lone surrogate becomes U+FFFD."""
    if not any("\ud800" <= char <= "\udfff" for char in value):
        return value
    return value.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace")


def _offset_range(token: Token, offset: int) -> Range:
    """Return the one-character range at byte `offset` inside a single-line token."""
    if offset >= len(token.text):
        return token.range
    start = token.range.start
    column = start.column + sum(1 for byte in token.text[:offset] if byte & 0xC0 != 0x80)
    begin = Pos(start.line, column, start.byte + offset)
    return Range(token.range.filename, begin, Pos(start.line, column + 1, begin.byte + 1))
