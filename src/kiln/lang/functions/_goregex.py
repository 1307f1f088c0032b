"""Go (RE2) regular expressions on top of the `regex` package.

cty's `regex`, `regexall` and `regex_replace` use Go's regexp package. The `regex` package
accepts most RE2 syntax as it is (``(?P<n>...)``, ``(?<n>...)``, ``\\pL``, ``[[:alpha:]]``);
`translate` rewrites the rest:

- ``\\d``, ``\\w``, ``\\s`` and ``\\b`` are ASCII-only in RE2;
- ``$`` without the ``m`` flag matches only at the very end of the text, as ``\\z`` does;
- ``\\Q...\\E`` quotes literal text;
- ``{,n}`` is a literal in RE2, not a repetition.

`find_all` iterates matches as Go's FindAll and ReplaceAll do: after an empty match the
search moves one character on, and an empty match right after a previous match is skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_ASCII_CLASSES = {
    "d": "0-9",
    "w": "0-9A-Za-z_",
    "s": "\\t\\n\\f\\r ",
}
_WORD = "[0-9A-Za-z_]"
_BOUNDARY = f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))"
_NOT_BOUNDARY = f"(?:(?<={_WORD})(?={_WORD})|(?<!{_WORD})(?!{_WORD}))"
_MULTILINE_FLAG = re.compile(r"\(\?[a-zA-Z]*m[a-zA-Z]*[:)]")


def translate(pattern: str) -> str:
    """Rewrite an RE2 pattern into the `regex` package's syntax (see the module docstring)."""
    multiline = bool(_MULTILINE_FLAG.search(pattern))
    out: list[str] = []
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            index = _translate_escape(pattern, index, in_class, out)
            continue
        if in_class:
            if char == "]" and not _opens_class(out):
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            if pattern.startswith("^", index + 1):
                out.append("^")
                index += 1
            if pattern.startswith("]", index + 1):
                out.append("\\]")
                index += 1
        elif char == "$" and not multiline:
            out.append("\\Z")
        elif char == "{" and pattern.startswith("{,", index):
            out.append("\\{")
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _opens_class(out: list[str]) -> bool:
    # A "]" right after "[" or "[^" is a literal member, not the end of the class.
    return bool(out) and (out[-1] == "[" or (out[-1] == "^" and len(out) > 1 and out[-2] == "["))


def _translate_escape(pattern: str, index: int, in_class: bool, out: list[str]) -> int:
    letter = pattern[index + 1]
    if letter == "Q":
        end = pattern.find("\\E", index + 2)
        literal = pattern[index + 2 :] if end < 0 else pattern[index + 2 : end]
        out.append(re.escape(literal))
        return len(pattern) if end < 0 else end + 2
    if letter.lower() in _ASCII_CLASSES:
        members = _ASCII_CLASSES[letter.lower()]
        negated = letter.isupper()
        if in_class and not negated:
            out.append(members)
        else:
            out.append(f"[{'^' if negated else ''}{members}]")
        return index + 2
    if letter == "b" and not in_class:
        out.append(_BOUNDARY)
        return index + 2
    if letter == "B" and not in_class:
        out.append(_NOT_BOUNDARY)
        return index + 2
    if letter == "z":
        out.append("\\Z")
        return index + 2
    out.append(pattern[index : index + 2])
    return index + 2


@lru_cache(maxsize=256)
def compile_go_regex(pattern: str) -> Any:
    """Compile an RE2 pattern, raising `regex.error` when it is invalid."""
    import regex

    return regex.compile(translate(pattern), regex.VERSION0)


def find_all(pattern: Any, text: str) -> list[Any]:
    """Return the matches Go's FindAll would, in order (see the module docstring)."""
    matches = []
    position = 0
    previous_end = -1
    while position <= len(text):
        match = pattern.search(text, position)
        if match is None:
            break
        accept = True
        if match.end() == position:
            # An empty match: skip it when it touches the previous match, then move on.
            accept = match.start() != previous_end
            position += 1
        else:
            position = match.end()
        previous_end = match.end()
        if accept:
            matches.append(match)
    return matches
