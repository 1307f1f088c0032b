"""Value marks: labels such as `SENSITIVE` that travel with a value through every operation.

A mark is any hashable object. Operations on marked values mark their results with the union
of the operands' marks (see `kiln.lang.values`), so a value derived from a sensitive variable
is itself sensitive and can be masked wherever it is shown.

    >>> from kiln.lang.values import string_val
    >>> mark(string_val("hunter2"), SENSITIVE).marks == {SENSITIVE}
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiln.lang.values import Value

__all__ = ["SENSITIVE", "Mark", "mark", "unmark", "unmark_deep", "with_marks"]


class Mark:
    """A named mark that compares by identity, so two marks with the same name stay distinct."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<Mark {self.name}>"

    def __str__(self) -> str:
        return self.name

    def __reduce__(self) -> tuple[object, ...]:
        # Unpickling must give back the same mark object, since marks compare by identity.
        if _WELL_KNOWN.get(self.name) is self:
            return (_well_known, (self.name,))
        return (Mark, (self.name,))


SENSITIVE = Mark("sensitive")
_WELL_KNOWN = {SENSITIVE.name: SENSITIVE}


def _well_known(name: str) -> Mark:
    return _WELL_KNOWN[name]


def mark(value: Value, mark: object) -> Value:
    """Return `value` with `mark` added to its own marks."""
    return value.mark(mark)


def with_marks(value: Value, *mark_sets: Iterable[object]) -> Value:
    """Return `value` with every mark in `mark_sets` added."""
    return value.with_marks(*mark_sets)


def unmark(value: Value) -> tuple[Value, frozenset[object]]:
    """Return `value` without its own marks, and those marks. Marks of nested values stay."""
    return value.unmark()


def unmark_deep(value: Value) -> tuple[Value, frozenset[object]]:
    """Return `value` with all marks removed at every depth, and the union of those marks."""
    return value.unmark_deep()
