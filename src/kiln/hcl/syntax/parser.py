"""The recursive-descent parser of HCL's native syntax.

It follows hclsyntax's grammar, precedence, recovery and diagnostics. On an error it reports a
diagnostic and leaves a placeholder in the tree. It then skips to a point where parsing can
resume (the end of the bracketed construct or of the body item) and carries on, so one parse
reports every problem it can. Like hclsyntax, it goes quiet on follow-on errors after a recovery, but only
until the next body item starts, where the token stream is known to be back in step.

    file, diags = parse_config(b'a = 1\\n', "main.pkr.hcl")
    file.body.attributes["a"].expr  # LiteralValueExpr(Decimal('1'))
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Pos, Range, error
from kiln.hcl.syntax.ast import (
    AnonSymbolExpr,
    Attribute,
    BinaryOpExpr,
    Block,
    Body,
    ConditionalExpr,
    Expression,
    ExprSyntaxError,
    File,
    ForExpr,
    FunctionCallExpr,
    IndexExpr,
    LiteralValueExpr,
    ObjectConsExpr,
    ObjectConsItem,
    ObjectConsKeyExpr,
    Operation,
    ParenthesesExpr,
    RelativeTraversalExpr,
    ScopeTraversalExpr,
    SplatExpr,
    TemplateExpr,
    TemplateWrapExpr,
    Traversal,
    TraverseAttr,
    TraverseIndex,
    TraverseRoot,
    TupleConsExpr,
    UnaryOpExpr,
    _quote,
)
from kiln.hcl.syntax.invalid import check_invalid_tokens
from kiln.hcl.syntax.template import _range_text, parse_template_inner, string_literal_value
from kiln.hcl.syntax.tokens import Token, TokenType, scan_config, scan_template

__all__ = ["parse_config", "parse_expression", "parse_template", "parse_traversal_abs"]

T = TokenType

# Binary operators by precedence level, lowest first. Each level is left-associative.
_BINARY_OPS: dict[TokenType, tuple[int, Operation]] = {
    T.Or: (0, Operation.LogicalOr),
    T.And: (1, Operation.LogicalAnd),
    T.EqualOp: (2, Operation.Equal),
    T.NotEqual: (2, Operation.NotEqual),
    T.GreaterThan: (3, Operation.GreaterThan),
    T.GreaterThanEq: (3, Operation.GreaterThanOrEqual),
    T.LessThan: (3, Operation.LessThan),
    T.LessThanEq: (3, Operation.LessThanOrEqual),
    T.Plus: (4, Operation.Add),
    T.Minus: (4, Operation.Subtract),
    T.Star: (5, Operation.Multiply),
    T.Slash: (5, Operation.Divide),
    T.Percent: (5, Operation.Modulo),
}

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

_UNCLOSED_BLOCK = (
    "There is no closing brace for this block before the end of the file. This may be caused by"
    " incorrect brace nesting elsewhere in this file."
)
_DEFINITION_REQUIRED = "An argument or block definition is required here."


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


class Parser:
    """Parser state: the token stream, a newline-sensitivity stack and the recovery flag."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = _prepare(tokens)
        self.pos = 0
        self.include_newlines = [True]
        self.recovery = False
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
                            f"The argument {_quote(item.name)} was already set at"
                            f" {_range_text(existing.name_range)}. Each argument may be set only once.",
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
        if self.peek().type in (T.Newline, T.EOF, T.CBrace):
            body = self.parse_body(T.CBrace)
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
                f" argument {_quote(name)}, use an equals sign to assign it a value. To define a nested block,"
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

    def parse_quoted_string_literal(self) -> tuple[str, Range]:
        """Parse a quoted string that may not contain template sequences, such as a block label."""
        open_quote = self.read()
        parts: list[str] = []
        while True:
            token = self.read()
            if token.type is T.CQuote:
                end_range = token.range
                break
            if token.type is T.QuotedLit:
                parts.append(string_literal_value(self, token))
                continue
            context = Range.between(open_quote.range, token.range)
            if token.type is T.TemplateInterp or token.type is T.TemplateControl:
                which = "$" if token.type is T.TemplateInterp else "%"
                detail = (
                    f"Template sequences are not allowed in this string. To include a literal {_quote(which)},"
                    f' double it (as "{which}{which}") to escape it.'
                )
                self.report(error("Invalid string literal", detail, token.range, context=context))
                parts.append(which + "{ ... }")
                self.recover(T.TemplateSeqEnd)
                continue
            if token.type is T.EOF:
                detail = "Unable to find the closing quote mark before the end of the file."
                self.report(error("Unterminated string literal", detail, token.range, context=context))
            else:
                detail = "This item is not valid in a string literal."
                self.report(error("Invalid string literal", detail, token.range, context=context))
                self.recover(T.CQuote)
            end_range = token.range
            break
        return "".join(parts), Range.between(open_quote.range, end_range)

    # Expressions --------------------------------------------------------------------------

    def parse_expression(self) -> Expression:
        """Parse a full expression, including a conditional (`a ? b : c`)."""
        start_range = self.peek().range
        errors_before = len(self.diags)
        condition = self.parse_binary(0)
        if (self.recovery and len(self.diags) > errors_before) or self.peek().type is not T.Question:
            return condition
        self.read()

        errors_before = len(self.diags)
        true_result = self.parse_expression()
        if self.recovery and len(self.diags) > errors_before:
            return condition
        colon = self.peek()
        if colon.type is not T.Colon:
            detail = (
                "The conditional operator (...?...:...) requires a false expression, delimited by a colon."
            )
            context = Range.between(start_range, colon.range)
            self.report(
                error("Missing false expression in conditional", detail, colon.range, context=context)
            )
            return condition
        self.read()

        errors_before = len(self.diags)
        false_result = self.parse_expression()
        if self.recovery and len(self.diags) > errors_before:
            return condition
        return ConditionalExpr(
            condition, true_result, false_result, Range.between(start_range, false_result.range)
        )

    def parse_binary(self, min_level: int) -> Expression:
        """Parse operators of precedence `min_level` and above by precedence climbing."""
        errors_before = len(self.diags)
        lhs = self.parse_expression_with_traversals()
        if self.recovery and len(self.diags) > errors_before:
            return lhs
        while True:
            entry = _BINARY_OPS.get(self.peek().type)
            if entry is None or entry[0] < min_level:
                return lhs
            level, operation = entry
            self.read()
            errors_before = len(self.diags)
            rhs = self.parse_binary(level + 1)
            if self.recovery and len(self.diags) > errors_before:
                return lhs
            lhs = BinaryOpExpr(operation, lhs, rhs, Range.between(lhs.range, rhs.range))

    def parse_expression_with_traversals(self) -> Expression:
        term = self.parse_expression_term()
        return self.parse_expression_traversals(term)

    def parse_expression_term(self) -> Expression:
        start = self.peek()
        type_ = start.type
        if type_ is T.Ident:
            return self.parse_ident_term()
        if type_ is T.NumberLit:
            self.read()
            return LiteralValueExpr(self.number_value(start), start.range)
        if type_ is T.OQuote or type_ is T.OHeredoc:
            return self.parse_template_term()
        if type_ is T.OParen:
            return self.parse_parentheses()
        if type_ is T.OBrack:
            return self.parse_tuple_cons()
        if type_ is T.OBrace:
            return self.parse_object_cons()
        if type_ is T.Minus or type_ is T.Bang:
            self.read()
            # Only traversals bind tighter than a unary operator: -46+5 is (-46)+5.
            operand = self.parse_expression_with_traversals()
            operation = Operation.Negate if type_ is T.Minus else Operation.LogicalNot
            return UnaryOpExpr(operation, operand, Range.between(start.range, operand.range), start.range)

        if type_ is T.EOF:
            detail = "Expected the start of an expression, but found the end of the file."
            self.report_unless_recovering(error("Missing expression", detail, start.range))
        else:
            detail = "Expected the start of an expression, but found an invalid expression token."
            self.report_unless_recovering(error("Invalid expression", detail, start.range))
        self.recovery = True
        return ExprSyntaxError(start.range)

    def parse_ident_term(self) -> Expression:
        token = self.read()
        if self.peek().type is T.OParen:
            return self.finish_parsing_function_call(token)
        name = token.bytes.decode("utf-8", "replace")
        if name == "true":
            return LiteralValueExpr(True, token.range)
        if name == "false":
            return LiteralValueExpr(False, token.range)
        if name == "null":
            return LiteralValueExpr(None, token.range)
        return ScopeTraversalExpr(Traversal([TraverseRoot(name, token.range)]), token.range)

    def parse_parentheses(self) -> Expression:
        open_paren = self.read()
        self.push_newlines(False)
        errors_before = len(self.diags)
        expr = self.parse_expression()
        if len(self.diags) > errors_before:
            self.recover(T.CParen)
            self.pop_newlines()
            return expr

        close = self.peek()
        if close.type is not T.CParen:
            detail = "Expected a closing parenthesis to terminate the expression."
            context = Range.between(open_paren.range, close.range)
            self.report(error("Unbalanced parentheses", detail, close.range, context=context))
            self.recovery = True
        close = self.read()
        self.pop_newlines()
        return ParenthesesExpr(expr, Range.between(open_paren.range, close.range))

    def number_value(self, token: Token) -> Decimal | None:
        try:
            return Decimal(token.bytes.decode("ascii"))
        except (InvalidOperation, UnicodeDecodeError):
            detail = "Failed to recognize the value of this number literal."
            self.report(error("Invalid number literal", detail, token.range))
            return None

    def finish_parsing_function_call(self, name: Token) -> Expression:
        open_paren = self.read()
        args: list[Expression] = []
        expand_final = False
        close: Token | None = None
        self.push_newlines(False)
        while True:
            if self.peek().type is T.CParen:
                close = self.read()
                break
            errors_before = len(self.diags)
            args.append(self.parse_expression())
            if self.recovery and len(self.diags) > errors_before:
                recovered = self.recover(T.CParen)
                close = recovered if recovered.type is T.CParen else None
                break

            separator = self.read()
            if separator.type is T.CParen:
                close = separator
                break
            if separator.type is T.Ellipsis:
                expand_final = True
                if self.peek().type is T.CParen:
                    close = self.read()
                else:
                    detail = "An expanded function argument (with ...) must be immediately followed by closing parentheses."
                    context = Range.between(name.range, separator.range)
                    self.report_unless_recovering(
                        error("Missing closing parenthesis", detail, separator.range, context=context)
                    )
                    close = self.recover(T.CParen)
                break
            if separator.type is not T.Comma:
                if separator.type is T.EOF:
                    detail = (
                        "There is no closing parenthesis for this function call before the end of the file. This may be"
                        " caused by incorrect parenthesis nesting elsewhere in this file."
                    )
                    self.report(
                        error(
                            "Unterminated function call", detail, Range.between(name.range, open_paren.range)
                        )
                    )
                else:
                    detail = "A comma is required to separate each function argument from the next."
                    context = Range.between(name.range, separator.range)
                    self.report(error("Missing argument separator", detail, separator.range, context=context))
                close = self.recover(T.CParen)
                break
            if self.peek().type is T.CParen:
                close = self.read()
                break
        self.pop_newlines()

        close_range = close.range if close is not None else self.prev.range
        return FunctionCallExpr(
            name.bytes.decode("utf-8", "replace"),
            args,
            expand_final,
            Range.between(name.range, close_range),
            name.range,
            open_paren.range,
            close_range,
        )

    def parse_tuple_cons(self) -> Expression:
        open_bracket = self.read()
        self.push_newlines(False)
        try:
            if _is_keyword(self.peek(), b"for"):
                return self.finish_parsing_for_expr(open_bracket)
            return self.finish_parsing_tuple_cons(open_bracket)
        finally:
            self.pop_newlines()

    def finish_parsing_tuple_cons(self, open_bracket: Token) -> Expression:
        exprs: list[Expression] = []
        while True:
            if self.peek().type is T.CBrack:
                close = self.read()
                break
            errors_before = len(self.diags)
            exprs.append(self.parse_expression())
            if self.recovery and len(self.diags) > errors_before:
                close = self.recover(T.CBrack)
                break
            next_token = self.peek()
            if next_token.type is T.CBrack:
                close = self.read()
                break
            if next_token.type is not T.Comma:
                if next_token.type is T.EOF:
                    detail = (
                        "There is no corresponding closing bracket before the end of the file. This may be caused by"
                        " incorrect bracket nesting elsewhere in this file."
                    )
                    diagnostic = error(
                        "Unterminated tuple constructor expression", detail, open_bracket.range
                    )
                else:
                    detail = "Expected a comma to mark the beginning of the next item."
                    context = Range.between(open_bracket.range, next_token.range)
                    diagnostic = error("Missing item separator", detail, next_token.range, context=context)
                self.report_unless_recovering(diagnostic)
                close = self.recover(T.CBrack)
                break
            self.read()
        return TupleConsExpr(exprs, Range.between(open_bracket.range, close.range), open_bracket.range)

    def parse_object_cons(self) -> Expression:
        open_brace = self.read()
        self.push_newlines(False)
        is_for = _is_keyword(self.peek(), b"for")
        self.pop_newlines()
        if is_for:
            self.push_newlines(False)
            try:
                return self.finish_parsing_for_expr(open_brace)
            finally:
                self.pop_newlines()

        self.push_newlines(True)
        try:
            return self.finish_parsing_object_cons(open_brace)
        finally:
            self.pop_newlines()

    def finish_parsing_object_cons(self, open_brace: Token) -> Expression:
        items: list[ObjectConsItem] = []
        unterminated = (
            "There is no corresponding closing brace before the end of the file. This may be caused by incorrect"
            " brace nesting elsewhere in this file."
        )
        while True:
            next_token = self.peek()
            if next_token.type is T.Newline:
                self.read()
                continue
            if next_token.type is T.CBrace:
                close = self.read()
                break

            force_non_literal = next_token.type is T.OParen
            errors_before = len(self.diags)
            key = self.parse_expression()
            if self.recovery and len(self.diags) > errors_before:
                close = self.recover(T.CBrace)
                break
            key_expr = ObjectConsKeyExpr(key, force_non_literal, key.range)

            next_token = self.peek()
            if next_token.type is not T.Equal and next_token.type is not T.Colon:
                context = Range.between(open_brace.range, next_token.range)
                if next_token.type is T.Newline or next_token.type is T.Comma:
                    detail = 'Expected an attribute value, introduced by an equals sign ("=").'
                    diagnostic = error("Missing attribute value", detail, next_token.range, context=context)
                elif next_token.type is T.Ident:
                    detail = (
                        'Expected an equals sign ("=") to mark the beginning of the attribute value. If you intended'
                        " to given an attribute name containing periods or spaces, write the name in quotes to"
                        " create a string literal."
                    )
                    diagnostic = error(
                        "Missing key/value separator", detail, next_token.range, context=context
                    )
                elif next_token.type is T.EOF:
                    diagnostic = error(
                        "Unterminated object constructor expression", unterminated, open_brace.range
                    )
                else:
                    detail = 'Expected an equals sign ("=") to mark the beginning of the attribute value.'
                    diagnostic = error(
                        "Missing key/value separator", detail, next_token.range, context=context
                    )
                self.report_unless_recovering(diagnostic)
                close = self.recover(T.CBrace)
                break
            self.read()

            errors_before = len(self.diags)
            value = self.parse_expression()
            items.append(ObjectConsItem(key_expr, value))
            if self.recovery and len(self.diags) > errors_before:
                close = self.recover(T.CBrace)
                break

            next_token = self.peek()
            if next_token.type is T.CBrace:
                close = self.read()
                break
            if next_token.type is not T.Comma and next_token.type is not T.Newline:
                if next_token.type is T.EOF:
                    diagnostic = error(
                        "Unterminated object constructor expression", unterminated, open_brace.range
                    )
                else:
                    detail = "Expected a newline or comma to mark the beginning of the next attribute."
                    context = Range.between(open_brace.range, next_token.range)
                    diagnostic = error(
                        "Missing attribute separator", detail, next_token.range, context=context
                    )
                self.report_unless_recovering(diagnostic)
                close = self.recover(T.CBrace)
                break
            self.read()
        return ObjectConsExpr(items, Range.between(open_brace.range, close.range), open_brace.range)

    def finish_parsing_for_expr(self, open_token: Token) -> Expression:
        """Parse `for k, v in coll : [key =>] value [...] [if cond]` after the opening bracket."""
        self.read()  # the "for" keyword
        make_object = open_token.type is T.OBrace
        close_type = T.CBrace if make_object else T.CBrack

        key_var = ""
        if self.peek().type is not T.Ident:
            return self.abandon_for_expr(
                open_token, close_type, "For expression requires variable name after 'for'."
            )
        val_var = self.read().bytes.decode("utf-8", "replace")
        if self.peek().type is T.Comma:
            self.read()
            key_var = val_var
            if self.peek().type is not T.Ident:
                return self.abandon_for_expr(
                    open_token, close_type, "For expression requires value variable name after comma."
                )
            val_var = self.read().bytes.decode("utf-8", "replace")
        if not _is_keyword(self.peek(), b"in"):
            return self.abandon_for_expr(
                open_token,
                close_type,
                "For expression requires the 'in' keyword after its name declarations.",
            )
        self.read()

        errors_before = len(self.diags)
        coll_expr = self.parse_expression()
        if self.recovery and len(self.diags) > errors_before:
            return self.abandon_for_expr(open_token, close_type, None)
        if self.peek().type is not T.Colon:
            return self.abandon_for_expr(
                open_token, close_type, "For expression requires a colon after the collection expression."
            )
        self.read()

        errors_before = len(self.diags)
        key_expr: Expression | None = None
        val_expr = self.parse_expression()
        if self.peek().type is T.FatArrow:
            self.read()
            key_expr = val_expr
            val_expr = self.parse_expression()
        if self.recovery and len(self.diags) > errors_before:
            return self.abandon_for_expr(open_token, close_type, None)

        group = False
        ellipsis: Token | None = None
        if self.peek().type is T.Ellipsis:
            ellipsis = self.read()
            group = True

        cond_expr: Expression | None = None
        if _is_keyword(self.peek(), b"if"):
            self.read()
            errors_before = len(self.diags)
            cond_expr = self.parse_expression()
            if self.recovery and len(self.diags) > errors_before:
                return self.abandon_for_expr(open_token, close_type, None)

        if self.peek().type is close_type:
            close = self.read()
        else:
            peeked = self.peek()
            detail = "Extra characters after the end of the 'for' expression."
            context = Range.between(open_token.range, peeked.range)
            self.report_unless_recovering(
                error("Invalid 'for' expression", detail, peeked.range, context=context)
            )
            close = self.recover(close_type)

        whole = Range.between(open_token.range, close.range)
        self.check_for_expr_shape(make_object, key_expr, val_expr, ellipsis, whole)
        return ForExpr(
            key_var,
            val_var,
            coll_expr,
            key_expr,
            val_expr,
            cond_expr,
            group,
            whole,
            open_token.range,
            close.range,
        )

    def check_for_expr_shape(
        self,
        make_object: bool,
        key_expr: Expression | None,
        val_expr: Expression,
        ellipsis: Token | None,
        whole: Range,
    ) -> None:
        if not make_object:
            if key_expr is not None:
                detail = "Key expression is not valid when building a tuple."
                self.report(error("Invalid 'for' expression", detail, key_expr.range, context=whole))
            if ellipsis is not None:
                detail = "Grouping ellipsis (...) cannot be used when building a tuple."
                self.report(error("Invalid 'for' expression", detail, ellipsis.range, context=whole))
        elif key_expr is None:
            detail = "Key expression is required when building an object."
            self.report(error("Invalid 'for' expression", detail, val_expr.range, context=whole))

    def abandon_for_expr(self, open_token: Token, close_type: TokenType, detail: str | None) -> Expression:
        if detail is not None:
            peeked = self.peek()
            context = Range.between(open_token.range, peeked.range)
            self.report_unless_recovering(
                error("Invalid 'for' expression", detail, peeked.range, context=context)
            )
        close = self.recover(close_type)
        return ExprSyntaxError(Range.between(open_token.range, close.range))

    # Traversals ---------------------------------------------------------------------------

    def parse_expression_traversals(self, source: Expression) -> Expression:
        result = source
        while True:
            next_type = self.peek().type
            if next_type is T.Dot:
                result = self.parse_dot_step(source, result)
                if isinstance(result, ExprSyntaxError):
                    return result
            elif next_type is T.OBrack:
                result = self.parse_bracket_step(source, result)
            else:
                return result

    def parse_dot_step(self, source: Expression, result: Expression) -> Expression:
        dot = self.read()
        name_token = self.peek()
        if name_token.type is T.Ident:
            self.read()
            step_range = Range.between(dot.range, name_token.range)
            step = TraverseAttr(name_token.bytes.decode("utf-8", "replace"), step_range)
            return _extend_traversal(result, step, step_range)
        if name_token.type is T.NumberLit:
            self.read()
            step_range = Range.between(dot.range, name_token.range)
            return _extend_traversal(
                result, self.legacy_index(name_token, step_range, splat=False), step_range
            )
        if name_token.type is T.Star:
            return self.finish_attribute_splat(source, result, dot)

        self.report(
            error("Invalid attribute name", "An attribute name is required after a dot.", name_token.range)
        )
        self.recovery = True
        return ExprSyntaxError(Range.between(source.range, dot.range))

    def legacy_index(self, number: Token, step_range: Range, splat: bool) -> TraverseIndex:
        """Build the step for HIL's legacy `.0` index syntax, rejecting chained `.0.1`."""
        if b"." in number.bytes:
            first, second = number.bytes.decode("ascii").split(".", 1)
            proper = (
                "the proper index syntax with a full splat expression [*]"
                if splat
                else "the proper index syntax"
            )
            detail = (
                "When using the legacy index syntax, chaining two indexes together is not permitted. Use"
                f" {proper} instead, like [{first}][{second}]."
            )
            self.report(error("Invalid legacy index syntax", detail, number.range))
            return TraverseIndex(None, step_range)
        return TraverseIndex(self.number_value(number), step_range)

    def finish_attribute_splat(self, source: Expression, result: Expression, dot: Token) -> Expression:
        """Parse the attribute-only splat `.*.name.name` after its dot."""
        marker = self.read()
        traversal = Traversal()
        first_range = self.peek().range
        last_range = marker.range
        while self.peek().type is T.Dot:
            step_dot = self.read()
            step_token = self.peek()
            if step_token.type is T.NumberLit:
                self.read()
                step_range = Range.between(step_dot.range, step_token.range)
                traversal.append(self.legacy_index(step_token, step_range, splat=True))
                last_range = step_token.range
                continue
            if step_token.type is not T.Ident:
                if step_token.type is T.Star:
                    detail = "A splat expression (*) cannot be used inside another attribute-only splat expression."
                    self.report_unless_recovering(
                        error("Nested splat expression not allowed", detail, step_token.range)
                    )
                else:
                    detail = "An attribute name is required after a dot."
                    self.report_unless_recovering(error("Invalid attribute name", detail, step_token.range))
                self.recovery = True
                break
            self.read()
            step_range = Range.between(step_dot.range, step_token.range)
            traversal.append(TraverseAttr(step_token.bytes.decode("utf-8", "replace"), step_range))
            last_range = step_token.range

        marker_range = Range.between(dot.range, marker.range)
        item = AnonSymbolExpr(marker_range)
        each: Expression = item
        if traversal:
            each = RelativeTraversalExpr(item, traversal, Range.between(first_range, last_range))
        whole = Range.between(source.range, last_range)
        return SplatExpr(result, each, item, whole, marker_range, attr_only=True)

    def parse_bracket_step(self, source: Expression, result: Expression) -> Expression:
        open_bracket = self.read()
        if self.peek().type is T.Star:
            self.read()
            close = self.read()
            if close.type is not T.CBrack and not self.recovery:
                detail = 'The star for a full splat operator must be immediately followed by a closing bracket ("]").'
                self.report(error("Missing close bracket on splat index", detail, close.range))
                close = self.recover(T.CBrack)
            marker_range = Range.between(open_bracket.range, close.range)
            item = AnonSymbolExpr(marker_range)
            each = self.parse_expression_traversals(item)
            return SplatExpr(result, each, item, Range.between(source.range, each.range), marker_range)

        self.push_newlines(False)
        errors_before = len(self.diags)
        key = self.parse_expression()
        if self.recovery and len(self.diags) > errors_before:
            close = self.recover(T.CBrack)
        else:
            close = self.read()
            if close.type is not T.CBrack and not self.recovery:
                detail = 'The index operator must end with a closing bracket ("]").'
                self.report(error("Missing close bracket on index", detail, close.range))
                close = self.recover(T.CBrack)
        self.pop_newlines()

        bracket_range = Range.between(open_bracket.range, close.range)
        if isinstance(key, LiteralValueExpr):
            return _extend_traversal(result, TraverseIndex(key.value, bracket_range), bracket_range)
        if isinstance(key, TemplateExpr) and key.is_string_literal():
            literal = key.parts[0]
            assert isinstance(literal, LiteralValueExpr)
            return _extend_traversal(result, TraverseIndex(literal.value, bracket_range), bracket_range)
        return IndexExpr(
            result, key, Range.between(source.range, bracket_range), open_bracket.range, bracket_range
        )

    def parse_traversal(self) -> Traversal:
        """Parse an absolute traversal: a name, then `.attr`, `[number]` or `["string"]` steps."""
        root = self.read()
        if root.type is not T.Ident:
            self.report(error("Variable name required", "Must begin with a variable name.", root.range))
            return Traversal()
        traversal = Traversal([TraverseRoot(root.bytes.decode("utf-8", "replace"), root.range)])
        while True:
            next_token = self.peek()
            if next_token.type is T.EOF:
                return traversal
            context = Range.between(root.range, next_token.range)
            if next_token.type is T.Dot:
                dot = self.read()
                name = self.read()
                if name.type is not T.Ident:
                    detail = (
                        "Splat expressions (.*) may not be used here."
                        if name.type is T.Star
                        else "Dot must be followed by attribute name."
                    )
                    context = Range.between(root.range, name.range)
                    self.report(error("Attribute name required", detail, name.range, context=context))
                    return traversal
                step_range = Range.between(dot.range, name.range)
                traversal.append(TraverseAttr(name.bytes.decode("utf-8", "replace"), step_range))
            elif next_token.type is T.OBrack:
                if not self.parse_traversal_index(traversal, root):
                    return traversal
            else:
                detail = "Expected an attribute access or an index operator."
                self.report(error("Invalid character", detail, next_token.range, context=context))
                return traversal

    def parse_traversal_index(self, traversal: Traversal, root: Token) -> bool:
        open_bracket = self.read()
        key_token = self.peek()
        key: Decimal | str | None
        if key_token.type is T.NumberLit:
            self.read()
            key = self.number_value(key_token)
        elif key_token.type is T.OQuote:
            key, _ = self.parse_quoted_string_literal()
        else:
            if key_token.type is T.Star:
                summary, detail = "Attribute name required", "Splat expressions ([*]) may not be used here."
            else:
                summary = "Index value required"
                detail = "Index brackets must contain either a literal number or a literal string."
            context = Range.between(root.range, key_token.range)
            self.report(error(summary, detail, key_token.range, context=context))
            return False
        close = self.read()
        if close.type is not T.CBrack:
            detail = "Index key must be followed by a closing bracket."
            context = Range.between(open_bracket.range, close.range)
            self.report(error("Unclosed index brackets", detail, close.range, context=context))
        traversal.append(TraverseIndex(key, Range.between(open_bracket.range, close.range)))
        return close.type is T.CBrack

    # Templates ----------------------------------------------------------------------------

    def parse_template_term(self) -> Expression:
        open_token = self.read()
        closer = T.CQuote if open_token.type is T.OQuote else T.CHeredoc
        flush = open_token.type is T.OHeredoc and open_token.bytes.startswith(b"<<-")
        parts, passthrough, _ = parse_template_inner(self, closer, flush)
        whole = Range.between(open_token.range, self.prev.range)
        if passthrough:
            return TemplateWrapExpr(parts[0], whole)
        return TemplateExpr(parts, whole)


