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
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def _translate_segment(segment: str) -> str:
    out: list[str] = []
    index = 0
    depth = 0
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
        elif char == "{":
            depth += 1
            out.append("(?:")
        elif char == "}" and depth:
            depth -= 1
            out.append(")")
        elif char == "," and depth:
            out.append("|")
        elif char == "\\" and index < len(segment):
            out.append(re.escape(segment[index]))
            index += 1
        else:
            out.append(re.escape(char))
    if depth:
        raise GlobPatternError("syntax error in pattern")
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
