"""Checking `packer.required_version` constraints (go-version syntax) against kiln's Packer version."""

from __future__ import annotations

import re

from kiln.hcl.diagnostics import Diagnostics, Range, error

_CONSTRAINT = re.compile(
    r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+)*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$"
)


def parse_version(text: str) -> tuple[int, ...]:
    """Parse `1.16.0`, `v1.5.0` or `1.2` into a tuple of three or more integers; raise ValueError."""
    match = re.match(r"^v?(\d+(?:\.\d+)*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$", text.strip())
    if match is None:
        raise ValueError(f"Malformed version: {text}")
    parts = tuple(int(part) for part in match.group(1).split("."))
    return parts + (0,) * (3 - len(parts))


def satisfies(constraint: str, version: str) -> bool:
    """Return whether `version` meets every comma-separated part of `constraint`; raise ValueError."""
    current = parse_version(version)
    for part in constraint.split(","):
        match = _CONSTRAINT.match(part)
        if match is None:
            raise ValueError(f"Malformed constraint: {part.strip()}")
        operator = match.group(1) or "="
        constraint_parts = match.group(2).split(".")
        required = parse_version(match.group(2))
        if not _compare(operator, current, required, len(constraint_parts)):
            return False
    return True


def _compare(operator: str, current: tuple[int, ...], required: tuple[int, ...], precision: int) -> bool:
    if operator == "~>":
        # Pessimistic: at least `required`, and the same leading parts except the last one given.
        prefix = max(precision - 1, 1)
        return current >= required and current[:prefix] == required[:prefix]
    return {
        "=": current == required,
        "!=": current != required,
        ">": current > required,
        ">=": current >= required,
        "<": current < required,
        "<=": current <= required,
    }[operator]


def check_version_constraint(constraint: str, core_version: str, subject: Range) -> Diagnostics:
    try:
        ok = satisfies(constraint, core_version)
    except ValueError as problem:
        return Diagnostics([error("Invalid version constraint", f"{problem}.", subject)])
    if ok:
        return Diagnostics()
    detail = (
        f"This template requires Packer version {constraint}; kiln follows Packer "
        f"{core_version.lstrip('v')}. Use a template written for this Packer version or change "
        "its packer.required_version."
    )
    return Diagnostics([error("Unsupported Packer Core version", detail, subject)])
