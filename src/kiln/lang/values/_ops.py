"""Operations on values, as cty's value_ops: equality, arithmetic, comparison and logic.

Every operation removes the operands' own marks, works on the plain values and marks the result
with the union, so a result derived from a sensitive value stays sensitive. An unknown operand
gives an unknown result of the operation's type, refined as not null and, where cty does, with
bounds derived from the operands' refinements. Null operands and operands of the wrong type
raise `TypeError`, because the callers (the function library and the evaluator) check those
first and report them as diagnostics.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

from kiln.lang.types import BOOL, NUMBER, Type
from kiln.lang.values import _number
from kiln.lang.values._sets import hash_bytes, set_equivalent
from kiln.lang.values._value import (
    _UNKNOWN_BOOL,
    FALSE,
    TRUE,
    OperationError,
    Value,
    bool_val,
    unknown_val,
)

_UNKNOWN_NUMBER = unknown_val(NUMBER).refine_not_null()


def _unmark_all(*values: Value) -> tuple[list[Value], frozenset[object]]:
    plain = []
    marks: set[object] = set()
    for value in values:
        unmarked, value_marks = value.unmark()
        plain.append(unmarked)
        marks |= value_marks
    return plain, frozenset(marks)


def _require(wanted: Type, values: list[Value], operation: str) -> bool:
    """Check operand types, returning whether every operand is known."""
    for value in values:
        if value.type != wanted and not value.type.is_dynamic():
            raise TypeError(
                f"{operation} needs {wanted.friendly_name()} operands, not {value.type.friendly_name()}"
            )
        if value.is_known and value.is_null:
            raise TypeError(f"{operation} cannot use a null value")
    return all(value.is_known for value in values) and not any(v.type.is_dynamic() for v in values)


# Equality.


def equals(a: Value, b: Value) -> Value:
    """Return a bool value saying whether `a` equals `b`, as cty's Equals.

    Marks at any depth of either operand mark the result.
    """
    a, a_marks = a.unmark_deep()
    b, b_marks = b.unmark_deep()
    return _equals(a, b).with_marks(a_marks | b_marks)


def _definitely_not_null(value: Value) -> bool:
    if value.is_known:
        return not value.is_null
    return value.range().definitely_not_null()


def _equals(a: Value, b: Value) -> Value:
    if (a.is_null and _definitely_not_null(b)) or (b.is_null and _definitely_not_null(a)):
        return FALSE
    if not b.is_known:
        a, b = b, a
    if not a.is_known and b.is_known:
        # The unknown side's refinements can rule the known value out.
        included = a.range().includes(b)
        if included.is_known and not included.true():
            return FALSE

    if not a.is_known and not b.is_known:
        return _UNKNOWN_BOOL
    if not a.is_known:
        # A null equals a null of any type, so the unknown side decides.
        if b.is_null or a.type.has_dynamic_types() or a.type == b.type:
            return _UNKNOWN_BOOL
        return FALSE

    if a.is_null or b.is_null:
        return bool_val(a.is_null and b.is_null)
    if not _has_wholly_known_type(a) or not _has_wholly_known_type(b):
        if not a.type.test_conformance(b.type) and not b.type.test_conformance(a.type):
            return FALSE
        return _UNKNOWN_BOOL
    if a.type != b.type:
        return FALSE

    return _equals_same_type(a, b)


def _equals_same_type(a: Value, b: Value) -> Value:
    value_type = a.type
    if value_type.is_primitive():
        return bool_val(a._raw == b._raw)
    if value_type.is_set():
        return _sets_equal(a, b)
    if value_type.is_map() or value_type.is_object():
        if a._raw.keys() != b._raw.keys():
            return FALSE
        pairs = [(a._raw[key], b._raw[key]) for key in a._raw]
    else:
        if len(a._raw) != len(b._raw):
            return FALSE
        pairs = list(zip(a._raw, b._raw, strict=True))

    # cty walks the elements in order and stops at the first unknown or unequal pair.
    for left, right in pairs:
        result = _equals(left, right)
        if not result.is_known:
            return _UNKNOWN_BOOL
        if not result.true():
            return FALSE
    return TRUE


def _sets_equal(a: Value, b: Value) -> Value:
    if any(not element.is_known for element in a._raw + b._raw):
        return _UNKNOWN_BOOL
    for first, second in ((a._raw, b._raw), (b._raw, a._raw)):
        buckets: dict[bytes, list[Value]] = {}
        for other in second:
            buckets.setdefault(hash_bytes(other), []).append(other)
        for element in first:
            candidates = buckets.get(hash_bytes(element), [])
            if not any(set_equivalent(element, other) for other in candidates):
                return FALSE
    return TRUE


def _has_wholly_known_type(value: Value) -> bool:
    """Return whether no unknown of a dynamic type hides anywhere in `value`."""
    if not value.is_known:
        return not value.type.has_dynamic_types()
    return all(_has_wholly_known_type(child) for child in value._children())


# Arithmetic.

_Compute = Callable[[Decimal, Decimal], Decimal]


def _arithmetic(
    a: Value, b: Value, operation: str, compute: _Compute, nan_message: str, bounded: bool
) -> Value:
    (a, b), marks = _unmark_all(a, b)
    if not _require(NUMBER, [a, b], operation):
        if not bounded:
            return _UNKNOWN_NUMBER.with_marks(marks)
        return _bounded_unknown(a, b, compute).with_marks(marks)
    try:
        result = compute(a.as_number(), b.as_number())
    except decimal.InvalidOperation:
        raise OperationError(nan_message) from None
    return Value(NUMBER, result).with_marks(marks)


def _bounded_unknown(a: Value, b: Value, compute: _Compute) -> Value:
    """Return an unknown number bounded by `compute` over the operands' bounds (interval arithmetic)."""
    if a.type.is_dynamic() or b.type.is_dynamic():
        return _UNKNOWN_NUMBER
    a_range, b_range = a.range(), b.range()
    corners = []
    for first in (a_range.number_lower_bound()[0], a_range.number_upper_bound()[0]):
        for second in (b_range.number_lower_bound()[0], b_range.number_upper_bound()[0]):
            try:
                corners.append(compute(first.as_number(), second.as_number()))
            except (decimal.InvalidOperation, OperationError):
                # An invalid corner (such as infinity minus infinity) leaves both sides open.
                return _UNKNOWN_NUMBER
    builder = unknown_val(NUMBER).refine().not_null()
    lowest, highest = min(corners), max(corners)
    if lowest != _number.NEGATIVE_INFINITY:
        builder.number_lower_bound(lowest, True)
    if highest != _number.POSITIVE_INFINITY:
        builder.number_upper_bound(highest, True)
    return builder.new_value()


