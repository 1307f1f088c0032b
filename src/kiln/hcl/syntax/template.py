"""Template parsing: string literals, interpolations, `%{if}` and `%{for}` directives.

A template is parsed in two passes, as hclsyntax does. The first reads tokens into a flat list of
parts (literals with escapes resolved and `~` strip markers applied, interpolations, directive
markers). The second nests the directive markers into `ConditionalExpr` and `ForExpr` nodes.
A `<<-` heredoc has its common leading indentation removed between the two passes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from kiln.hcl.diagnostics import Diagnostics, Pos, Range, describe_range, did_you_mean, error, quote_name
from kiln.hcl.record import Record
from kiln.hcl.syntax.ast import (
    ConditionalExpr,
    Expression,
    ExprSyntaxError,
    ForExpr,
    LiteralValueExpr,
    TemplateExpr,
    TemplateJoinExpr,
)
from kiln.hcl.syntax.stream import MAX_NESTING
from kiln.hcl.syntax.tokens import Token, TokenType

if TYPE_CHECKING:
    from kiln.hcl.syntax.expressions import ExpressionParser as Parser

T = TokenType

_QUOTED_PIECE = re.compile(rb"\\(?:[nrt\"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|u|U|.?)|\$\$\{|%%\{", re.DOTALL)
_HEREDOC_PIECE = re.compile(rb"\$\$\{|%%\{")
_SIMPLE_ESCAPES = {b"n": "\n", b"r": "\r", b"t": "\t", b'"': '"', b"\\": "\\"}
_SPACE = " \t\n\r\v\f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


# First pass: flat parts --------------------------------------------------------------------


class _Literal(Record):
    value: str
    range: Range

    __slots__ = ("range", "value")

    def __init__(self, value: str, range: Range) -> None:
        self.value = value
        self.range = range


class _Interp(Record):
    expr: Expression
    range: Range

    __slots__ = ("expr", "range")

    def __init__(self, expr: Expression, range: Range) -> None:
        self.expr = expr
        self.range = range


class _If(Record):
    condition: Expression
    range: Range

    __slots__ = ("condition", "range")

    def __init__(self, condition: Expression, range: Range) -> None:
        self.condition = condition
        self.range = range


class _For(Record):
    key_var: str
    val_var: str
    coll_expr: Expression
    range: Range

    __slots__ = ("coll_expr", "key_var", "range", "val_var")

    def __init__(self, key_var: str, val_var: str, coll_expr: Expression, range: Range) -> None:
        self.key_var = key_var
        self.val_var = val_var
        self.coll_expr = coll_expr
        self.range = range


class _EndDirective(Record):
    """An `else`, `endif` or `endfor` marker."""

    keyword: str
    range: Range

    __slots__ = ("keyword", "range")

    def __init__(self, keyword: str, range: Range) -> None:
        self.keyword = keyword
        self.range = range


class _End(Record):
    range: Range

    __slots__ = ("range",)

    def __init__(self, range: Range) -> None:
        self.range = range


_Part = _Literal | _Interp | _If | _For | _EndDirective | _End


def string_literal_value(parser: Parser, token: Token) -> str:
    """Resolve a literal token's escapes; bad escapes and bad UTF-8 are reported on `parser`."""
    quoted = token.type is T.QuotedLit
    text = token.bytes
    pattern = _QUOTED_PIECE if quoted else _HEREDOC_PIECE
    if (not quoted or b"\\" not in text) and b"{" not in text:
        return _decode(parser, text, token)

    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(_decode(parser, text[position : match.start()], token))
        pieces.append(_resolve_escape(parser, match, token))
        position = match.end()
    pieces.append(_decode(parser, text[position:], token))
    return "".join(pieces)


def _decode(parser: Parser, text: bytes, token: Token) -> str:
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        # The scanner reported the bad bytes as an "Invalid character encoding" error already
        # when they were outside a literal; inside one, report them here.
        detail = (
            "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor."
        )
        parser.report(error("Invalid character encoding", detail, token.range))
        return text.decode("utf-8", "replace")


