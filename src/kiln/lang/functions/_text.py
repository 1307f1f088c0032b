"""Unicode text segmentation, as cty counts "characters": extended grapheme clusters.

`length`, `substr`, `strrev` and the widths of `format` count grapheme clusters, so a letter
with combining marks or an emoji sequence joined by U+200D counts as one character.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _cluster_pattern() -> Any:
    # The `regex` package implements Unicode's extended grapheme cluster rules as `\X`;
    # imported lazily so `import kiln` stays fast.
    import regex

    return regex.compile(r"\X", regex.DOTALL)


def graphemes(text: str) -> list[str]:
    """Split `text` into extended grapheme clusters."""
    if text.isascii() and "\r\n" not in text:
        return list(text)
    return _cluster_pattern().findall(text)


def grapheme_count(text: str) -> int:
    return len(graphemes(text))
