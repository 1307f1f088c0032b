"""The `Value` class: a typed HCL value that may be null, unknown or marked, as a cty.Value."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from kiln.lang.types import (
    BOOL,
    DYNAMIC,
    NUMBER,
    STRING,
    ListType,
    MapType,
    ObjectType,
    SetType,
    TupleType,
    Type,
)
from kiln.lang.values import _number
from kiln.lang.values._refinement import Refinement, RefinementBuilder, ValueRange
from kiln.lang.values._sets import hash_bytes, set_members


class OperationError(Exception):
    """An operation on values that cannot be done, such as dividing zero by zero.

    The message reads as cty's: it is meant to become a diagnostic's detail.
    """


class _Unknown:
    """The raw form of an unknown value, with its refinements (None when unrefined)."""

    __slots__ = ("refinement",)

    def __init__(self, refinement: Refinement | None = None) -> None:
        self.refinement = refinement

    def __repr__(self) -> str:
        return "<unknown>"


_UNKNOWN = _Unknown()


class Value:
    """An immutable HCL value of a `Type`; it may be null, unknown, or carry marks.

    Collections keep their elements as `Value`s. Maps and objects keep their attributes sorted
    by name, and sets keep cty's element order, so iteration order matches cty's.

        >>> list_val([string_val("a"), string_val("b")]).length_int()
        2
    """

    __slots__ = ("_marks", "_raw", "_type")

    _type: Type
    _raw: Any
    _marks: frozenset[object]

    def __init__(self, type_: Type, raw: Any, marks: frozenset[object] = frozenset()) -> None:
        # Private: use the constructor functions, which check and normalise `raw`.
        object.__setattr__(self, "_type", type_)
        object.__setattr__(self, "_raw", raw)
        object.__setattr__(self, "_marks", marks)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("values are immutable")

    # Values are immutable, so copies can share them.
    def __copy__(self) -> Value:
        return self

    def __deepcopy__(self, memo: object) -> Value:
        return self

    def __reduce__(self) -> tuple[object, ...]:
        return (Value, (self._type, self._raw, self._marks))

    # Python equality is cty's RawEquals, so values can be compared in tests and used as keys.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Value):
            return NotImplemented
        return self.raw_equals(other)

    def __hash__(self) -> int:
        return hash((self._type, hash_bytes(self)))

    def __repr__(self) -> str:
        marks = f" marked {sorted(map(str, self._marks))}" if self._marks else ""
        if isinstance(self._raw, _Unknown):
            refinement = self._raw.refinement
            refined = f" ({refinement.describe()})" if refinement is not None else ""
            return f"<Value unknown {self._type.type_expression()}{refined}{marks}>"
        if self._raw is None:
            return f"<Value null {self._type.type_expression()}{marks}>"
        if self._type == NUMBER:
            return f"<Value number {_number.format_number(self._raw)}{marks}>"
        if self._type.is_primitive():
            return f"<Value {self._type.type_expression()} {self._raw!r}{marks}>"
        return f"<Value {self._type.type_expression()} {self._raw!r}{marks}>"

    # State.

    @property
    def type(self) -> Type:
        return self._type

    @property
    def is_null(self) -> bool:
        return self._raw is None

    @property
    def is_known(self) -> bool:
        return not isinstance(self._raw, _Unknown)

    @property
    def is_wholly_known(self) -> bool:
        """Whether this value and every value nested inside it are known."""
        if isinstance(self._raw, _Unknown):
            return False
        if self._raw is None or self._type.is_primitive():
            return True
        return all(element.is_wholly_known for element in self._children())

    @property
    def marks(self) -> frozenset[object]:
        """The marks on this value itself, not those of nested values."""
        return self._marks

    @property
    def is_marked(self) -> bool:
        return bool(self._marks)

    def has_mark(self, mark: object) -> bool:
        """Return whether this value itself (not a nested value) carries `mark`."""
        return mark in self._marks

    def contains_marked(self) -> bool:
        """Return whether this value or any value nested inside it carries a mark."""
        if self._marks:
            return True
        return any(child.contains_marked() for child in self._children())

    def _children(self) -> Iterable[Value]:
        raw = self._raw
        if raw is None or isinstance(raw, _Unknown) or self._type.is_primitive():
            return ()
        if isinstance(raw, dict):
            return raw.values()
        return raw

    # Marks.

    def mark(self, mark: object) -> Value:
        """Return this value with `mark` added to its marks."""
        return Value(self._type, self._raw, self._marks | {mark})

    def with_marks(self, *mark_sets: Iterable[object]) -> Value:
        """Return this value with every mark of `mark_sets` added."""
        marks = self._marks.union(*mark_sets)
        if marks == self._marks:
            return self
        return Value(self._type, self._raw, frozenset(marks))

    def unmark(self) -> tuple[Value, frozenset[object]]:
        """Return this value without its own marks, and those marks. Nested marks stay."""
        if not self._marks:
            return self, self._marks
        return Value(self._type, self._raw), self._marks

    def unmark_deep(self) -> tuple[Value, frozenset[object]]:
        """Return this value with every mark removed at every depth, and the union of them."""
        if not self.contains_marked():
            return self, frozenset()
        found: set[object] = set(self._marks)
        raw = self._raw
        if isinstance(raw, dict):
            unmarked: dict[str, Value] = {}
            for key, element in raw.items():
                unmarked[key], nested = element.unmark_deep()
                found |= nested
            raw = unmarked
        elif isinstance(raw, tuple):
            elements = []
            for element in raw:
                plain, nested = element.unmark_deep()
                elements.append(plain)
                found |= nested
            raw = tuple(elements)
        return Value(self._type, raw), frozenset(found)

    # Refinements of unknown values.

    @property
    def refinement(self) -> Refinement | None:
        """The refinements of an unknown value, or None for known and unrefined values."""
        return self._raw.refinement if isinstance(self._raw, _Unknown) else None

    def refine(self) -> RefinementBuilder:
        """Start refining this value, as cty's Refine.

        >>> unknown_val(STRING).refine().not_null().string_prefix_full("ami-").new_value()
        <Value unknown string (not null, prefix 'ami-')>
        """
        return RefinementBuilder(self)

    def refine_not_null(self) -> Value:
        """Return this value refined as never null (unchanged for `DYNAMIC_VAL`)."""
        return self.refine().not_null().new_value()

    def range(self) -> ValueRange:
        """Return what is known about this value's range, as cty's Range."""
        return ValueRange.of(self)

    # Primitive access. Marks are ignored here, so callers that read secrets must unmark first
    # if they care; cty panics instead.

    def as_str(self) -> str:
        self._require_known_of(STRING)
        return self._raw

    def as_number(self) -> Decimal:
        self._require_known_of(NUMBER)
        return self._raw

    def as_int(self) -> int:
        """Return the number as an int, raising `OperationError` when it is not whole."""
        number = self.as_number()
        if not _number.is_whole(number):
            raise OperationError(f"{_number.format_number(number)} is not a whole number")
        return int(number)

    def as_bool(self) -> bool:
        self._require_known_of(BOOL)
        return self._raw

    def true(self) -> bool:
        """Return whether this is the known, non-null value true."""
        return self._type == BOOL and self._raw is True

    def _require_known_of(self, wanted: Type) -> None:
        if self._type != wanted:
            raise TypeError(f"value is a {self._type.friendly_name()}, not a {wanted.friendly_name()}")
        if not self.is_known:
            raise ValueError("value is not known")
        if self._raw is None:
            raise ValueError("value is null")

    # Collection and structure access.

    def _require_known_not_null(self) -> None:
        if not self.is_known:
            raise ValueError("value is not known")
        if self._raw is None:
            raise ValueError("value is null")

    def elements(self) -> list[Value]:
        """Return the elements of a list, set or tuple, in order (for sets, cty's order).

        The marks of a marked collection go onto each element, so none leaks unmarked.
        """
        self._require_known_not_null()
        if not isinstance(self._raw, tuple):
            raise TypeError(f"cannot list the elements of a {self._type.friendly_name()}")
        return [element.with_marks(self._marks) for element in self._raw]

    def items(self) -> list[tuple[str, Value]]:
        """Return the (key, value) pairs of a map or object, sorted by key as cty does."""
        self._require_known_not_null()
        if not isinstance(self._raw, dict):
            raise TypeError(f"cannot list the items of a {self._type.friendly_name()}")
        return [(key, element.with_marks(self._marks)) for key, element in self._raw.items()]

    def can_iterate_elements(self) -> bool:
        """Return whether this is a list, set, map, tuple or object, as cty's CanIterateElements."""
        return self._type.is_collection() or self._type.is_structural()

    def element_pairs(self) -> list[tuple[Value, Value]]:
        """Return (key, element) pairs as cty's ElementIterator gives them.

        Lists and tuples have number keys, maps and objects string keys, and in a set each
        element is its own key. As in `elements`, the collection's marks go onto each element.
        """
        if isinstance(self._raw, dict):
            return [(string_val(key), element) for key, element in self.items()]
        if self._type.is_set():
            return [(element, element) for element in self.elements()]
        if isinstance(self._raw, tuple):
            return [(number_val(index), element) for index, element in enumerate(self.elements())]
        self._require_known_not_null()
        raise TypeError(f"cannot iterate over a {self._type.friendly_name()}")

    def length_int(self) -> int:
        """Return the number of elements or attributes of a known collection or structure.

        For a set with unknown elements this is an upper bound, since the unknowns may turn
        out to equal each other or other elements.
        """
        if self._type.is_tuple():
            return len(self._type.element_types)
        if self._type.is_object():
            return len(self._type.attributes)
        self._require_known_not_null()
        if not isinstance(self._raw, (tuple, dict)):
            raise TypeError(f"a {self._type.friendly_name()} has no length")
        return len(self._raw)

    def length(self) -> Value:
        """Return the length as a number value, unknown when it cannot be known yet."""
        if self._type.is_tuple() or self._type.is_object():
            return number_val(self.length_int()).with_marks(self._marks)
        if isinstance(self._raw, _Unknown):
            # The length is unknown, but within the collection's refined length bounds.
            bounds = self.range()
            builder = unknown_val(NUMBER).refine().not_null()
            builder.number_range_inclusive(bounds.length_lower_bound(), bounds.length_upper_bound())
            return builder.new_value().with_marks(self._marks)
        # Unknown set elements may turn out equal to others and coalesce, so the length is
        # unknown, unless there is only one element for an unknown to coalesce with.
        if self._type.is_set() and len(self._raw) > 1 and not self.is_wholly_known:
            builder = unknown_val(NUMBER).refine().not_null().number_range_inclusive(1, len(self._raw))
            return builder.new_value().with_marks(self._marks)
        return number_val(self.length_int()).with_marks(self._marks)

    def get_attr(self, name: str) -> Value:
        """Return attribute `name` of an object, raising `KeyError` when there is none.

        An unknown object gives an unknown value of the attribute's type, and a marked object
        passes its marks to the result.
        """
        if self._type.is_dynamic():
            # Nothing is known about the value yet, so nothing is known about its attribute.
            return DYNAMIC_VAL.with_marks(self._marks)
        if not self._type.is_object():
            raise TypeError(f"cannot get attribute {name!r} of a {self._type.friendly_name()}")
        # Attribute names are stored in NFC, as cty normalises them.
        name = unicodedata.normalize("NFC", name)
        attribute_type = self._type.attribute_type(name)
        if isinstance(self._raw, _Unknown):
            return unknown_val(attribute_type).with_marks(self._marks)
        if self._raw is None:
            raise ValueError("cannot get an attribute of a null object")
        return self._raw[name].with_marks(self._marks)

    def index(self, key: Value) -> Value:
        """Return the element of a list, map or tuple at `key`, as cty's Index.

        Raises `KeyError` when the key is absent or out of range; check with `has_index`
        first. Unknown collections or keys give unknown results, and marks of the collection
        and the key pass to the result.
        """
        key, key_marks = key.unmark()
        marks = self._marks | key_marks
        if self._type.is_dynamic():
            return DYNAMIC_VAL.with_marks(marks)
        result_type = self._index_result_type(key)
        if isinstance(self._raw, _Unknown) or not key.is_known:
            return unknown_val(result_type).with_marks(marks)
        if self._raw is None:
            raise ValueError("cannot index a null value")
        if key.is_null:
            raise ValueError("cannot index with a null key")
        if isinstance(self._raw, dict):
            found = self._raw.get(key.as_str())
        else:
            found = _sequence_lookup(self._raw, key.as_number())
        if found is None:
            raise KeyError(_index_key_text(key))
        return found.with_marks(marks)

    def _index_result_type(self, key: Value) -> Type:
        if self._type.is_list() or self._type.is_map():
            return self._type.element_type
        if self._type.is_tuple():
            if not key.is_known or key.is_null:
                return DYNAMIC
            position = key.as_number()
            elements = self._type.element_types
            if _number.is_whole(position) and 0 <= position < len(elements):
                return elements[int(position)]
            raise KeyError(_index_key_text(key))
        raise TypeError(f"cannot index a {self._type.friendly_name()}")

    def has_index(self, key: Value) -> Value:
        """Return a bool value saying whether `index(key)` would find an element.

        Unknown when the collection (other than a tuple) or the key is unknown.
        """
        key, key_marks = key.unmark()
        marks = self._marks | key_marks
        if self._type.is_dynamic() or not key.is_known or key.type.is_dynamic():
            return _UNKNOWN_BOOL.with_marks(marks)
        if key.is_null:
            return FALSE.with_marks(marks)
        if self._type.is_tuple() or self._type.is_list():
            if key.type != NUMBER:
                return FALSE.with_marks(marks)
            if self._type.is_tuple():
                size = len(self._type.element_types)
            elif isinstance(self._raw, _Unknown):
                return _UNKNOWN_BOOL.with_marks(marks)
            else:
                size = len(self._raw)
            position = key.as_number()
            found = _number.is_whole(position) and 0 <= position < size
            return bool_val(found).with_marks(marks)
        if self._type.is_map():
            if key.type != STRING:
                return FALSE.with_marks(marks)
            if isinstance(self._raw, _Unknown):
                return _UNKNOWN_BOOL.with_marks(marks)
            return bool_val(key.as_str() in self._raw).with_marks(marks)
        return FALSE.with_marks(marks)

    def has_element(self, element: Value) -> Value:
        """Return a bool value saying whether a set contains `element`, as cty's HasElement."""
        if not self._type.is_set():
            raise TypeError(f"a {self._type.friendly_name()} is not a set")
        element, element_marks = element.unmark()
        marks = self._marks | element_marks
        if isinstance(self._raw, _Unknown) or not element.is_known:
            return _UNKNOWN_BOOL.with_marks(marks)
        if not element.type.test_conformance(self._type.element_type):
            return FALSE.with_marks(marks)
        found = any(member.equals(element).true() for member in self._raw)
        if not found and not all(member.is_wholly_known for member in self._raw):
            return _UNKNOWN_BOOL.with_marks(marks)
        return bool_val(found).with_marks(marks)

    # Equality.

    def raw_equals(self, other: Value) -> bool:
        """Return whether both values are identical, including unknowns, nulls and marks."""
        if self._type != other._type or self._marks != other._marks:
            return False
        a, b = self._raw, other._raw
        if isinstance(a, _Unknown) and isinstance(b, _Unknown):
            return a.refinement == b.refinement
        if isinstance(a, _Unknown) or isinstance(b, _Unknown) or a is None or b is None:
            return a is b
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(a[k].raw_equals(b[k]) for k in a)
        if isinstance(a, tuple):
            return len(a) == len(b) and all(x.raw_equals(y) for x, y in zip(a, b, strict=True))
        return a == b

    def equals(self, other: Value) -> Value:
        """Return a bool value saying whether the values are equal, as cty's Equals.

        The result is unknown when either side is unknown, or for collections when an unknown
        element decides the result. It carries the marks of both sides.
        """
        from kiln.lang.values._ops import equals

        return equals(self, other)

    def not_equals(self, other: Value) -> Value:
        from kiln.lang.values._ops import equals

        return equals(self, other).logical_not()

    def logical_not(self) -> Value:
        from kiln.lang.values._ops import logical_not

        return logical_not(self)

    # Conversion to and from plain Python data.

    def to_python(self) -> Any:
        """Return plain Python data: str, int, float, bool, None, list and dict.

        Whole numbers become `int` and other numbers `float` (use `as_number` for the exact
        value). Sets become lists in cty's order. Raises `ValueError` for unknown values.
        """
        raw = self._raw
        if not self.is_known:
            raise ValueError("an unknown value has no Python equivalent")
        if raw is None:
            return None
        if self._type == NUMBER:
            if _number.is_whole(raw):
                return int(raw)
            return float(raw)
        if self._type.is_primitive():
            return raw
        if isinstance(raw, dict):
            return {key: element.to_python() for key, element in raw.items()}
        return [element.to_python() for element in raw]

    @classmethod
    def from_python(cls, obj: Any, type: Type | None = None) -> Value:
        """Build a value from plain Python data, then convert it to `type` when one is given.

        Lists and tuples become tuple values and dicts become object values, as HCL's own
        literals do, unless `type` requests otherwise.

            >>> Value.from_python({"a": [1, 2]}, ObjectType({"a": ListType(NUMBER)})).type
            <Type object({a=list(number)})>
        """
        return from_python(obj, type)


def _sequence_lookup(elements: tuple[Value, ...], position: Decimal) -> Value | None:
    if not _number.is_whole(position) or not 0 <= position < len(elements):
        return None
    return elements[int(position)]


def _index_key_text(key: Value) -> str:
    if key.type == NUMBER:
        return _number.format_number(key.as_number())
    if key.type == STRING:
        return key.as_str()
    return repr(key)


# Constructors.


def string_val(text: str) -> Value:
    """Return a string value, normalised to Unicode NFC as cty does."""
    if not isinstance(text, str):
        raise TypeError(f"string_val needs a str, not {type(text).__name__}")
    return Value(STRING, unicodedata.normalize("NFC", text))


def number_val(number: Decimal | float | str) -> Value:
    """Return a number value from an int, Decimal, float or numeric string.

    The source decides the binary precision, as in cty: strings and Decimals are parsed at
    512 bits like HCL literals, ints get 64 bits (or their size) like cty.NumberIntVal, and
    floats keep their exact float64 value like cty.NumberFloatVal. So ``1/3`` gives 155
    digits for parsed operands but 20 for two ints, as it does in Packer.

        >>> number_val("0.1").as_number()
        Decimal('0.1')
    """
    if isinstance(number, bool):
        raise TypeError("number_val needs a number, not a bool")
    if isinstance(number, int):
        return Value(NUMBER, _number.from_int(number))
    if isinstance(number, float):
        return Value(NUMBER, _number.from_float(number))
    if isinstance(number, _number.Number) and hasattr(number, "precision"):
        # A number taken from another value keeps its binary value and precision.
        return Value(NUMBER, number)
    if isinstance(number, Decimal):
        return Value(NUMBER, _number.from_decimal(number))
    if isinstance(number, str):
        return Value(NUMBER, _number.parse_number(number))
    raise TypeError(f"number_val needs a number, not {type(number).__name__}")


def bool_val(flag: bool) -> Value:
    return TRUE if flag else FALSE


def null_val(type_: Type) -> Value:
    return Value(type_, None)


def unknown_val(type_: Type) -> Value:
    return Value(type_, _UNKNOWN)


def _collect(values: Iterable[Value], kind: str) -> tuple[list[Value], Type, frozenset[object]]:
    elements = list(values)
    if not elements:
        raise ValueError(f"{kind}_val needs at least one element; use {kind}_val_empty(type)")
    for element in elements:
        if not isinstance(element, Value):
            raise TypeError(f"{kind} elements must be Values, not {type(element).__name__}")
    # As in cty, a null or unknown of dynamic type fits any element type and takes it on.
    element_type = next((e.type for e in elements if not e.type.is_dynamic()), DYNAMIC)
    for index, element in enumerate(elements):
        if element.type == element_type:
            continue
        if element.type.is_dynamic() and (element.is_null or not element.is_known):
            replacement = null_val(element_type) if element.is_null else unknown_val(element_type)
            elements[index] = replacement.with_marks(element.marks)
            continue
        raise TypeError(
            f"inconsistent {kind} element types: element {index} is "
            f"{element.type.type_expression()}, not {element_type.type_expression()}"
        )
    return elements, element_type, frozenset()


def list_val(values: Sequence[Value]) -> Value:
    """Return a list value; every element must have the same type."""
    elements, element_type, _ = _collect(values, "list")
    return Value(ListType(element_type), tuple(elements))


def list_val_empty(element_type: Type) -> Value:
    return Value(ListType(element_type), ())


def set_val(values: Iterable[Value]) -> Value:
    """Return a set value: duplicates removed, elements in cty's order.

    Marks on elements move to the set itself, as in cty, because set members cannot be
    addressed individually.
    """
    elements, element_type, _ = _collect(values, "set")
    marks: set[object] = set()
    unmarked = []
    for element in elements:
        plain, element_marks = element.unmark_deep()
        marks |= element_marks
        unmarked.append(plain)
    return Value(SetType(element_type), set_members(unmarked), frozenset(marks))


def set_val_empty(element_type: Type) -> Value:
    return Value(SetType(element_type), ())


def map_val(values: Mapping[str, Value]) -> Value:
    """Return a map value; every element must have the same type."""
    elements, element_type, _ = _collect(values.values(), "map")
    keys = [unicodedata.normalize("NFC", key) for key in values]
    raw = dict(sorted(zip(keys, elements, strict=True)))
    return Value(MapType(element_type), raw)


def map_val_empty(element_type: Type) -> Value:
    return Value(MapType(element_type), {})


def object_val(attributes: Mapping[str, Value]) -> Value:
    """Return an object value whose type follows from its attribute values."""
    raw = {}
    for name in sorted(attributes):
        element = attributes[name]
        if not isinstance(element, Value):
            raise TypeError(f"attribute {name!r} must be a Value, not {type(element).__name__}")
        raw[unicodedata.normalize("NFC", name)] = element
    return Value(ObjectType({name: v.type for name, v in raw.items()}), raw)


def tuple_val(values: Sequence[Value]) -> Value:
    """Return a tuple value whose type follows from its element values."""
    elements = tuple(values)
    for index, element in enumerate(elements):
        if not isinstance(element, Value):
            raise TypeError(f"tuple element {index} must be a Value, not {type(element).__name__}")
    return Value(TupleType([element.type for element in elements]), elements)


TRUE = Value(BOOL, True)
_UNKNOWN_BOOL = Value(BOOL, _Unknown(Refinement("nullable", null=False)))
FALSE = Value(BOOL, False)
EMPTY_OBJECT = Value(ObjectType({}), {})
EMPTY_TUPLE = Value(TupleType(()), ())
DYNAMIC_VAL = Value(DYNAMIC, _UNKNOWN)
ZERO = Value(NUMBER, _number.from_int(0))
POSITIVE_INFINITY = Value(NUMBER, _number.POSITIVE_INFINITY)
NEGATIVE_INFINITY = Value(NUMBER, _number.NEGATIVE_INFINITY)


def from_python(obj: Any, type_: Type | None = None) -> Value:
    """Build a value from plain Python data; see `Value.from_python`."""
    value = _infer(obj)
    if type_ is None:
        return value
    from kiln.lang.convert import convert

    return convert(value, type_)


def _infer(obj: Any) -> Value:
    if isinstance(obj, Value):
        return obj
    if obj is None:
        return null_val(DYNAMIC)
    if isinstance(obj, bool):
        return bool_val(obj)
    if isinstance(obj, (int, float, Decimal)):
        return number_val(obj)
    if isinstance(obj, str):
        return string_val(obj)
    if isinstance(obj, Mapping):
        return object_val({str(key): _infer(element) for key, element in obj.items()})
    if isinstance(obj, (list, tuple)):
        return tuple_val([_infer(element) for element in obj])
    if isinstance(obj, (set, frozenset)):
        return tuple_val([_infer(element) for element in obj])
    raise TypeError(f"cannot make an HCL value from a {type(obj).__name__}")
