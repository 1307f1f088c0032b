"""The parser's view of the token stream: lookahead, newline sensitivity and recovery.

Comments are dropped up front, except that a line comment's final newline stays as a `Newline`
token because it ends the body item the comment follows. Whether newlines are significant
depends on context: they end body items and object items, but are ignored inside parentheses,
brackets and template sequences, so the parser pushes and pops that setting as it nests.
"""

from __future__ import annotations

import _thread
import sys

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Pos, Range
from kiln.hcl.syntax.tokens import Token, TokenType

T = TokenType

_OPENERS = {T.OBrace, T.OBrack, T.OParen, T.OQuote, T.OHeredoc, T.TemplateInterp, T.TemplateControl}
_CLOSER_OF = {
    T.OBrace: T.CBrace,
    T.OBrack: T.CBrack,
    T.OParen: T.CParen,
    T.OQuote: T.CQuote,
    T.OHeredoc: T.CHeredoc,
    T.TemplateInterp: T.TemplateSeqEnd,
    T.TemplateControl: T.TemplateSeqEnd,
}
_OPENER_OF = {
    T.CBrace: T.OBrace,
    T.CBrack: T.OBrack,
    T.CParen: T.OParen,
    T.CQuote: T.OQuote,
    T.CHeredoc: T.OHeredoc,
}


# The deepest nesting of expressions, blocks and template directives the parser accepts.
# hclsyntax has no such limit. The parser recurses once per level, at up to ten Python
# frames a level (nine measured, for nested interpolations). A parse therefore raises
# CPython's recursion limit while it runs, with `RecursionRoom`.
MAX_NESTING = 5_000
_FRAMES_PER_LEVEL = 10


class RecursionRoom:
    """A context that raises `sys.getrecursionlimit()` to fit a parse nested MAX_NESTING deep.

    CPython 3.11 runs a call from Python code to a Python function without growing the C
    stack, so the parser's deep recursion needs only the higher limit, not a larger thread
    stack. The previous limit comes back when the last overlapping parse in any thread ends.
    """

    __slots__ = ()

    _lock = _thread.allocate_lock()
    _users = 0
    _saved_limit = 0

    def __enter__(self) -> None:
        cls = RecursionRoom
        with cls._lock:
            if cls._users == 0:
                cls._saved_limit = sys.getrecursionlimit()
                sys.setrecursionlimit(cls._saved_limit + MAX_NESTING * _FRAMES_PER_LEVEL)
            cls._users += 1

    def __exit__(self, *exc_info: object) -> None:
        cls = RecursionRoom
        with cls._lock:
            cls._users -= 1
            if cls._users == 0:
                sys.setrecursionlimit(cls._saved_limit)


def _prepare(tokens: list[Token]) -> list[Token]:
    """Drop comments, keeping the newline a line comment ends with as a `Newline` token."""
    prepared: list[Token] = []
    for token in tokens:
        if token.type is not T.Comment:
            prepared.append(token)
        elif token.bytes.endswith(b"\n"):
            end = token.range.end
            start = token.range.start
            text = token.bytes[:-1]
            width = len(text) if text.isascii() else len(text.decode("utf-8", "replace"))
            newline_start = Pos(start.line, start.column + width, end.byte - 1)
            prepared.append(Token(T.Newline, b"\n", Range(token.range.filename, newline_start, end)))
    return prepared


class TokenStream:
    """Parser state: the token stream, a newline-sensitivity stack and the recovery flag."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = _prepare(tokens)
        self.pos = 0
        self.include_newlines = [True]
        self.recovery = False
        # Current nesting of expressions, blocks and template directives; see MAX_NESTING.
        self.depth = 0
        self.diags = Diagnostics()
        self.prev: Token = self.tokens[0]

    # Token stream -------------------------------------------------------------------------

    def peek(self) -> Token:
        tokens = self.tokens
        index = self.pos
        if not self.include_newlines[-1]:
            while tokens[index].type is T.Newline:
                index += 1
        return tokens[index]

    def read(self) -> Token:
        tokens = self.tokens
        index = self.pos
        if not self.include_newlines[-1]:
            while tokens[index].type is T.Newline:
                index += 1
        token = tokens[index]
        if token.type is not T.EOF:
            self.pos = index + 1
        self.prev = token
        return token

    def push_newlines(self, include: bool) -> None:
        self.include_newlines.append(include)

    def pop_newlines(self) -> None:
        self.include_newlines.pop()

    def report(self, diagnostic: Diagnostic) -> None:
        self.diags.append(diagnostic)

    def report_unless_recovering(self, diagnostic: Diagnostic) -> None:
        if not self.recovery:
            self.diags.append(diagnostic)

    def recover(self, end: TokenType) -> Token:
        """Skip to the token `end` that closes the current construct and return it (or EOF)."""
        start = _OPENER_OF.get(end)
        self.recovery = True
        nest = 0
        while True:
            token = self.read()
            type_ = token.type
            if end is T.TemplateSeqEnd and type_ is T.TemplateControl:
                type_ = T.TemplateInterp
            if type_ is start or (end is T.TemplateSeqEnd and type_ is T.TemplateInterp):
                nest += 1
            elif type_ is end:
                if nest < 1:
                    return token
                nest -= 1
            elif type_ is T.EOF:
                return token

    def recover_over(self, start: TokenType) -> None:
        """Skip past the next bracketed construct that opens with `start`."""
        while True:
            token = self.read()
            if token.type is start or token.type is T.EOF:
                break
        self.recover(_CLOSER_OF[start])

    def recover_after_body_item(self) -> None:
        """Skip to just after the newline that ends the current body item, minding brackets."""
        self.recovery = True
        open_stack: list[TokenType] = []
        while True:
            token = self.peek()
            type_ = token.type
            if type_ is T.EOF:
                return
            if type_ is T.Newline and not open_stack:
                self.read()
                return
            if type_ in _OPENERS:
                open_stack.append(_CLOSER_OF[type_])
            elif type_ in _OPENER_OF or type_ is T.TemplateSeqEnd:
                if not open_stack:
                    return  # the enclosing body's closing brace: leave it for the body
                while open_stack and open_stack.pop() is not type_:
                    pass
            self.read()


def is_keyword(token: Token, keyword: bytes) -> bool:
    return token.type is T.Ident and token.bytes == keyword
