"""Build-name globs for `-only` and `-except`, with the gobwas/glob semantics Packer uses.

`*` matches any run of characters, dots included; `?` one character; `[abc]`, `[a-z]` and
`[!abc]` a character class; `{a,b}` one of the alternatives. An empty class `[]` is invalid.
"""

from __future__ import annotations

import re
from functools import cache


class GlobError(ValueError):
    """A pattern that is not a valid glob."""


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Compile `pattern` to an anchored regular expression; raise GlobError when it is invalid."""
    return re.compile(_translate(pattern, 0, top_level=True)[0] + r"\Z", re.DOTALL)


def match_glob(pattern: str, name: str) -> bool:
    return compile_glob(pattern).match(name) is not None


def _translate(pattern: str, position: int, *, top_level: bool) -> tuple[str, int]:
    parts: list[str] = []
    while position < len(pattern):
        char = pattern[position]
        if not top_level and char in ",}":
            break
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        elif char == "[":
            class_text, position = _translate_class(pattern, position)
            parts.append(class_text)
            continue
        elif char == "{":
            alternatives, position = _translate_alternatives(pattern, position)
            parts.append(alternatives)
            continue
        elif char == "\\" and position + 1 < len(pattern):
            position += 1
            parts.append(re.escape(pattern[position]))
        else:
            parts.append(re.escape(char))
        position += 1
    return "".join(parts), position


def _translate_class(pattern: str, position: int) -> tuple[str, int]:
    end = pattern.find("]", position + 1)
    if end == -1:
        raise GlobError(f"unexpected end of input in {pattern!r}")
    body = pattern[position + 1 : end]
    negate = body.startswith("!")
    if negate:
        body = body[1:]
    if not body:
        raise GlobError(f"empty character class in {pattern!r}")
    escaped = "".join("\\" + ch if ch in "\\^]" else ch for ch in body)
    return f"[{'^' if negate else ''}{escaped}]", end + 1


def _translate_alternatives(pattern: str, position: int) -> tuple[str, int]:
    alternatives: list[str] = []
    position += 1
    while True:
        text, position = _translate(pattern, position, top_level=False)
        alternatives.append(text)
        if position >= len(pattern):
            raise GlobError(f"unclosed alternatives in {pattern!r}")
        if pattern[position] == "}":
            return "(?:" + "|".join(alternatives) + ")", position + 1
        position += 1
