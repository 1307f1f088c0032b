"""Source positions, ranges and diagnostics: the vocabulary every kiln layer reports problems in.

A `Pos` is a point in a source file (1-based line and column, 0-based byte offset); a `Range`
spans two positions in one file. A `Diagnostic` carries a severity, a short summary, a detail
paragraph, the tight `subject` range it is about and an optional wider `context` range.

Work returns ``(result, diagnostics)`` and keeps going, so one run reports every problem it can.
`render_diagnostic` prints a diagnostic as HCL does, with the numbered source line and a caret
line under the subject:

    Error: Unsupported argument

      on build.pkr.hcl line 3, in source "null" "x":
       3:   foo = "bar"
            ^^^
    An argument named "foo" is not expected here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from kiln.hcl.record import Record


class Pos(NamedTuple):
    """A point in a source file: 1-based line and column (in characters), 0-based byte offset.

    It is a named tuple rather than a dataclass because the scanner makes two per token, and
    tuples are about twice as fast to build. Positions compare in (line, column, byte) order.
    """

    line: int = 1
    column: int = 1
    byte: int = 0


class Range(NamedTuple):
    """A span of one source file, from `start` (inclusive) to `end` (exclusive)."""

    filename: str
    start: Pos
    end: Pos

    @classmethod
    def between(cls, first: Range, last: Range) -> Range:
        """Return the range that starts where `first` starts and ends where `last` ends."""
        return tuple.__new__(cls, (first.filename, first.start, last.end))

    def contains_offset(self, byte: int) -> bool:
        return self.start.byte <= byte < self.end.byte

    def __str__(self) -> str:
        return f"{self.filename}:{self.start.line},{self.start.column}-{self.end.line},{self.end.column}"


def quote_name(text: str) -> str:
    """Quote a name for a message as Go's %q does, which is how HCL's messages show names.

    Printable characters, non-ASCII letters included, stay as they are. Quotes, backslashes and
    control characters are escaped.
    """
    pieces = []
    for char in text:
        if char in _GO_ESCAPES:
            pieces.append(_GO_ESCAPES[char])
        elif char.isprintable():
            pieces.append(char)
        elif ord(char) < 0x80:
            pieces.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            pieces.append(f"\\u{ord(char):04x}")
        else:
            pieces.append(f"\\U{ord(char):08x}")
    return '"' + "".join(pieces) + '"'


_GO_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}


def describe_range(range_: Range) -> str:
    """Format a range as hcl's Range.String does, naming the end line only when it differs."""
    start, end = range_.start, range_.end
    if start.line == end.line:
        return f"{range_.filename}:{start.line},{start.column}-{end.column}"
    return f"{range_.filename}:{start.line},{start.column}-{end.line},{end.column}"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Diagnostic(Record):
    """One problem found in configuration or input, with where it is and what to do about it.

    `summary` is a short phrase in sentence case with no final period; `detail` is full
    sentences. `subject` is the tight range the problem is about; `context` a wider range
    to show around it. `extra` carries machine-readable data for callers.
    """

    severity: Severity
    summary: str
    detail: str
    subject: Range | None
    context: Range | None
    extra: Any

    __slots__ = ("context", "detail", "extra", "severity", "subject", "summary")

    def __init__(
        self,
        severity: Severity,
        summary: str,
        detail: str = "",
        subject: Range | None = None,
        context: Range | None = None,
        extra: Any = None,
    ) -> None:
        self.severity = severity
        self.summary = summary
        self.detail = detail
        self.subject = subject
        self.context = context
        self.extra = extra

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(summary: str, detail: str = "", subject: Range | None = None, **kwargs: Any) -> Diagnostic:
    return Diagnostic(Severity.ERROR, summary, detail, subject, **kwargs)


def warning(summary: str, detail: str = "", subject: Range | None = None, **kwargs: Any) -> Diagnostic:
    return Diagnostic(Severity.WARNING, summary, detail, subject, **kwargs)


class Diagnostics(list[Diagnostic]):
    """An ordered list of diagnostics with helpers to ask whether any of them is an error."""

    def has_errors(self) -> bool:
        return any(d.is_error for d in self)

    def errors(self) -> Iterator[Diagnostic]:
        return (d for d in self if d.is_error)

    def warnings(self) -> Iterator[Diagnostic]:
        return (d for d in self if not d.is_error)

    def extend(self, other: Iterable[Diagnostic]) -> None:  # type: ignore[override]
        super().extend(other)


class DiagnosticsError(Exception):
    """Raised to unwind with diagnostics that a caller renders; never shown as a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = Diagnostics(diagnostics)
        super().__init__("; ".join(d.summary for d in self.diagnostics))


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def suggest_name(given: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate nearest to `given` by edit distance, if it is close (distance < 3)."""
    best: str | None = None
    best_distance = 3
    for candidate in candidates:
        distance = levenshtein(given, candidate)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def did_you_mean(given: str, candidates: Iterable[str]) -> str:
    """Return ' Did you mean "x"?' for a near candidate, or an empty string."""
    suggestion = suggest_name(given, candidates)
    return f' Did you mean "{suggestion}"?' if suggestion else ""


