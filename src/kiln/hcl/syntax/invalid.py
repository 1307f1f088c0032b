"""Diagnostics for tokens that never belong in HCL, reported once before parsing.

Characters borrowed from other languages (bitwise operators, `**`, single quotes, backticks,
semicolons) get an explanation of what HCL uses instead. Repeats are capped as hclsyntax caps
them, so a file full of single-quoted strings gives one message per string, not per quote.
"""

from __future__ import annotations

from kiln.hcl.diagnostics import Diagnostics, error
from kiln.hcl.syntax.tokens import Token, TokenType

T = TokenType

_BITWISE_HINT = {
    T.BitwiseAnd: ' Did you mean boolean AND ("&&")?',
    T.BitwiseOr: ' Did you mean boolean OR ("||")?',
    T.BitwiseNot: ' Did you mean boolean NOT ("!")?',
    T.BitwiseXor: "",
}

_MULTI_LINE_STRING = (
    "Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n"
    ' escape to represent a newline character or use the "heredoc" multi-line template syntax.'
)


# Token types the loop below looks at; filtering on them first keeps the common case cheap.
_FLAGGED = frozenset(
    {
        *_BITWISE_HINT,
        T.StarStar,
        T.Backtick,
        T.Apostrophe,
        T.Semicolon,
        T.BadUTF8,
        T.QuotedNewline,
        T.Invalid,
        T.Comment,
    }
)


def check_invalid_tokens(tokens: list[Token]) -> Diagnostics:
    """Return an error for each token the language does not use, with repeats capped."""
    diags = Diagnostics()
    told = dict.fromkeys(("bitwise", "exponent", "backtick", "apostrophe", "semicolon", "utf8", "comment"), 0)
    for token in [token for token in tokens if token.type in _FLAGGED]:
        type_ = token.type
        if type_ in _BITWISE_HINT:
            if told["bitwise"] < 4:
                detail = f"Bitwise operators are not supported.{_BITWISE_HINT[type_]}"
                diags.append(error("Unsupported operator", detail, token.range))
                told["bitwise"] += 1
        elif type_ is T.StarStar:
            if told["exponent"] < 1:
                detail = '"**" is not a supported operator. Exponentiation is not supported as an operator.'
                diags.append(error("Unsupported operator", detail, token.range))
                told["exponent"] += 1
        elif type_ is T.Backtick:
            # Report every other one, so a backtick-quoted string gives one message, not two.
            if told["backtick"] % 2 == 0:
                detail = 'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".'
                diags.append(error("Invalid character", detail, token.range))
            if told["backtick"] <= 2:
                told["backtick"] += 1
        elif type_ is T.Apostrophe:
            if told["apostrophe"] % 2 == 0:
                detail = 'Single quotes are not valid. Use double quotes (") to enclose strings.'
                diags.append(error("Invalid character", detail, token.range))
            if told["apostrophe"] <= 2:
                told["apostrophe"] += 1
        elif type_ is T.Semicolon:
            if told["semicolon"] < 1:
                detail = (
                    'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to'
                    " separate items in collection values."
                )
                diags.append(error("Invalid character", detail, token.range))
                told["semicolon"] += 1
        elif type_ is T.BadUTF8:
            if told["utf8"] < 1:
                detail = "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor."
                diags.append(error("Invalid character encoding", detail, token.range))
                told["utf8"] += 1
        elif type_ is T.QuotedNewline:
            diags.append(error("Invalid multi-line string", _MULTI_LINE_STRING, token.range))
        elif type_ is T.Invalid:
            diags.append(
                error("Invalid character", "This character is not used within the language.", token.range)
            )
        elif type_ is T.Comment and _is_unterminated_block_comment(token.bytes):
            # NOTE: kiln keeps an unterminated block comment as a Comment token so the formatter can
            # reproduce its bytes. hclsyntax's scanner treats it differently, so this message is kiln's.
            if told["comment"] < 1:
                detail = 'There is no closing "*/" for this comment before the end of the file.'
                diags.append(error("Unterminated comment", detail, token.range))
                told["comment"] += 1
    return diags


def _is_unterminated_block_comment(text: bytes) -> bool:
    # "/*/" starts and ends with the markers' bytes but is still open.
    return text.startswith(b"/*") and not (len(text) >= 4 and text.endswith(b"*/"))
