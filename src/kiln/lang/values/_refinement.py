"""Refinements of unknown values, as cty's: what is already known about a value that is not.

An unknown value may be refined as never null, as a string with a known prefix, as a number
within bounds, or as a collection with a length within bounds. Operations use refinements to
give known results sooner (an unknown list of length 1..3 is never equal to an empty list),
and functions report them, as cty's function tests check.

    >>> value = unknown_val(NUMBER).refine().not_null().number_range_inclusive(0, 10).new_value()
    >>> value.range().number_upper_bound()
    (<Value number 10>, True)
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from kiln.lang.types import BOOL, NUMBER, STRING, Type
from kiln.lang.values import _number

if TYPE_CHECKING:
    from kiln.lang.values._value import Value

# Go's math.MaxInt on 64-bit platforms, cty's default upper bound for collection lengths.
MAX_INT = 2**63 - 1


class Refinement(NamedTuple):
    """The refinements of one unknown value; `kind` names the fields that apply.

    A named tuple rather than a dataclass: it is immutable and hashable, and template loading
    then does not import `dataclasses` and `inspect`.

    `null` is True (definitely null), False (definitely not null) or None (either).
    Number bounds are None when unbounded.
    """

    kind: str
    null: bool | None = None
    prefix: str = ""
    lower: Decimal | None = None
    lower_inclusive: bool = False
    upper: Decimal | None = None
    upper_inclusive: bool = False
    length_lower: int = 0
    length_upper: int = MAX_INT

    def describe(self) -> str:
        """Write the refinements as cty's GoString does, for reprs and test failures."""
        parts = []
        if self.null is False:
            parts.append("not null")
        elif self.null is True:
            parts.append("null")
        if self.prefix:
            parts.append(f"prefix {self.prefix!r}")
        if self.lower is not None:
            parts.append(f"{'>=' if self.lower_inclusive else '>'} {_number.format_number(self.lower)}")
        if self.upper is not None:
            parts.append(f"{'<=' if self.upper_inclusive else '<'} {_number.format_number(self.upper)}")
        if self.kind == "collection" and self.length_lower:
            parts.append(f"length >= {self.length_lower}")
        if self.kind == "collection" and self.length_upper != MAX_INT:
            parts.append(f"length <= {self.length_upper}")
        return ", ".join(parts)


def refinement_kind(type_: Type) -> str | None:
    """Return which refinements a type supports, or None when it supports none (dynamic)."""
    if type_ == STRING:
        return "string"
    if type_ == NUMBER:
        return "number"
    if type_.is_collection():
        return "collection"
    if type_ == BOOL or type_.is_structural():
        return "nullable"
    return None


class RefinementError(ValueError):
    """A refinement that contradicts the value or its earlier refinements (a caller bug)."""