def _is_keyword(token: Token, keyword: bytes) -> bool:
    return token.type is T.Ident and token.bytes == keyword


def _extend_traversal(expr: Expression, step: TraverseAttr | TraverseIndex, step_range: Range) -> Expression:
    """Append a constant step to a traversal expression, or start a relative traversal."""
    if isinstance(expr, ScopeTraversalExpr | RelativeTraversalExpr):
        expr.traversal.append(step)
        expr.range = Range.between(expr.range, step_range)
        return expr
    return RelativeTraversalExpr(expr, Traversal([step]), Range.between(expr.range, step_range))


# The default start of a source: line 1, column 1, byte 0. Pos is immutable, so one is shared.
_FILE_START = Pos()


_BOM = b"\xef\xbb\xbf"


def parse_config(src: bytes, filename: str, start: Pos = _FILE_START) -> tuple[File, Diagnostics]:
    """Parse a whole configuration file in the native syntax.

    file, diags = parse_config(path.read_bytes(), str(path))
    content, more = file.body.content(schema)
    """
    src = src.removeprefix(_BOM)
    tokens = scan_config(src, filename, start)
    parser = Parser(tokens)
    body = parser.parse_body(T.EOF)

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
    parts, passthrough, whole = parse_template_inner(parser, T.EOF, flush_heredoc=False)
    expr: Expression = TemplateWrapExpr(parts[0], whole) if passthrough else TemplateExpr(parts, whole)

    diags = check_invalid_tokens(tokens)
    diags.extend(parser.diags)
    return expr, diags


def parse_traversal_abs(src: bytes, filename: str, start: Pos = _FILE_START) -> tuple[Traversal, Diagnostics]:
    """Parse a traversal such as `var.a[0].b`; only names, attributes and constant indexes.

    traversal, diags = parse_traversal_abs(b"source.null.basic", "<only>")
    """
    tokens = scan_config(src, filename, start)
    parser = Parser(tokens)
    parser.push_newlines(False)
    traversal = parser.parse_traversal()

    diags = check_invalid_tokens(tokens)
    diags.extend(parser.diags)
    return traversal, diags