class SourceFiles(Record):
    """Source text of every parsed file, by name, so diagnostics can show their lines at the end."""

    files: dict[str, bytes]
    # Per file, a function from a byte offset to the header of the top-level block around it
    # (`source "null" "x"`), as a parsed file's `context_string` provides.
    contexts: dict[str, Callable[[int], str]]

    __slots__ = ("contexts", "files")

    def __init__(
        self,
        files: dict[str, bytes] | None = None,
        contexts: dict[str, Callable[[int], str]] | None = None,
    ) -> None:
        self.files = {} if files is None else files
        self.contexts = {} if contexts is None else contexts

    def add(self, filename: str, source: bytes, context: Callable[[int], str] | None = None) -> None:
        self.files[filename] = source
        if context is not None:
            self.contexts[filename] = context

    def set_context(self, filename: str, context: Callable[[int], str]) -> None:
        """Record how to name the block around an offset of `filename`, once it is parsed."""
        self.contexts[filename] = context

    def context_string(self, filename: str, offset: int) -> str:
        """Return the header of the top-level block around `offset`, or "" when unknown."""
        context = self.contexts.get(filename)
        return context(offset) if context is not None else ""

    def line(self, filename: str, line: int) -> str | None:
        source = self.files.get(filename)
        if source is None:
            return None
        lines = source.split(b"\n")
        if not 1 <= line <= len(lines):
            return None
        return lines[line - 1].rstrip(b"\r").decode("utf-8", errors="replace")


def render_diagnostic(
    diagnostic: Diagnostic,
    sources: SourceFiles | Mapping[str, bytes] | None = None,
    *,
    block_header: str | None = None,
    width: int = 78,
    value_lines: Sequence[str] = (),
) -> str:
    """Render a diagnostic as text: severity and summary, location, source line, caret, detail.

    `block_header` names the enclosing block (`source "null" "x"`) for the location line. When it
    is not given, the top-level block around the subject is looked up in `sources`.
    `value_lines` are the "with var.x as 1." lines that go between the source and the detail.
    """
    if isinstance(sources, Mapping):
        sources = SourceFiles(dict(sources))
    label = "Error" if diagnostic.is_error else "Warning"
    lines = [f"{label}: {diagnostic.summary}", ""]

    subject = diagnostic.subject
    if subject is not None:
        if block_header is None and sources is not None:
            block_header = sources.context_string(subject.filename, subject.start.byte) or None
        where = f"  on {subject.filename} line {subject.start.line}"
        where += f", in {block_header}:" if block_header else ":"
        lines.append(where)
        lines.extend(_snippet(diagnostic, subject, sources))
        lines.append("")

    # The values the failing expression used ("with var.x as 1."), as hcl prints them.
    if value_lines:
        lines.extend(value_lines)
        lines.append("")

    if diagnostic.detail:
        import textwrap

        for paragraph in diagnostic.detail.split("\n"):
            # As HCL's word wrapper, break only at spaces: never inside a path or a long word.
            wrapped = textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False)
            lines.extend(wrapped or [""])
    return "\n".join(lines).rstrip("\n") + "\n"


def _snippet(diagnostic: Diagnostic, subject: Range, sources: SourceFiles | None) -> list[str]:
    """Return the numbered source lines that the subject and context span, as HCL prints them.

    A caret line follows the subject's first line. HCL marks the subject only with terminal
    styling, so without colour nothing would point at it.
    """
    if sources is None:
        return []
    first, last = subject.start.line, subject.end.line
    context = diagnostic.context
    if context is not None and context.filename == subject.filename:
        first, last = min(first, context.start.line), max(last, context.end.line)

    snippet: list[str] = []
    for number in range(first, last + 1):
        source_line = sources.line(subject.filename, number)
        if source_line is None:
            continue
        prefix = f"{number:4d}: "
        shown, offset = _clip(source_line, subject.start.column - 1)
        snippet.append(prefix + shown)
        if number == subject.start.line:
            snippet.append(" " * len(prefix) + _caret(shown, subject, offset))
    return snippet


# The maximum number of characters of a source line that a snippet shows. A longer line
# (generated or minified input) is cut to a window around the subject, so that many
# diagnostics on one huge line do not each repeat all of it.
_MAX_SHOWN = 160
_ELLIPSIS = "..."


def _clip(source_line: str, column: int) -> tuple[str, int]:
    """Return the part of a line to show around 0-based `column`, and the shift of its columns."""
    if len(source_line) <= _MAX_SHOWN:
        return source_line, 0
    begin = max(0, min(column - _MAX_SHOWN // 4, len(source_line) - _MAX_SHOWN))
    left = _ELLIPSIS if begin > 0 else ""
    right = _ELLIPSIS if begin + _MAX_SHOWN < len(source_line) else ""
    return left + source_line[begin : begin + _MAX_SHOWN] + right, begin - len(left)


def _caret(source_line: str, subject: Range, offset: int = 0) -> str:
    """Underline the subject's columns on its first line, at least one caret wide.

    `offset` is how many columns the shown line was shifted left by `_clip`.
    """
    start = max(subject.start.column - 1 - offset, 0)
    if subject.end.line == subject.start.line:
        end = max(min(subject.end.column - 1 - offset, len(source_line)), start + 1)
    else:
        end = max(len(source_line), start + 1)
    # Keep tabs in the padding so the caret lines up under tab-indented source.
    padding = "".join(ch if ch == "\t" else " " for ch in source_line[:start])
    return padding + "^" * (end - start)


def render_diagnostics(
    diagnostics: Sequence[Diagnostic], sources: SourceFiles | Mapping[str, bytes] | None = None
) -> str:
    return "\n".join(render_diagnostic(d, sources) for d in diagnostics)