class RefinementBuilder:
    """Collect refinements for a value, then build the refined value with `new_value`.

    Refining a known value only checks that the refinements hold for it. Refining
    `DYNAMIC_VAL` does nothing, as in cty, since nothing at all is known about it.
    """

    def __init__(self, value: Value) -> None:
        from kiln.lang.values._value import _Unknown

        plain, self._marks = value.unmark()
        self._original = plain
        existing = plain._raw.refinement if isinstance(plain._raw, _Unknown) else None
        kind = refinement_kind(plain.type)
        self._ignored = plain.type.is_dynamic() and not plain.is_known
        if existing is not None:
            self._work: Refinement | None = existing
        elif kind is not None:
            self._work = Refinement(kind)
        elif plain.type.is_dynamic() and plain.is_null:
            self._work = Refinement("nullable", null=True)
        else:
            self._work = None

    def _refinable(self) -> bool:
        if self._ignored:
            return False
        if self._work is None:
            raise RefinementError(f"cannot refine a value of type {self._original.type.type_expression()}")
        return True

    def _require_kind(self, kind: str, what: str) -> Refinement:
        assert self._work is not None
        if self._work.kind != kind:
            raise RefinementError(f"cannot refine {what} for a {self._original.type.friendly_name()} value")
        return self._work

    def not_null(self) -> RefinementBuilder:
        if not self._refinable():
            return self
        assert self._work is not None
        if (self._original.is_known and self._original.is_null) or self._work.null is True:
            raise RefinementError("refining null value as non-null")
        self._work = self._work._replace(null=False)
        return self

    def null(self) -> RefinementBuilder:
        if not self._refinable():
            return self
        assert self._work is not None
        if (self._original.is_known and not self._original.is_null) or self._work.null is False:
            raise RefinementError("refining non-null value as null")
        self._work = self._work._replace(null=True)
        return self

    def string_prefix(self, prefix: str) -> RefinementBuilder:
        """Refine the string's prefix, dropping the last character cluster of `prefix`.

        Characters appended later could combine with the end of the prefix (a combining
        accent, an emoji modifier), so, as cty's StringPrefix, the last cluster is not kept.
        """
        return self.string_prefix_full(safe_known_prefix(prefix))

    def string_prefix_full(self, prefix: str) -> RefinementBuilder:
        """Refine the string's prefix, keeping all of `prefix`; see `string_prefix`."""
        if not self._refinable():
            return self
        work = self._require_kind("string", "string prefix")
        prefix = unicodedata.normalize("NFC", prefix)
        if self._original.is_known and not self._original.is_null:
            have = self._original.as_str()
            if not (have.startswith(prefix) or prefix.startswith(have)):
                raise RefinementError("refined prefix is inconsistent with known value")
        shared = min(len(prefix), len(work.prefix))
        if work.prefix[:shared] != prefix[:shared]:
            raise RefinementError("refined prefix is inconsistent with previous refined prefix")
        if len(prefix) > len(work.prefix):
            self._work = work._replace(prefix=prefix)
        return self

    def number_range_inclusive(self, lower: object, upper: object) -> RefinementBuilder:
        """Refine both number bounds, inclusive; an unknown or None bound leaves that side open."""
        return self.number_lower_bound(lower, True).number_upper_bound(upper, True)

    def number_lower_bound(self, bound: object, inclusive: bool) -> RefinementBuilder:
        if not self._refinable():
            return self
        work = self._require_kind("number", "numeric bounds")
        limit = _bound(bound)
        if limit is None:
            return self
        self._check_known_number(limit, inclusive, lower=True)
        if work.lower is not None:
            tighter = limit > work.lower if inclusive and not work.lower_inclusive else limit >= work.lower
            if not tighter:
                return self
        if limit != _number.NEGATIVE_INFINITY:
            self._work = work._replace(lower=limit, lower_inclusive=inclusive)
        self._check_bounds()
        return self

    def number_upper_bound(self, bound: object, inclusive: bool) -> RefinementBuilder:
        if not self._refinable():
            return self
        work = self._require_kind("number", "numeric bounds")
        limit = _bound(bound)
        if limit is None:
            return self
        self._check_known_number(limit, inclusive, lower=False)
        if work.upper is not None:
            tighter = limit < work.upper if inclusive and not work.upper_inclusive else limit <= work.upper
            if not tighter:
                return self
        if limit != _number.POSITIVE_INFINITY:
            self._work = work._replace(upper=limit, upper_inclusive=inclusive)
        self._check_bounds()
        return self

    def _check_known_number(self, limit: Decimal, inclusive: bool, lower: bool) -> None:
        original = self._original
        if not original.is_known or original.is_null:
            return
        number = original.as_number()
        if lower:
            outside = number < limit if inclusive else number <= limit
        else:
            outside = number > limit if inclusive else number >= limit
        if outside:
            side = "lower" if lower else "upper"
            raise RefinementError(f"refining {_number.format_number(number)} with invalid {side} bound")

    def _check_bounds(self) -> None:
        work = self._work
        assert work is not None
        if work.lower is not None and work.upper is not None and work.upper < work.lower:
            raise RefinementError("number upper bound is less than lower bound")

    def collection_length_lower_bound(self, bound: int) -> RefinementBuilder:
        if not self._refinable():
            return self
        work = self._require_kind("collection", "collection length bounds")
        if self._original.is_known and not self._original.is_null and self._original.length_int() < bound:
            raise RefinementError(
                f"refining collection of length {self._original.length_int()} with lower bound {bound}"
            )
        if work.length_lower > bound:
            return self
        self._work = work._replace(length_lower=bound)
        self._check_lengths()
        return self

    def collection_length_upper_bound(self, bound: int) -> RefinementBuilder:
        if not self._refinable():
            return self
        work = self._require_kind("collection", "collection length bounds")
        if self._original.is_known and not self._original.is_null and self._original.length_int() > bound:
            raise RefinementError(
                f"refining collection of length {self._original.length_int()} with upper bound {bound}"
            )
        if work.length_upper < bound:
            return self
        self._work = work._replace(length_upper=bound)
        self._check_lengths()
        return self

    def collection_length(self, length: int) -> RefinementBuilder:
        return self.collection_length_lower_bound(length).collection_length_upper_bound(length)

    def _check_lengths(self) -> None:
        work = self._work
        assert work is not None
        if work.length_upper < work.length_lower:
            raise RefinementError("collection length upper bound is less than lower bound")

    def new_value(self) -> Value:
        """Return the refined value: the original when known, else a refined unknown.

        Refinements that leave one possible value give that value: null, a number whose
        bounds meet, an empty collection, or a list of known length with unknown elements.
        """
        from kiln.lang.values._value import Value, _Unknown

        original = self._original
        if original.is_known or self._ignored or self._work is None:
            return original.with_marks(self._marks)
        collapsed = _collapse(original.type, self._work)
        if collapsed is not None:
            return collapsed.with_marks(self._marks)
        # A refinement that constrains nothing is kept as none, so the result equals a plain
        # unknown value.
        refinement = None if self._work == Refinement(self._work.kind) else self._work
        return Value(original.type, _Unknown(refinement), self._marks)


