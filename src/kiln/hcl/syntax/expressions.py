"""Expression parsing: operators by precedence, terms, traversals, splats and `for`."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from kiln.hcl.diagnostics import Range, error, quote_name
from kiln.hcl.syntax.ast import (
    AnonSymbolExpr,
    BinaryOpExpr,
    ConditionalExpr,
    Expression,
    ExprSyntaxError,
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
)
from kiln.hcl.syntax.stream import MAX_NESTING, TokenStream, is_keyword
from kiln.hcl.syntax.template import parse_template_inner, string_literal_value
from kiln.hcl.syntax.tokens import Token, TokenType

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


# Tokens that open a nested expression, with the token that closes it.
_NESTED_CLOSERS = {
    T.OParen: T.CParen,
    T.OBrack: T.CBrack,
    T.OBrace: T.CBrace,
    T.OQuote: T.CQuote,
    T.OHeredoc: T.CHeredoc,
}


class ExpressionParser(TokenStream):
    """Parses expressions; `Parser` adds bodies and blocks on top."""

    # Expressions --------------------------------------------------------------------------

    def parse_expression(self) -> Expression:
        """Parse a full expression, including a conditional (`a ? b : c`)."""
        if self.depth >= MAX_NESTING:
            return self.skip_too_deep()
        self.depth += 1
        expr = self.parse_conditional()
        self.depth -= 1
        return expr

    def skip_too_deep(self) -> Expression:
        """Report an expression nested past MAX_NESTING and skip it."""
        start = self.peek()
        detail = f"Expressions may be nested at most {MAX_NESTING} levels deep."
        self.report_unless_recovering(error("Expression too deeply nested", detail, start.range))
        self.recovery = True
        closer = _NESTED_CLOSERS.get(start.type)
        if closer is None:
            return ExprSyntaxError(start.range)
        # Skip the whole nested construct, so the caller does not step into it again.
        self.read()
        return ExprSyntaxError(Range.between(start.range, self.recover(closer).range))

    def parse_conditional(self) -> Expression:
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
            if self.depth >= MAX_NESTING:
                return self.skip_too_deep()
            self.read()
            # Only traversals bind tighter than a unary operator: -46+5 is (-46)+5.
            self.depth += 1
            operand = self.parse_expression_with_traversals()
            self.depth -= 1
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
            if is_keyword(self.peek(), b"for"):
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
        is_for = is_keyword(self.peek(), b"for")
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
        if not is_keyword(self.peek(), b"in"):
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
        if is_keyword(self.peek(), b"if"):
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
                    f"Template sequences are not allowed in this string. To include a literal {quote_name(which)},"
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

    # Templates ----------------------------------------------------------------------------

    def parse_template_term(self) -> Expression:
        open_token = self.read()
        if open_token.type is T.OQuote:
            literal = self.parse_plain_string(open_token)
            if literal is not None:
                return literal
        closer = T.CQuote if open_token.type is T.OQuote else T.CHeredoc
        flush = open_token.type is T.OHeredoc and open_token.bytes.startswith(b"<<-")
        parts, passthrough, _ = parse_template_inner(self, closer, flush)
        whole = Range.between(open_token.range, self.prev.range)
        if passthrough:
            return TemplateWrapExpr(parts[0], whole)
        return TemplateExpr(parts, whole)

    def parse_plain_string(self, open_token: Token) -> Expression | None:
        """Parse `"text"` with no template sequences directly; return None for anything else.

        This is the most common expression in configuration files, and it yields the same tree
        as the general template path, without that path's two passes.
        """
        tokens = self.tokens
        index = self.pos
        first = tokens[index]
        if first.type is T.CQuote:
            point = Range(first.range.filename, first.range.start, first.range.start)
            parts: list[Expression] = [LiteralValueExpr("", point)]
            close = first
        elif first.type is T.QuotedLit and tokens[index + 1].type is T.CQuote:
            value = string_literal_value(self, first)
            if not value.isascii():
                value = unicodedata.normalize("NFC", value)
            parts = [LiteralValueExpr(value, first.range)]
            close = tokens[index + 1]
        else:
            return None
        self.pos = index + (1 if close is first else 2)
        self.prev = close
        return TemplateExpr(parts, Range.between(open_token.range, close.range))


def _extend_traversal(expr: Expression, step: TraverseAttr | TraverseIndex, step_range: Range) -> Expression:
    """Append a constant step to a traversal expression, or start a relative traversal."""
    if isinstance(expr, ScopeTraversalExpr | RelativeTraversalExpr):
        expr.traversal.append(step)
        expr.range = Range.between(expr.range, step_range)
        return expr
    return RelativeTraversalExpr(expr, Traversal([step]), Range.between(expr.range, step_range))
