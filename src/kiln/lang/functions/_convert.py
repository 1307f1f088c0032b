"""Conversion helpers shared by the function families."""

from __future__ import annotations

from collections.abc import Sequence

from kiln.lang.convert import ConversionError, convert
from kiln.lang.convert import unify as _unify
from kiln.lang.types import Type

__all__ = ["ConversionError", "convert", "unify"]


def unify(types: Sequence[Type], *, unsafe: bool = False) -> Type | None:
    """Return the type all `types` can convert to, or None, as cty's Unify (UnifyUnsafe)."""
    return _unify(list(types), unsafe=unsafe)[0]
