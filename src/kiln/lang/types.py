"""HCL types, as the cty type system defines them.

A `Type` is immutable, hashable and compared by structure: ``ListType(STRING) == ListType(STRING)``.
The primitive types are the singletons `STRING`, `NUMBER` and `BOOL`. `DYNAMIC` is cty's
``DynamicPseudoType``: in a type constraint it accepts any type, and as the type of an unknown
value it means "not yet known".

    >>> ObjectType({"name": STRING, "tags": MapType(STRING)}).type_expression()
    'object({name=string,tags=map(string)})'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

__all__ = [
    "BOOL",
    "DYNAMIC",
    "NUMBER",
    "STRING",
    "ListType",
    "MapType",
    "ObjectType",
    "PrimitiveType",
    "SetType",
    "TupleType",
    "Type",
]


class Type:
    """Base of every HCL type. Subclasses compare and hash by structure."""

    __slots__ = ()

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Type):
            return NotImplemented
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        return f"<Type {self.type_expression()}>"

    # Types are immutable, so copies can share them.
    def __copy__(self) -> Type:
        return self

    def __deepcopy__(self, memo: object) -> Type:
        return self

    # Predicates, as cty's Type.IsPrimitiveType, IsListType and so on.

    def is_primitive(self) -> bool:
        return isinstance(self, PrimitiveType)

    def is_dynamic(self) -> bool:
        return isinstance(self, _DynamicPseudoType)

    def is_collection(self) -> bool:
        """Return whether this is a list, set or map type."""
        return isinstance(self, (ListType, SetType, MapType))

    def is_list(self) -> bool:
        return isinstance(self, ListType)

    def is_set(self) -> bool:
        return isinstance(self, SetType)

    def is_map(self) -> bool:
        return isinstance(self, MapType)

    def is_object(self) -> bool:
        return isinstance(self, ObjectType)

    def is_tuple(self) -> bool:
        return isinstance(self, TupleType)

    def is_structural(self) -> bool:
        """Return whether this is an object or tuple type."""
        return isinstance(self, (ObjectType, TupleType))

    @property
    def element_type(self) -> Type:
        """The element type of a list, set or map type. Other types raise `TypeError`."""
        raise TypeError(f"{self.friendly_name()} is not a collection type")

    def has_dynamic_types(self) -> bool:
        """Return whether `DYNAMIC` appears anywhere in this type."""
        return False

    def friendly_name(self) -> str:
        """Name the type for messages, as cty's FriendlyName: "list of string", "object"."""
        raise NotImplementedError

    def friendly_name_for_constraint(self) -> str:
        """Name the type as a constraint, as cty's FriendlyNameForConstraint: "list of any type"."""
        return self.friendly_name()

    def type_expression(self) -> str:
        """Write the type as an HCL type expression: ``list(string)``, ``object({a=number})``."""
        raise NotImplementedError

    def test_conformance(self, other: Type) -> bool:
        """Return whether this type conforms to `other`, where `DYNAMIC` in `other` matches anything."""
        if other.is_dynamic():
            return True
        return self._conforms(other)

    def _conforms(self, other: Type) -> bool:
        return self == other


class PrimitiveType(Type):
    """One of the three primitive types: string, number and bool. Use the module singletons."""

    __slots__ = ("name",)

    name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "name", name)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("types are immutable")

    def _key(self) -> tuple[object, ...]:
        return (self.name,)

    def __reduce__(self) -> tuple[object, ...]:
        return (_primitive_named, (self.name,))

    def friendly_name(self) -> str:
        return self.name

    def type_expression(self) -> str:
        return self.name


class _DynamicPseudoType(Type):
    __slots__ = ()

    def _key(self) -> tuple[object, ...]:
        return ()

    def __reduce__(self) -> tuple[object, ...]:
        return (_dynamic, ())

    def has_dynamic_types(self) -> bool:
        return True

    def friendly_name(self) -> str:
        return "dynamic"

    def friendly_name_for_constraint(self) -> str:
        return "any type"

    def type_expression(self) -> str:
        return "any"


STRING = PrimitiveType("string")
NUMBER = PrimitiveType("number")
BOOL = PrimitiveType("bool")
DYNAMIC: Type = _DynamicPseudoType()


def _primitive_named(name: str) -> PrimitiveType:
    return {"string": STRING, "number": NUMBER, "bool": BOOL}[name]


def _dynamic() -> Type:
    return DYNAMIC


class _CollectionType(Type):
    __slots__ = ("_element",)

    _kind = ""
    _element: Type

    def __init__(self, element: Type) -> None:
        if not isinstance(element, Type):
            raise TypeError(f"element type must be a Type, not {element!r}")
        object.__setattr__(self, "_element", element)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("types are immutable")

    def _key(self) -> tuple[object, ...]:
        return (self._element,)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self._element,))

    @property
    def element_type(self) -> Type:
        return self._element

    def has_dynamic_types(self) -> bool:
        return self._element.has_dynamic_types()

    def friendly_name(self) -> str:
        return f"{self._kind} of {self._element.friendly_name()}"

    def friendly_name_for_constraint(self) -> str:
        return f"{self._kind} of {self._element.friendly_name_for_constraint()}"

    def type_expression(self) -> str:
        return f"{self._kind}({self._element.type_expression()})"

    def _conforms(self, other: Type) -> bool:
        return type(self) is type(other) and self._element.test_conformance(other.element_type)