def add(a: Value, b: Value) -> Value:
    """Return ``a + b``; opposing infinities raise `OperationError`."""
    return _arithmetic(
        a, b, "addition", _number.add, "can't compute sum of opposing infinities", bounded=True
    )


def subtract(a: Value, b: Value) -> Value:
    return _arithmetic(
        a, b, "subtraction", _number.subtract, "can't subtract infinity from itself", bounded=True
    )


def multiply(a: Value, b: Value) -> Value:
    # NOTE: cty returns zero for its own Zero constant times an unknown, but numbers built
    # from literals are never that constant, so kiln leaves the product unknown.
    return _arithmetic(
        a, b, "multiplication", _number.multiply, "can't multiply zero by infinity", bounded=True
    )


def _divide(a: Decimal, b: Decimal) -> Decimal:
    # Dividing a non-zero number by zero gives an infinity of the quotient's sign, as Go's
    # big.Float does. Zero by zero and infinity by infinity have no result.
    if b.is_zero():
        if a.is_zero():
            raise decimal.InvalidOperation
        negative = a.is_signed() != b.is_signed()
        return _number.NEGATIVE_INFINITY if negative else _number.POSITIVE_INFINITY
    return _number.divide(a, b)


def divide(a: Value, b: Value) -> Value:
    """Return ``a / b``; a non-zero number divided by zero is an infinity."""
    return _arithmetic(
        a, b, "division", _divide, "can't divide zero by zero or infinity by infinity", bounded=False
    )


