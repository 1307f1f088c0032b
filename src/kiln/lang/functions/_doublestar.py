"""Glob matching with ``**``, as the bmatcuk/doublestar package that `fileset` uses.

``*`` matches any run of characters except ``/``, ``?`` one such character, ``**`` as a whole
path segment any number of segments (zero included), ``[...]`` a character class (``[!...]``
or ``[^...]`` negated) and ``{a,b}`` either alternative. Dot files match like any other name.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


class GlobPatternError(ValueError):
    """The pattern is malformed, as doublestar's ``syntax error in pattern``."""


def translate(pattern: str) -> re.Pattern[str]:
    """Compile a doublestar pattern over ``/``-separated relative paths into a regex."""
    alternatives = [_translate_path(expanded) for expanded in expand_braces(pattern)]
    return re.compile("(?:" + "|".join(alternatives) + r")\Z", re.DOTALL)


def expand_braces(pattern: str) -> list[str]:
    """Expand ``{a,b}`` alternatives, which may contain ``/``, into separate patterns."""
    start = _find_unescaped(pattern, "{", 0)
    if start < 0:
        return [pattern]
    depth = 0
    choices: list[str] = []
    piece_start = start + 1
    index = start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                choices.append(pattern[piece_start:index])
                head, tail = pattern[:start], pattern[index + 1 :]
                return [expanded for choice in choices for expanded in expand_braces(head + choice + tail)]
        elif char == "," and depth == 1:
            choices.append(pattern[piece_start:index])
            piece_start = index + 1
        index += 1
    raise GlobPatternError("syntax error in pattern")


def _find_unescaped(pattern: str, wanted: str, start: int) -> int:
    index = start
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 2
            continue
        if pattern[index] == wanted:
            return index
        index += 1
    return -1


def _translate_path(pattern: str) -> str:
    parts: list[str] = []
    segments = pattern.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else "(?:[^/]*/)*")
            continue
        parts.append(_translate_segment(segment))
        if not last:
            parts.append("/")
    return "".join(parts)


def _translate_segment(segment: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        index += 1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = segment.find("]", index + 1)
            if end < 0:
                raise GlobPatternError("syntax error in pattern")
            body = segment[index:end]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            index = end + 1
        elif char == "\\" and index < len(segment):
            out.append(re.escape(segment[index]))
            index += 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def glob_files(root: Path, pattern: str) -> list[str]:
    """Return the regular files under `root` whose ``/``-separated relative path matches `pattern`.

    Paths come back relative to `root`, sorted, with ``/`` separators.
    """
    matcher = translate(pattern)
    found: list[str] = []
    for directory, _dirnames, filenames in os.walk(root):
        for name in filenames:
            full = Path(directory, name)
            relative = full.relative_to(root).as_posix()
            if matcher.match(relative) and full.is_file():
                found.append(relative)
    return sorted(found)