class ListType(_CollectionType):
    """An ordered sequence of values of one element type."""

    __slots__ = ()
    _kind = "list"


class SetType(_CollectionType):
    """An unordered collection of distinct values of one element type."""

    __slots__ = ()
    _kind = "set"


class MapType(_CollectionType):
    """A collection of values of one element type, keyed by string."""

    __slots__ = ()
    _kind = "map"


class ObjectType(Type):
    """A structural type with a fixed set of named attributes, each of its own type.

    `optional` names the attributes that a type constraint marks ``optional(...)``; it only
    matters when converting to this type, where a missing optional attribute becomes null.

        >>> ObjectType({"a": STRING}, optional=frozenset({"a"})).type_expression()
        'object({a=optional(string)})'
    """

    __slots__ = ("_attributes", "_optional")

    _attributes: Mapping[str, Type]
    _optional: frozenset[str]

    def __init__(self, attributes: Mapping[str, Type], optional: frozenset[str] = frozenset()) -> None:
        ordered = {name: attributes[name] for name in sorted(attributes)}
        for name, attribute_type in ordered.items():
            if not isinstance(attribute_type, Type):
                raise TypeError(f"attribute {name!r} must have a Type, not {attribute_type!r}")
        unknown = set(optional) - set(ordered)
        if unknown:
            raise ValueError(f"optional attributes {sorted(unknown)} are not attributes of the object")
        object.__setattr__(self, "_attributes", MappingProxyType(ordered))
        object.__setattr__(self, "_optional", frozenset(optional))

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("types are immutable")

    def _key(self) -> tuple[object, ...]:
        return (tuple(self._attributes.items()), tuple(sorted(self._optional)))

    def __reduce__(self) -> tuple[object, ...]:
        return (ObjectType, (dict(self._attributes), self._optional))

    @property
    def attributes(self) -> Mapping[str, Type]:
        """The attribute types, by name in sorted order."""
        return self._attributes

    @property
    def optional(self) -> frozenset[str]:
        return self._optional

    def has_attribute(self, name: str) -> bool:
        return name in self._attributes

    def attribute_type(self, name: str) -> Type:
        """Return the type of attribute `name`, raising `KeyError` when there is none."""
        return self._attributes[name]

    def is_optional(self, name: str) -> bool:
        return name in self._optional

    def without_optional(self) -> ObjectType:
        """Return the same object type with no attribute marked optional."""
        return ObjectType(self._attributes) if self._optional else self

    def has_dynamic_types(self) -> bool:
        return any(t.has_dynamic_types() for t in self._attributes.values())

    def friendly_name(self) -> str:
        return "object"

    def type_expression(self) -> str:
        parts = []
        for name, attribute_type in self._attributes.items():
            written = attribute_type.type_expression()
            if name in self._optional:
                written = f"optional({written})"
            parts.append(f"{_attribute_name(name)}={written}")
        return "object({" + ",".join(parts) + "})"

    def _conforms(self, other: Type) -> bool:
        if not isinstance(other, ObjectType) or set(self._attributes) != set(other._attributes):
            return False
        return all(t.test_conformance(other._attributes[n]) for n, t in self._attributes.items())


class TupleType(Type):
    """A structural type with a fixed sequence of elements, each of its own type."""

    __slots__ = ("_elements",)

    _elements: tuple[Type, ...]

    def __init__(self, elements: Sequence[Type]) -> None:
        elements = tuple(elements)
        for index, element in enumerate(elements):
            if not isinstance(element, Type):
                raise TypeError(f"tuple element {index} must be a Type, not {element!r}")
        object.__setattr__(self, "_elements", elements)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("types are immutable")

    def __iter__(self) -> Iterator[Type]:
        return iter(self._elements)

    def __len__(self) -> int:
        return len(self._elements)

    def _key(self) -> tuple[object, ...]:
        return self._elements

    def __reduce__(self) -> tuple[object, ...]:
        return (TupleType, (self._elements,))

    @property
    def element_types(self) -> tuple[Type, ...]:
        return self._elements

    def has_dynamic_types(self) -> bool:
        return any(t.has_dynamic_types() for t in self._elements)

    def friendly_name(self) -> str:
        return "tuple"

    def type_expression(self) -> str:
        return "tuple([" + ",".join(t.type_expression() for t in self._elements) + "])"

    def _conforms(self, other: Type) -> bool:
        if not isinstance(other, TupleType) or len(self._elements) != len(other._elements):
            return False
        return all(a.test_conformance(b) for a, b in zip(self._elements, other._elements, strict=True))


def _attribute_name(name: str) -> str:
    """Write an attribute name for a type expression, quoted (as Go does) when not an identifier."""
    if name and name[0] != "-" and name.replace("-", "_").isidentifier():
        return name
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


EMPTY_OBJECT_TYPE = ObjectType({})
EMPTY_TUPLE_TYPE = TupleType(())