def _bound(bound: object) -> Decimal | None:
    from kiln.lang.values._value import Value

    if bound is None:
        return None
    if isinstance(bound, Value):
        if not bound.is_known:
            return None
        if bound.is_null:
            raise RefinementError("number range bound must not be null")
        return bound.as_number()
    if isinstance(bound, (int, Decimal)) and not isinstance(bound, bool):
        return Decimal(bound)
    raise TypeError(f"a number bound must be a number Value, int or Decimal, not {type(bound).__name__}")


def _collapse(type_: Type, work: Refinement) -> Value | None:
    from kiln.lang.values._value import (
        list_val,
        list_val_empty,
        map_val_empty,
        null_val,
        number_val,
        set_val,
        set_val_empty,
        unknown_val,
    )

    if work.null is True:
        return null_val(type_)
    if work.null is not False:
        return None
    single_number = work.kind == "number" and work.lower_inclusive and work.upper_inclusive
    if single_number and work.lower is not None and work.lower == work.upper:
        return number_val(work.lower)
    if work.kind != "collection" or work.length_lower != work.length_upper:
        return None
    length = work.length_lower
    if length == 0:
        if type_.is_list():
            return list_val_empty(type_.element_type)
        if type_.is_set():
            return set_val_empty(type_.element_type)
        return map_val_empty(type_.element_type)
    if type_.is_list():
        return list_val([unknown_val(type_.element_type)] * length)
    if type_.is_set() and length == 1:
        return set_val([unknown_val(type_.element_type)])
    return None


def safe_known_prefix(prefix: str) -> str:
    """Drop the last character cluster of `prefix`, which later characters could still change.

    NOTE: this approximates Unicode grapheme clusters by a base character and the combining
    marks, joiners and variation selectors after it, which covers accents but not every
    emoji sequence.
    """
    prefix = unicodedata.normalize("NFC", prefix)
    end = len(prefix)
    while end > 0 and _extends_cluster(prefix[end - 1]):
        end -= 1
    if end > 0:
        end -= 1
    while end > 0 and prefix[end - 1] == "\u200d":
        end -= 2 if end >= 2 else 1
    return prefix[:end]


def _extends_cluster(char: str) -> bool:
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char in ("\u200d", "\ufe0e", "\ufe0f")
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


