"""Canonical formatting of HCL native syntax, as `packer fmt` does it.

`format_source` returns the canonical layout of a file (see `_layout` for the rules) or,
when the file has syntax errors, no output and the parser's diagnostics: like Packer, kiln
refuses to format what it cannot parse. `unified_diff` renders the change for `fmt -diff`.

    formatted, diagnostics = format_source(b'a =1\\n', "main.pkr.hcl")  # b"a = 1\\n"
"""

from __future__ import annotations

from kiln.hcl.diagnostics import Diagnostics
from kiln.hcl.fmt._diff import unified_diff
from kiln.hcl.fmt._layout import format_tokens, render, writer_tokens

__all__ = ["format_hcl", "format_source", "unified_diff"]


_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def format_source(src: bytes, filename: str = "") -> tuple[bytes, Diagnostics]:
    """Return `src` in canonical layout, or empty output and the syntax errors it has."""
    from kiln.hcl.syntax import parse_config

    # hclsyntax skips a byte order mark at the start of a file, so Packer's fmt drops it.
    # TODO: remove once the native scanner skips it too.
    src = src.removeprefix(_BYTE_ORDER_MARK)
    _, diagnostics = parse_config(src, filename)
    if diagnostics.has_errors():
        return b"", diagnostics
    return format_hcl(src), diagnostics


def format_hcl(src: bytes) -> bytes:
    """Return `src` in canonical layout without checking its syntax.

    Input with syntax errors is formatted token by token as far as the scanner gets, which
    may not read well; `format_source` checks first.
    """
    from kiln.hcl.syntax.tokens import scan_config

    tokens = writer_tokens(scan_config(src.removeprefix(_BYTE_ORDER_MARK), ""))
    format_tokens(tokens)
    return render(tokens)
