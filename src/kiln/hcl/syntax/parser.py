"""The recursive-descent parser of HCL's native syntax.

It follows hclsyntax's grammar, precedence, recovery and diagnostics. On an error it reports a
diagnostic and leaves a placeholder in the tree. It then skips to a point where parsing can
resume (the end of the bracketed construct or of the body item) and carries on, so one parse
reports every problem it can. Like hclsyntax, it goes quiet on follow-on errors after a
recovery, but only until the next body item starts, where the token stream is back in step.

    file, diags = parse_config(b'a = 1\\n', "main.pkr.hcl")
    file.body.attributes["a"].expr  # LiteralValueExpr(Decimal('1'))
"""

from __future__ import annotations

import gc

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Pos, Range, describe_range, error, quote_name
from kiln.hcl.syntax.ast import (
    Attribute,
    Block,
    Body,
    Expression,
    File,
    TemplateExpr,
    TemplateWrapExpr,
    Traversal,
)
from kiln.hcl.syntax.expressions import ExpressionParser
from kiln.hcl.syntax.invalid import check_invalid_tokens
from kiln.hcl.syntax.stream import MAX_NESTING, RecursionRoom
from kiln.hcl.syntax.template import parse_template_inner
from kiln.hcl.syntax.tokens import Token, TokenType, scan_config, scan_template

__all__ = ["parse_config", "parse_expression", "parse_template", "parse_traversal_abs"]

T = TokenType

_UNCLOSED_BLOCK = (
    "There is no closing brace for this block before the end of the file. This may be caused by"
    " incorrect brace nesting elsewhere in this file."
)
_DEFINITION_REQUIRED = "An argument or block definition is required here."