def modulo(a: Value, b: Value) -> Value:
    """Return ``a % b`` with the sign of `a`, as cty's Modulo: ``-5 % 3`` is -2."""
    return _arithmetic(
        a, b, "modulo", _number.modulo, "can't use modulo with zero and infinity", bounded=False
    )


def negate(a: Value) -> Value:
    (a,), marks = _unmark_all(a)
    if not _require(NUMBER, [a], "negation"):
        return _UNKNOWN_NUMBER.with_marks(marks)
    # Negating zero gives "-0", as Go's big.Float does.
    return Value(NUMBER, _number.negate(a.as_number())).with_marks(marks)


def absolute(a: Value) -> Value:
    (a,), marks = _unmark_all(a)
    if not _require(NUMBER, [a], "absolute"):
        return (
            unknown_val(NUMBER).refine().not_null().number_lower_bound(0, True).new_value().with_marks(marks)
        )
    return Value(NUMBER, _number.absolute(a.as_number())).with_marks(marks)


# Comparison.


def _compare_unknown(a: Value, b: Value) -> Value:
    """Decide ``a < b`` from the operands' bounds when possible, as cty does (bounds as exclusive)."""
    if a.type.is_dynamic() or b.type.is_dynamic():
        return _UNKNOWN_BOOL
    a_range, b_range = a.range(), b.range()
    a_upper = a_range.number_upper_bound()[0].as_number()
    b_lower = b_range.number_lower_bound()[0].as_number()
    if a_upper < b_lower:
        return TRUE
    a_lower = a_range.number_lower_bound()[0].as_number()
    b_upper = b_range.number_upper_bound()[0].as_number()
    if a_lower > b_upper:
        return FALSE
    return _UNKNOWN_BOOL


def less_than(a: Value, b: Value) -> Value:
    (a, b), marks = _unmark_all(a, b)
    if not _require(NUMBER, [a, b], "comparison"):
        return _compare_unknown(a, b).with_marks(marks)
    return bool_val(a.as_number() < b.as_number()).with_marks(marks)


def greater_than(a: Value, b: Value) -> Value:
    (a, b), marks = _unmark_all(a, b)
    if not _require(NUMBER, [a, b], "comparison"):
        return _compare_unknown(b, a).with_marks(marks)
    return bool_val(a.as_number() > b.as_number()).with_marks(marks)


def less_than_or_equal_to(a: Value, b: Value) -> Value:
    """Return ``a <= b``, as cty: less_than or equals."""
    return logical_or(less_than(a, b), equals(a, b))


def greater_than_or_equal_to(a: Value, b: Value) -> Value:
    """Return ``a >= b``, as cty: greater_than or equals."""
    return logical_or(greater_than(a, b), equals(a, b))


# Logic.


def logical_not(a: Value) -> Value:
    (a,), marks = _unmark_all(a)
    if not _require(BOOL, [a], "logical not"):
        return _UNKNOWN_BOOL.with_marks(marks)
    return bool_val(not a.as_bool()).with_marks(marks)


def logical_and(a: Value, b: Value) -> Value:
    """Return ``a && b``; a known false operand decides the result even if the other is unknown."""
    (a, b), marks = _unmark_all(a, b)
    if not _require(BOOL, [a, b], "logical and"):
        if a.raw_equals(FALSE) or b.raw_equals(FALSE):
            return FALSE.with_marks(marks)
        return _UNKNOWN_BOOL.with_marks(marks)
    return bool_val(a.as_bool() and b.as_bool()).with_marks(marks)


def logical_or(a: Value, b: Value) -> Value:
    """Return ``a || b``; a known true operand decides the result even if the other is unknown."""
    (a, b), marks = _unmark_all(a, b)
    if not _require(BOOL, [a, b], "logical or"):
        if a.raw_equals(TRUE) or b.raw_equals(TRUE):
            return TRUE.with_marks(marks)
        return _UNKNOWN_BOOL.with_marks(marks)
    return bool_val(a.as_bool() or b.as_bool()).with_marks(marks)