class ValueRange:
    """The known range of a value, as cty's ValueRange; see `Value.range`.

    For a known value the range describes that value exactly. For an unknown value it
    reports its refinements, and defaults (could be null, unbounded) where there are none.
    """

    def __init__(self, type_: Type, refinement: Refinement | None) -> None:
        self.type_constraint = type_
        self._refinement = refinement

    @classmethod
    def of(cls, value: Value) -> ValueRange:
        from kiln.lang.values._value import _Unknown

        value, _ = value.unmark()
        raw = value._raw
        if isinstance(raw, _Unknown):
            return cls(value.type, raw.refinement)
        if raw is None:
            return cls(value.type, Refinement("nullable", null=True))
        kind = refinement_kind(value.type) or "nullable"
        if kind == "string":
            return cls(value.type, Refinement(kind, null=False, prefix=raw))
        if kind == "number":
            return cls(value.type, Refinement(kind, False, "", raw, True, raw, True))
        if kind == "collection":
            length = value.length()
            if length.is_known:
                size = length.as_int()
                return cls(value.type, Refinement(kind, null=False, length_lower=size, length_upper=size))
            return cls(value.type, Refinement(kind, null=False))
        return cls(value.type, Refinement(kind, null=False))

    @property
    def refinement(self) -> Refinement | None:
        return self._refinement

    def could_be_null(self) -> bool:
        return self._refinement is None or self._refinement.null is not False

    def definitely_not_null(self) -> bool:
        return self._refinement is not None and self._refinement.null is False

    def number_lower_bound(self) -> tuple[Value, bool]:
        """Return the lower bound and whether it is inclusive; -Inf (exclusive) when unbounded."""
        from kiln.lang.values._value import NEGATIVE_INFINITY, number_val, unknown_val

        if self.type_constraint.is_dynamic():
            return unknown_val(NUMBER), False
        self._require(NUMBER)
        refinement = self._refinement
        if refinement is not None and refinement.lower is not None:
            return number_val(refinement.lower), refinement.lower_inclusive
        return NEGATIVE_INFINITY, False

    def number_upper_bound(self) -> tuple[Value, bool]:
        """Return the upper bound and whether it is inclusive; +Inf (exclusive) when unbounded."""
        from kiln.lang.values._value import POSITIVE_INFINITY, number_val, unknown_val

        if self.type_constraint.is_dynamic():
            return unknown_val(NUMBER), False
        self._require(NUMBER)
        refinement = self._refinement
        if refinement is not None and refinement.upper is not None:
            return number_val(refinement.upper), refinement.upper_inclusive
        return POSITIVE_INFINITY, False

    def string_prefix(self) -> str:
        if self.type_constraint.is_dynamic():
            return ""
        self._require(STRING)
        return self._refinement.prefix if self._refinement is not None else ""

    def length_lower_bound(self) -> int:
        if self.type_constraint.is_dynamic():
            return 0
        if not self.type_constraint.is_collection():
            raise TypeError(f"a {self.type_constraint.friendly_name()} has no length bounds")
        return self._refinement.length_lower if self._refinement is not None else 0

    def length_upper_bound(self) -> int:
        if self.type_constraint.is_dynamic():
            return MAX_INT
        if not self.type_constraint.is_collection():
            raise TypeError(f"a {self.type_constraint.friendly_name()} has no length bounds")
        return self._refinement.length_upper if self._refinement is not None else MAX_INT

    def _require(self, wanted: Type) -> None:
        if self.type_constraint != wanted:
            raise TypeError(
                f"a {self.type_constraint.friendly_name()} range has no {wanted.friendly_name()} bounds"
            )

    def includes(self, value: Value) -> Value:
        """Return whether `value` is in this range: true, false, or unknown when undecided.

        As in cty, the checks mainly aim to prove that a value is outside the range.
        """
        from kiln.lang.values._value import FALSE, TRUE, unknown_val

        undecided = unknown_val(BOOL).refine_not_null()
        refinement = self._refinement
        null_state = refinement.null if refinement is not None else None
        if null_state is True:
            return TRUE if value.is_null else FALSE
        if value.is_null:
            return FALSE if null_state is False else TRUE
        if not value.type.test_conformance(self.type_constraint):
            return FALSE
        if value.type.is_dynamic() or refinement is None:
            return undecided
        if (
            refinement.kind == "string"
            and value.is_known
            and not value.as_str().startswith(refinement.prefix)
        ):
            return FALSE
        if refinement.kind == "collection" and self._length_outside(value):
            return FALSE
        if refinement.kind == "number" and self._number_outside(value):
            return FALSE
        return undecided

    def _length_outside(self, value: Value) -> bool:
        length = value.length()
        if not length.is_known:
            return False
        size = length.as_number()
        return size < self.length_lower_bound() or size > self.length_upper_bound()

    def _number_outside(self, value: Value) -> bool:
        if not value.is_known:
            return False
        number = value.as_number()
        lower, lower_inclusive = self.number_lower_bound()
        upper, upper_inclusive = self.number_upper_bound()
        below = number < lower.as_number() if lower_inclusive else number <= lower.as_number()
        above = number > upper.as_number() if upper_inclusive else number >= upper.as_number()
        return below or above