class Parser(ExpressionParser):
    """Parses configuration bodies: attributes, blocks and their labels."""

    # Structure ----------------------------------------------------------------------------

    def parse_body(self, end: TokenType) -> Body:
        start_range = self.prev.range
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        items: list[Attribute | Block] = []

        while True:
            next_token = self.peek()
            if next_token.type is end:
                end_range = next_token.range
                self.read()
                break
            if next_token.type is T.Newline:
                self.read()
                continue
            if next_token.type is T.Ident:
                self.recovery = False
                item = self.parse_body_item()
                if item is None:
                    continue
                items.append(item)
                if isinstance(item, Block):
                    blocks.append(item)
                elif item.name in attributes:
                    existing = attributes[item.name]
                    self.report(
                        error(
                            "Attribute redefined",
                            f"The argument {quote_name(item.name)} was already set at"
                            f" {describe_range(existing.name_range)}. Each argument may be set only once.",
                            item.name_range,
                        )
                    )
                else:
                    attributes[item.name] = item
                continue

            bad = self.read()
            self.report_unless_recovering(self.bad_body_token(bad, end, start_range))
            end_range = self.prev.range
            self.recover(end)
            break

        src_range = Range.between(start_range, end_range)
        end_point = Range(end_range.filename, end_range.end, end_range.end)
        return Body(attributes, blocks, items, src_range, end_point)

    def bad_body_token(self, bad: Token, end: TokenType, start_range: Range) -> Diagnostic:
        if bad.type is T.OQuote:
            return error("Invalid argument name", "Argument names must not be quoted.", bad.range)
        if bad.type is T.EOF and end is T.CBrace:
            return error("Unclosed configuration block", _UNCLOSED_BLOCK, start_range)
        if bad.type is T.EOF:
            return error(
                "Unclosed configuration body",
                "Found end of file before the end of this configuration body.",
                start_range,
            )
        return error("Argument or block definition required", _DEFINITION_REQUIRED, bad.range)

    def parse_body_item(self) -> Attribute | Block | None:
        ident = self.read()
        next_type = self.peek().type
        if next_type is T.Equal:
            return self.finish_parsing_body_attribute(ident, single_line=False)
        if next_type is T.OQuote or next_type is T.OBrace or next_type is T.Ident:
            return self.finish_parsing_body_block(ident)
        self.recover_after_body_item()
        self.report(
            error(
                "Argument or block definition required",
                _DEFINITION_REQUIRED
                + ' To set an argument, use the equals sign "=" to introduce the argument value.',
                ident.range,
            )
        )
        return None

    def finish_parsing_body_attribute(self, ident: Token, single_line: bool) -> Attribute:
        equals = self.read()
        errors_before = len(self.diags)
        expr = self.parse_expression()
        end_range = self.prev.range

        if self.recovery and len(self.diags) > errors_before:
            self.recover_after_body_item()
        elif not single_line:
            end = self.peek()
            if end.type is T.Newline or end.type is T.EOF:
                self.read()
            else:
                summary = "Missing newline after argument"
                detail = "An argument definition must end with a newline."
                if end.type is T.Comma:
                    summary = "Unexpected comma after argument"
                    detail = "Argument definitions must be separated by newlines, not commas. " + detail
                context = Range.between(ident.range, end.range)
                self.report_unless_recovering(error(summary, detail, end.range, context=context))
                self.recover_after_body_item()

        name = ident.bytes.decode("utf-8", "replace")
        return Attribute(name, expr, Range.between(ident.range, end_range), ident.range, equals.range)

    def finish_parsing_body_block(self, ident: Token) -> Block:
        labels: list[str] = []
        label_ranges: list[Range] = []
        while True:
            token = self.peek()
            if token.type is T.OBrace:
                open_brace = self.read()
                break
            if token.type is T.OQuote:
                label, label_range = self.parse_quoted_string_literal()
                labels.append(label)
                label_ranges.append(label_range)
                continue
            if token.type is T.Ident:
                self.read()
                labels.append(token.bytes.decode("utf-8", "replace"))
                label_ranges.append(token.range)
                continue
            return self.abandon_block_header(ident, token, labels, label_ranges)

        body, close_range = self.parse_block_body(ident, open_brace)
        eol = self.peek()
        if eol.type is T.Newline or eol.type is T.EOF:
            self.read()
        else:
            context = Range.between(ident.range, eol.range)
            self.report_unless_recovering(
                error(
                    "Missing newline after block definition",
                    "A block definition must end with a newline.",
                    eol.range,
                    context=context,
                )
            )
            self.recover_after_body_item()

        name = ident.bytes.decode("utf-8", "replace")
        return Block(name, labels, body, ident.range, label_ranges, open_brace.range, close_range)

    def abandon_block_header(
        self, ident: Token, token: Token, labels: list[str], label_ranges: list[Range]
    ) -> Block:
        """Report a block header that neither a label nor "{" continues, and skip the item."""
        context = Range.between(ident.range, token.range)
        if token.type is T.Equal:
            detail = 'The equals sign "=" indicates an argument definition, and must not be used when defining a block.'
            self.report(error("Invalid block definition", detail, token.range, context=context))
        elif token.type is T.Newline:
            detail = (
                'A block definition must have block content delimited by "{" and "}", starting on the same line as'
                " the block header."
            )
            self.report(error("Invalid block definition", detail, token.range, context=context))
        else:
            detail = 'Either a quoted string block label or an opening brace ("{") is expected here.'
            self.report_unless_recovering(
                error("Invalid block definition", detail, token.range, context=context)
            )
        self.recover_after_body_item()

        end_range = label_ranges[-1] if label_ranges else ident.range
        body = Body({}, [], [], ident.range, ident.range)
        name = ident.bytes.decode("utf-8", "replace")
        return Block(name, labels, body, ident.range, label_ranges, ident.range, end_range)

    def parse_block_body(self, ident: Token, open_brace: Token) -> tuple[Body, Range]:
        """Parse a block's body after its "{", in multi-line or single-line form."""
        if self.depth >= MAX_NESTING:
            detail = f"Blocks may be nested at most {MAX_NESTING} levels deep."
            self.report_unless_recovering(error("Block too deeply nested", detail, open_brace.range))
            close_range = self.recover(T.CBrace).range
            return Body({}, [], [], Range.between(open_brace.range, close_range), close_range), close_range
        if self.peek().type in (T.Newline, T.EOF, T.CBrace):
            self.depth += 1
            body = self.parse_body(T.CBrace)
            self.depth -= 1
            return body, self.prev.range

        body = self.parse_single_attribute_body(open_brace)
        after = self.peek()
        if after.type is T.CBrace:
            self.read()
        elif after.type is T.Comma:
            detail = (
                "Single-line block syntax can include only one argument definition. To define multiple arguments,"
                " use the multi-line block syntax with one argument definition per line."
            )
            self.report(error("Invalid single-argument block definition", detail, after.range))
            self.recover(T.CBrace)
        elif after.type is T.Newline:
            detail = (
                "An argument definition on the same line as its containing block creates a single-line block"
                " definition, which must also be closed on the same line. Place the block's closing brace"
                " immediately after the argument definition."
            )
            self.report(error("Invalid single-argument block definition", detail, after.range))
            self.recover(T.CBrace)
        else:
            if after.type is T.EOF:
                context = Range.between(ident.range, open_brace.range)
                diagnostic = error(
                    "Unclosed configuration block", _UNCLOSED_BLOCK, open_brace.range, context=context
                )
            else:
                detail = (
                    "A single-line block definition must end with a closing brace immediately after its single"
                    " argument definition."
                )
                diagnostic = error("Invalid single-argument block definition", detail, after.range)
            self.report_unless_recovering(diagnostic)
            self.recover(T.CBrace)
        close_range = self.prev.range
        if body is None:
            body = Body({}, [], [], Range.between(open_brace.range, close_range), close_range)
        return body, close_range

    def parse_single_attribute_body(self, open_brace: Token) -> Body | None:
        """Parse `{ name = value }` on one line; return None when it has no attribute."""
        ident = self.read()
        next_token = self.peek()
        if ident.type is T.Ident and next_token.type is T.Equal:
            attribute = self.finish_parsing_body_attribute(ident, single_line=True)
            end = Range(attribute.range.filename, attribute.range.end, attribute.range.end)
            return Body({attribute.name: attribute}, [], [attribute], attribute.range, end)

        self.recover_after_body_item()
        if ident.type is not T.Ident:
            self.report(error("Argument or block definition required", _DEFINITION_REQUIRED, ident.range))
        elif next_token.type in (T.OQuote, T.OBrace, T.Ident):
            name = ident.bytes.decode("utf-8", "replace")
            detail = (
                "A single-line block definition can contain only a single argument. If you meant to define"
                f" argument {quote_name(name)}, use an equals sign to assign it a value. To define a nested block,"
                " place it on a line of its own within its parent block."
            )
            self.report(
                error("Argument definition required", detail, Range.between(ident.range, next_token.range))
            )
        else:
            detail = (
                _DEFINITION_REQUIRED
                + ' To set an argument, use the equals sign "=" to introduce the argument value.'
            )
            self.report(error("Argument or block definition required", detail, ident.range))
        return None