def _resolve_escape(parser: Parser, match: re.Match[bytes], token: Token) -> str:
    piece = match.group()
    if piece in (b"$${", b"%%{"):
        return piece[1:].decode("ascii")
    selector = piece[1:2]
    if selector in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[selector]

    subject = _sub_range(token, match.start(), match.end())
    if selector in (b"u", b"U") and len(piece) in (6, 10):
        code = int(piece[2:], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            detail = f"Cannot encode character U+{code:04x} in UTF-8."
            parser.report(error("Invalid escape sequence", detail, subject))
            return ""
        return chr(code)
    if selector == b"u":
        detail = "The \\u escape sequence must be followed by four hexadecimal digits."
    elif selector == b"U":
        detail = "The \\U escape sequence must be followed by eight hexadecimal digits."
    elif not selector:
        detail = "Backslash must be followed by an escape sequence selector character."
    else:
        name = selector.decode("utf-8", "replace")
        detail = f"The symbol {quote_name(name)} is not a valid escape sequence selector."
        parser.report(error("Invalid escape sequence", detail, subject))
        return name
    parser.report(error("Invalid escape sequence", detail, subject))
    return ""


def _sub_range(token: Token, begin: int, end: int) -> Range:
    """Return the range of bytes begin:end of a single-line token."""
    start = token.range.start
    before = token.bytes[:begin].decode("utf-8", "replace")
    inside = token.bytes[begin:end].decode("utf-8", "replace")
    first = Pos(start.line, start.column + len(before), start.byte + begin)
    last = Pos(start.line, first.column + len(inside), start.byte + end)
    return Range(token.range.filename, first, last)


def parse_template_inner(
    parser: Parser, end: TokenType, flush_heredoc: bool
) -> tuple[list[Expression], bool, Range]:
    """Parse template tokens up to `end`; return the parts, whether it is one bare interpolation,
    and the template's range."""
    parts, whole = _parse_parts(parser, end)
    if flush_heredoc:
        _flush_heredoc(parts)
    parts = _meld_literals(parts)
    exprs = _TreeBuilder(parser.diags, parts).parse_root()
    passthrough = len(parts) == 2 and isinstance(parts[0], _Interp)
    return exprs, passthrough, whole


def _parse_parts(parser: Parser, end: TokenType) -> tuple[list[_Part], Range]:
    parts: list[_Part] = []
    start_range = parser.peek().range
    trim_next_left = False
    next_can_trim_prev = False
    while True:
        token = parser.read()
        if token.type is end:
            end_range = token.range
            break
        trim_left, trim_next_left = trim_next_left, False
        can_trim_prev, next_can_trim_prev = next_can_trim_prev, False

        if token.type is T.StringLit or token.type is T.QuotedLit:
            value = string_literal_value(parser, token)
            if not value.isascii():
                # Template strings are NFC-normalized, as cty's string values are.
                value = unicodedata.normalize("NFC", value)
            if trim_left:
                value = value.lstrip(_SPACE)
            parts.append(_Literal(value, token.range))
            next_can_trim_prev = True
            continue
        if token.type is T.TemplateInterp or token.type is T.TemplateControl:
            if can_trim_prev and token.bytes.endswith(b"~") and parts and isinstance(parts[-1], _Literal):
                parts[-1].value = parts[-1].value.rstrip(_SPACE)
            if token.type is T.TemplateInterp:
                trim_next_left = _parse_interpolation(parser, token, end, start_range, parts)
            else:
                trim_next_left = _parse_directive(parser, token, start_range, parts)
            continue

        context = Range.between(start_range, token.range)
        detail = "No closing marker was found for the string."
        parser.report_unless_recovering(
            error("Unterminated template string", detail, token.range, context=context)
        )
        end_range = parser.recover(end).range
        break

    if not parts:
        # An empty template is an empty string, located just after the opening quote.
        point = Range(start_range.filename, start_range.start, start_range.start)
        parts.append(_Literal("", point))
    parts.append(_End(end_range))
    return parts, Range.between(start_range, end_range)


def _parse_interpolation(
    parser: Parser, opener: Token, end: TokenType, start_range: Range, parts: list[_Part]
) -> bool:
    """Parse `${ expr }` after its opener; return whether it ends with the `~}` strip marker."""
    parser.push_newlines(False)
    expr = parser.parse_expression()
    close = parser.peek()
    trim_next = False
    if close.type is not T.TemplateSeqEnd:
        if not parser.recovery:
            parser.report(_unclosed_interpolation(close, end, start_range))
        parser.recover(T.TemplateSeqEnd)
    else:
        parser.read()
        trim_next = close.bytes.startswith(b"~")
    parser.pop_newlines()
    parts.append(_Interp(expr, Range.between(opener.range, close.range)))
    return trim_next


def _unclosed_interpolation(close: Token, end: TokenType, start_range: Range):  # type: ignore[no-untyped-def]
    context = Range.between(start_range, close.range)
    if close.type is T.EOF:
        detail = (
            "There is no closing brace for this interpolation sequence before the end of the file. This might be"
            " caused by incorrect nesting inside the given expression."
        )
        return error("Unclosed template interpolation sequence", detail, start_range)
    if close.type is T.Colon:
        detail = (
            "Template interpolation doesn't expect a colon at this location. Did you intend this to be a literal"
            ' sequence to be processed as part of another language? If so, you can escape it by starting with "$${"'
            ' instead of just "${".'
        )
        return error("Extra characters after interpolation expression", detail, close.range, context=context)
    if close.type in (T.CQuote, T.OQuote) and end is T.CQuote:
        detail = (
            "There is no closing brace for this interpolation sequence before the end of the quoted template. This"
            " might be caused by incorrect nesting inside the given expression."
        )
        return error("Unclosed template interpolation sequence", detail, start_range)
    detail = (
        "Expected a closing brace to end the interpolation expression, but found extra characters.\n\nThis can"
        " happen when you include interpolation syntax for another language, such as shell scripting, but forget to"
        " escape the interpolation start token. If this is an embedded sequence for another language, escape it by"
        ' starting with "$${" instead of just "${".'
    )
    return error("Extra characters after interpolation expression", detail, close.range, context=context)


def _parse_directive(parser: Parser, opener: Token, start_range: Range, parts: list[_Part]) -> bool:
    """Parse `%{ keyword ... }` after its opener; return whether it ends with `~}`."""
    parser.push_newlines(False)
    try:
        keyword = parser.peek()
        if keyword.type is not T.Ident:
            detail = 'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.'
            context = Range.between(opener.range, keyword.range)
            parser.report_unless_recovering(
                error("Invalid template directive", detail, keyword.range, context=context)
            )
            parser.recover(T.TemplateSeqEnd)
            return False
        parser.read()

        name = keyword.bytes.decode("utf-8", "replace")
        if name == "if":
            condition = parser.parse_expression()
            parts.append(_If(condition, Range.between(opener.range, parser.peek().range)))
        elif name in ("else", "endif", "endfor"):
            parts.append(_EndDirective(name, Range.between(opener.range, parser.peek().range)))
        elif name == "for":
            if not _parse_for_directive(parser, opener, parts):
                return False
        else:
            suggestion = did_you_mean(name, ["if", "for", "else", "endif", "endfor"])
            detail = f"{quote_name(name)} is not a valid template control keyword.{suggestion}"
            context = Range.between(opener.range, keyword.range)
            parser.report_unless_recovering(
                error("Invalid template control keyword", detail, keyword.range, context=context)
            )
            parser.recover(T.TemplateSeqEnd)
            return False

        close = parser.peek()
        if close.type is not T.TemplateSeqEnd:
            detail = "Expected a closing brace to end the sequence, but found extra characters."
            context = Range.between(start_range, close.range)
            summary = f"Extra characters in {name} marker"
            parser.report_unless_recovering(error(summary, detail, close.range, context=context))
            parser.recover(T.TemplateSeqEnd)
            return False
        parser.read()
        return close.bytes.startswith(b"~")
    finally:
        parser.pop_newlines()


def _parse_for_directive(parser: Parser, opener: Token, parts: list[_Part]) -> bool:
    def fail(detail: str) -> bool:
        parser.report_unless_recovering(error("Invalid 'for' directive", detail, parser.peek().range))
        parser.recover(T.TemplateSeqEnd)
        return False

    key_var = ""
    if parser.peek().type is not T.Ident:
        return fail("For directive requires variable name after 'for'.")
    val_var = parser.read().bytes.decode("utf-8", "replace")
    if parser.peek().type is T.Comma:
        parser.read()
        key_var = val_var
        if parser.peek().type is not T.Ident:
            return fail("For directive requires value variable name after comma.")
        val_var = parser.read().bytes.decode("utf-8", "replace")
    in_token = parser.peek()
    if in_token.type is not T.Ident or in_token.bytes != b"in":
        return fail("For directive requires 'in' keyword after names.")
    parser.read()
    coll_expr = parser.parse_expression()
    parts.append(_For(key_var, val_var, coll_expr, Range.between(opener.range, parser.peek().range)))
    return True


def _flush_heredoc(parts: list[_Part]) -> None:
    """Remove the smallest leading-space count among non-blank lines from every line's start."""
    min_spaces: int | None = None
    at_line_start = True
    adjust: list[_Literal] = []
    for part in parts:
        if at_line_start:
            at_line_start = False
            if isinstance(part, _End):
                break
            if isinstance(part, _Literal):
                stripped = part.value.lstrip(_SPACE)
                # A line of only spaces ending in a newline is blank and does not count.
                if not (stripped == "" and part.value.endswith("\n")):
                    spaces = len(part.value) - len(stripped)
                    adjust.append(part)
                    min_spaces = spaces if min_spaces is None else min(min_spaces, spaces)
            else:
                min_spaces = 0
        if isinstance(part, _Literal) and part.value.endswith("\n"):
            at_line_start = True

    if not min_spaces:
        return
    for literal in adjust:
        removed = literal.value[:min_spaces]
        literal.value = literal.value[min_spaces:]
        start = literal.range.start
        new_start = Pos(start.line, start.column + min_spaces, start.byte + len(removed.encode()))
        literal.range = Range(literal.range.filename, new_start, literal.range.end)


def _meld_literals(parts: list[_Part]) -> list[_Part]:
    melded: list[_Part] = []
    for part in parts:
        previous = melded[-1] if melded else None
        if isinstance(part, _Literal) and isinstance(previous, _Literal):
            previous.value += part.value
            previous.range = Range.between(previous.range, part.range)
        else:
            melded.append(part)
    return melded


# Second pass: nesting -------------------------------------------------------------------------


class _TreeBuilder:
    """Nest a flat part list into expressions: `%{if}` and `%{for}` enclose the parts up to their end."""

    def __init__(self, diags: Diagnostics, parts: list[_Part]) -> None:
        self.diags = diags
        self.parts = parts
        self.pos = 0
        self.depth = 0
        # Set when parsing gave up on the rest of the template, to keep quiet about the
        # directives it left open.
        self.abandoned = False

    def peek(self) -> _Part:
        return self.parts[self.pos]

    def read(self) -> _Part:
        part = self.parts[self.pos]
        if not isinstance(part, _End):
            self.pos += 1
        return part

    def parse_root(self) -> list[Expression]:
        exprs: list[Expression] = []
        while not isinstance(self.peek(), _End):
            exprs.append(self.parse_part())
        return exprs

    def parse_part(self) -> Expression:
        part = self.peek()
        if isinstance(part, _If | _For) and self.depth >= MAX_NESTING:
            detail = f"Template directives may be nested at most {MAX_NESTING} levels deep."
            self.diags.append(error("Template directives too deeply nested", detail, part.range))
            self.pos = len(self.parts) - 1  # skip to the end marker
            self.abandoned = True
            return ExprSyntaxError(part.range)
        if isinstance(part, _Literal):
            self.read()
            return LiteralValueExpr(part.value, part.range)
        if isinstance(part, _Interp):
            self.read()
            return part.expr
        if isinstance(part, _If | _For):
            self.depth += 1
            expr = self.parse_if() if isinstance(part, _If) else self.parse_for()
            self.depth -= 1
            return expr
        self.read()
        if isinstance(part, _EndDirective):
            summary = f"Unexpected {part.keyword} directive"
        else:
            summary = "Unexpected end of template"
        detail = "The control directives within this template are unbalanced."
        self.diags.append(error(summary, detail, part.range))
        return ExprSyntaxError(part.range)

    def parse_if(self) -> Expression:
        opener = self.read()
        assert isinstance(opener, _If)
        branches: list[list[Expression]] = [[]]
        while True:
            part = self.peek()
            if isinstance(part, _End) and self.abandoned:
                return ExprSyntaxError(part.range)
            if isinstance(part, _End):
                detail = f"The if directive at {describe_range(opener.range)} is missing its corresponding endif directive."
                self.diags.append(error("Unexpected end of template", detail, part.range))
                return ExprSyntaxError(part.range)
            if isinstance(part, _EndDirective):
                self.read()
                if part.keyword == "else" and len(branches) == 1:
                    branches.append([])
                    continue
                if part.keyword == "endif":
                    endif_range = part.range
                    break
                if part.keyword == "else":
                    detail = (
                        f"Already in the else clause for the if started at {describe_range(opener.range)}."
                    )
                else:
                    detail = (
                        f"Expecting an endif directive for the if started at {describe_range(opener.range)}."
                    )
                self.diags.append(error(f"Unexpected {part.keyword} directive", detail, part.range))
                return ExprSyntaxError(part.range)
            branches[-1].append(self.parse_part())

        true_parts = branches[0] or [_empty_string_at(opener.range.end, opener.range)]
        false_parts = (
            branches[1]
            if len(branches) > 1 and branches[1]
            else [_empty_string_at(endif_range.start, endif_range)]
        )
        return ConditionalExpr(
            opener.condition,
            TemplateExpr(true_parts, Range.between(true_parts[0].range, true_parts[-1].range)),
            TemplateExpr(false_parts, Range.between(false_parts[0].range, false_parts[-1].range)),
            Range.between(opener.range, endif_range),
        )

    def parse_for(self) -> Expression:
        opener = self.read()
        assert isinstance(opener, _For)
        content: list[Expression] = []
        while True:
            part = self.peek()
            if isinstance(part, _End) and self.abandoned:
                return ExprSyntaxError(part.range)
            if isinstance(part, _End):
                detail = f"The for directive at {describe_range(opener.range)} is missing its corresponding endfor directive."
                self.diags.append(error("Unexpected end of template", detail, part.range))
                return ExprSyntaxError(part.range)
            if isinstance(part, _EndDirective):
                self.read()
                if part.keyword == "endfor":
                    endfor_range = part.range
                    break
                if part.keyword == "else":
                    detail = "An else clause is not expected for a for directive."
                else:
                    detail = f"Expecting an endfor directive corresponding to the for directive at {describe_range(opener.range)}."
                self.diags.append(error(f"Unexpected {part.keyword} directive", detail, part.range))
                return ExprSyntaxError(part.range)
            content.append(self.parse_part())

        if not content:
            content = [_empty_string_at(opener.range.end, opener.range)]
        body = TemplateExpr(content, Range.between(content[0].range, content[-1].range))
        whole = Range.between(opener.range, endfor_range)
        for_expr = ForExpr(
            opener.key_var,
            opener.val_var,
            opener.coll_expr,
            None,
            body,
            None,
            False,
            whole,
            opener.range,
            endfor_range,
        )
        return TemplateJoinExpr(for_expr, whole)


def _empty_string_at(point: Pos, near: Range) -> LiteralValueExpr:
    return LiteralValueExpr("", Range(near.filename, point, point))
