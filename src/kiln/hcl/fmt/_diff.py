"""Unified diffs of a file before and after formatting, in the form `diff -u` prints."""

from __future__ import annotations

import difflib

_NO_NEWLINE = b"\\ No newline at end of file\n"


def unified_diff(old: bytes, new: bytes, path: str) -> bytes:
    """Return the unified diff from `old` to `new` with `old/PATH` and `new/PATH` labels.

    The result matches `diff -u --label=old/PATH --label=new/PATH`, which Packer's fmt runs:
    three lines of context, and a marker after a last line that has no newline. It is empty
    when the two are equal.

        unified_diff(b"a =1\\n", b"a = 1\\n", "x.pkr.hcl")  # b"--- old/x.pkr.hcl\\n+++ new/..."
    """
    if old == new:
        return b""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    output = [f"--- old/{path}\n".encode(), f"+++ new/{path}\n".encode()]
    for group in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_grouped_opcodes(3):
        output.append(_hunk_header(group))
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                output.extend(_prefixed(b" ", old_lines[old_start:old_end]))
                continue
            if tag in ("replace", "delete"):
                output.extend(_prefixed(b"-", old_lines[old_start:old_end]))
            if tag in ("replace", "insert"):
                output.extend(_prefixed(b"+", new_lines[new_start:new_end]))
    return b"".join(output)


def _prefixed(marker: bytes, lines: list[bytes]) -> list[bytes]:
    result = []
    for line in lines:
        result.append(marker + line)
        if not line.endswith(b"\n"):
            result.append(b"\n" + _NO_NEWLINE)
    return result


def _hunk_header(group: list[tuple[str, int, int, int, int]]) -> bytes:
    first, last = group[0], group[-1]
    old_range = _range_text(first[1], last[2])
    new_range = _range_text(first[3], last[4])
    return f"@@ -{old_range} +{new_range} @@\n".encode()


def _range_text(start: int, end: int) -> str:
    # diff writes a one-line range as its line number alone and an empty range as the
    # line before it with a count of 0.
    length = end - start
    if length == 1:
        return str(start + 1)
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"