# The default start of a source: line 1, column 1, byte 0. Pos is immutable, so one is shared.
_FILE_START = Pos()


_BOM = b"\xef\xbb\xbf"


def parse_config(src: bytes, filename: str, start: Pos = _FILE_START) -> tuple[File, Diagnostics]:
    """Parse a whole configuration file in the native syntax.

    file, diags = parse_config(path.read_bytes(), str(path))
    content, more = file.body.content(schema)
    """
    src = src.removeprefix(_BOM)
    # The scanner and parser allocate several objects per token and free none of them. The
    # cyclic garbage collector finds nothing to collect, yet each full collection walks every
    # token so far, so parse time grew faster than the file: a 40,000-line file took about
    # twice as long per line as a 1,000-line one. The collector runs again after the parse,
    # so it still frees any cycle made here.
    collecting = gc.isenabled()
    gc.disable()
    try:
        tokens = scan_config(src, filename, start)
        parser = Parser(tokens)
        with RecursionRoom():
            body = parser.parse_body(T.EOF)
    finally:
        if collecting:
            gc.enable()

    diags = check_invalid_tokens(tokens)
    diags.extend(parser.diags)
    return File(body, src), diags


def parse_expression(src: bytes, filename: str, start: Pos = _FILE_START) -> tuple[Expression, Diagnostics]:
    """Parse a standalone expression, as given with `-var` or in a variable file.

    expr, diags = parse_expression(b"[1, 2]", "<value for var.x>")
    """
    tokens = scan_config(src, filename, start)
    parser = Parser(tokens)
    # A bare expression ignores newlines, as if it were wrapped in parentheses.
    parser.push_newlines(False)
    with RecursionRoom():
        expr = parser.parse_expression()
    next_token = parser.peek()
    if next_token.type is not T.EOF and not parser.recovery:
        detail = "An expression was successfully parsed, but extra characters were found after it."
        parser.report(error("Extra characters after expression", detail, next_token.range))

    diags = check_invalid_tokens(tokens)
    diags.extend(parser.diags)
    return expr, diags


def parse_template(src: bytes, filename: str, start: Pos = _FILE_START) -> tuple[Expression, Diagnostics]:
    """Parse a bare template such as a file rendered by `templatefile`.

    expr, diags = parse_template(b"Hello, ${name}!", "greeting.tpl")
    """
    tokens = scan_template(src, filename, start)
    parser = Parser(tokens)
    with RecursionRoom():
        parts, passthrough, whole = parse_template_inner(parser, T.EOF, flush_heredoc=False)
    expr: Expression = TemplateWrapExpr(parts[0], whole) if passthrough else TemplateExpr(parts, whole)

    diags = check_invalid_tokens(tokens)
    diags.extend(parser.diags)
    return expr, diags


def parse_traversal_abs(src: bytes, filename: str, start: Pos = _FILE_START) -> tuple[Traversal, Diagnostics]:
    """Parse a traversal such as `var.a[0].b`, made only of names, attributes and constant indexes.

    traversal, diags = parse_traversal_abs(b"source.null.basic", "<only>")
    """
    tokens = scan_config(src, filename, start)
    parser = Parser(tokens)
    parser.push_newlines(False)
    traversal = parser.parse_traversal()

    diags = check_invalid_tokens(tokens)
    diags.extend(parser.diags)
    return traversal, diags
