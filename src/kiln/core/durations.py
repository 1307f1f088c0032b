"""Packer's human duration format (hako/durafmt limited to the first two units)."""

from __future__ import annotations

_UNITS = (
    ("year", 365 * 24 * 3600 * 1_000_000),
    ("week", 7 * 24 * 3600 * 1_000_000),
    ("day", 24 * 3600 * 1_000_000),
    ("hour", 3600 * 1_000_000),
    ("minute", 60 * 1_000_000),
    ("second", 1_000_000),
    ("millisecond", 1_000),
    ("microsecond", 1),
)


def format_elapsed(seconds: float, units: int = 2) -> str:
    """Format a duration as `17 milliseconds 950 microseconds`: the first `units` non-zero units."""
    remaining = int(seconds * 1_000_000)
    parts: list[str] = []
    for name, size in _UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count} {name}{'' if count == 1 else 's'}")
    if not parts:
        return "0 microseconds"
    return " ".join(parts[:units])
