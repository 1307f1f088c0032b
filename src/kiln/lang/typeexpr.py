"""Type constraints written as HCL expressions: `string`, `list(number)`, `object({...})`.

As hcl's ext/typeexpr. `type_constraint` reads a constraint (where `any` is allowed) and
`type_constraint_with_defaults` also reads `optional(T, default)` attribute defaults, returning
a `TypeDefaults` tree whose `apply` fills them into a value before it is converted to the type:

    type_, defaults, diags = type_constraint_with_defaults(variable_type_expr)
    value = convert(defaults.apply(given) if defaults else given, type_)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.lang import types as T
from kiln.lang import values as V

INVALID_TYPE = "Invalid type specification"
_COLLECTIONS = {"list": T.ListType, "set": T.SetType, "map": T.MapType}
_PRIMITIVES = {"bool": T.BOOL, "string": T.STRING, "number": T.NUMBER}
_ONE_ARGUMENT = {
    "list": "The list type constructor requires one argument specifying the element type.",
    "set": "The set type constructor requires one argument specifying the element type.",
    "map": "The map type constructor requires one argument specifying the element type.",
    "object": "The object type constructor requires one argument specifying the attribute types as an object.",
    "tuple": "The tuple type constructor requires one argument specifying the element types as a list.",
}


@dataclass(slots=True)
class TypeDefaults:
    """Default values of optional object attributes, in the shape of the type they belong to.

    `values` contains the defaults of this object's attributes, already converted to their types.
    `children` contains the defaults below: by attribute name for objects, by position ("0") for
    tuples, and under "" for the elements of lists, sets and maps.
    """

    type: T.Type
    values: dict[str, V.Value] = field(default_factory=dict)
    children: dict[str, TypeDefaults] = field(default_factory=dict)

    def apply(self, value: V.Value) -> V.Value:
        """Return `value` with null or absent optional attributes replaced by their defaults.

        A null or unknown value stays as it is, so a null object never gets defaults. A value
        of an incompatible shape passes through unchanged, for the later conversion to report.
        """
        if value.is_null or not value.is_known:
            return value
        bare, marks = _unmark(value)
        if self.type.is_object() and (bare.type.is_object() or bare.type.is_map()):
            result = self._apply_object(bare)
        elif self.type.is_collection() or self.type.is_tuple():
            result = self._apply_elements(bare)
        else:
            result = bare
        return result.with_marks(marks) if marks else result

    def _apply_object(self, value: V.Value) -> V.Value:
        attributes = dict(value.items())
        for name, default in self.values.items():
            if name not in attributes or attributes[name].is_null:
                attributes[name] = default
        for name, child in self.children.items():
            if name in attributes:
                attributes[name] = child.apply(attributes[name])
        return V.object_val(attributes)

    def _apply_elements(self, value: V.Value) -> V.Value:
        type_ = value.type
        if type_.is_map() or type_.is_object():
            child = self.children.get("")
            if child is None:
                return value
            items = {name: child.apply(element) for name, element in value.items()}
            return _rebuild_mapping(items, type_.is_map())
        if not (type_.is_list() or type_.is_set() or type_.is_tuple()):
            return value

        elements = []
        for position, element in enumerate(value.elements()):
            key = str(position) if self.type.is_tuple() else ""
            child = self.children.get(key)
            elements.append(child.apply(element) if child is not None else element)
        return _rebuild_sequence(elements, type_)


def _unmark(value: V.Value) -> tuple[V.Value, Any]:
    if not value.marks:
        return value, frozenset()
    return value.unmark()


def _unify_values(values: list[V.Value]) -> list[V.Value] | None:
    """Convert values to one unified type, or return None when they have none, as hcl's defaults do."""
    from kiln.lang.convert import ConversionError, convert, unify

    unified, _ = unify([value.type for value in values], unsafe=True)
    if unified is None:
        return None
    try:
        return [convert(value, unified) for value in values]
    except ConversionError:
        return None


def _rebuild_mapping(items: dict[str, V.Value], was_map: bool) -> V.Value:
    # Defaults can change element types, so a map whose elements no longer unify becomes an object.
    if was_map and items:
        names = sorted(items)
        converted = _unify_values([items[name] for name in names])
        if converted is not None:
            return V.map_val(dict(zip(names, converted)))
    return V.object_val(items)


def _rebuild_sequence(elements: list[V.Value], type_: T.Type) -> V.Value:
    if type_.is_tuple():
        return V.tuple_val(elements)
    if not elements:
        return V.set_val_empty(type_.element_type) if type_.is_set() else V.list_val_empty(type_.element_type)
    converted = _unify_values(elements)
    if converted is None:
        return V.tuple_val(elements)
    return V.set_val(converted) if type_.is_set() else V.list_val(converted)


def type_constraint(expr: Any) -> tuple[T.Type, Diagnostics]:
    """Return the type constraint that `expr` denotes; `any` and `optional(T)` are allowed."""
    type_, _, diags = _read_type(expr, constraint=True, with_defaults=False)
    return type_, diags


def type_constraint_with_defaults(expr: Any) -> tuple[T.Type, TypeDefaults | None, Diagnostics]:
    """Return the constraint and its `optional(T, default)` defaults (None when there are none)."""
    return _read_type(expr, constraint=True, with_defaults=True)


def exact_type(expr: Any) -> tuple[T.Type, Diagnostics]:
    """Return the exact type that `expr` denotes, where `any` and `optional` are errors."""
    type_, _, diags = _read_type(expr, constraint=False, with_defaults=False)
    return type_, diags


def _native(expr: Any) -> Any:
    # A JSON string is read as the expression it spells (`"list(string)"`), as hcl's
    # ExprAsKeyword and ExprCall do for JSON syntax.
    static = getattr(expr, "as_static_expression", None)
    parsed = static() if static is not None else None
    if parsed is not None:
        return parsed
    method = getattr(expr, "as_native_expression", None)
    return method() if method is not None else expr


def _keyword(expr: Any) -> str | None:
    from kiln.lang.eval.traversals import expr_as_keyword

    native = _native(expr)
    if type(native).__name__ == "ObjectConsKeyExpr":
        if native.force_non_literal:
            return None
        native = native.wrapped
    return expr_as_keyword(native)


def _invalid(detail: str, subject: Range | None) -> tuple[T.Type, None, Diagnostics]:
    diags = Diagnostics()
    diags.append(error(INVALID_TYPE, detail, subject))
    return T.DYNAMIC, None, diags


def _read_type(
    expr: Any, *, constraint: bool, with_defaults: bool
) -> tuple[T.Type, TypeDefaults | None, Diagnostics]:
    keyword = _keyword(expr)
    if keyword is not None:
        return _read_keyword(keyword, expr, constraint)

    call = _native(expr)
    if type(call).__name__ != "FunctionCallExpr":
        detail = (
            "A type specification is either a primitive type keyword (bool, number, string) or a complex "
            "type constructor call, like list(string)."
        )
        return _invalid(detail, expr.range)
    return _read_call(call, expr, constraint, with_defaults)


def _read_keyword(
    keyword: str, expr: Any, constraint: bool
) -> tuple[T.Type, TypeDefaults | None, Diagnostics]:
    if keyword in _PRIMITIVES:
        return _PRIMITIVES[keyword], None, Diagnostics()
    if keyword == "any":
        if constraint:
            return T.DYNAMIC, None, Diagnostics()
        detail = (
            f'The keyword "{keyword}" cannot be used in this type specification: an exact type is required.'
        )
        return _invalid(detail, expr.range)
    if keyword in _ONE_ARGUMENT:
        return _invalid(_ONE_ARGUMENT[keyword], expr.range)
    return _invalid(f'The keyword "{keyword}" is not a valid type specification.', expr.range)


def _args_range(call: Any) -> Range:
    open_paren = getattr(call, "open_paren_range", None)
    close_paren = getattr(call, "close_paren_range", None)
    if open_paren is not None and close_paren is not None:
        return Range.between(open_paren, close_paren)
    return call.range


def _read_call(
    call: Any, expr: Any, constraint: bool, with_defaults: bool
) -> tuple[T.Type, TypeDefaults | None, Diagnostics]:
    name = call.name
    args = list(call.args)
    if name in _PRIMITIVES:
        return _invalid(f'Primitive type keyword "{name}" does not expect arguments.', _args_range(call))
    if name == "any":
        return _invalid(f'Type constraint keyword "{name}" does not expect arguments.', _args_range(call))
    if name == "optional":
        detail = f'Keyword "{name}" is valid only as a modifier for object type attributes.'
        return _invalid(detail, getattr(call, "name_range", None) or call.range)
    if name not in _ONE_ARGUMENT:
        return _invalid(f'Keyword "{name}" is not a valid type constructor.', expr.range)
    if len(args) != 1:
        subject = _args_range(call)
        if len(args) > 1:
            subject = Range.between(args[1].range, args[-1].range)
        return _invalid(_ONE_ARGUMENT[name], subject)

    if name in _COLLECTIONS:
        element, element_defaults, diags = _read_type(
            args[0], constraint=constraint, with_defaults=with_defaults
        )
        type_ = _COLLECTIONS[name](element)
        defaults = TypeDefaults(type_, children={"": element_defaults}) if element_defaults else None
        return type_, defaults, diags
    if name == "object":
        return _read_object(args[0], expr, constraint, with_defaults)
    return _read_tuple(args[0], expr, constraint, with_defaults)


def _read_object(
    arg: Any, expr: Any, constraint: bool, with_defaults: bool
) -> tuple[T.Type, TypeDefaults | None, Diagnostics]:
    native = _native(arg)
    if type(native).__name__ != "ObjectConsExpr":
        diags = Diagnostics()
        detail = (
            "Object type constructor requires a map whose keys are attribute names and whose values are "
            "the corresponding attribute types."
        )
        diags.append(error(INVALID_TYPE, detail, arg.range, context=expr.range))
        return T.DYNAMIC, None, diags

    diags = Diagnostics()
    attributes: dict[str, T.Type] = {}
    optional: set[str] = set()
    values: dict[str, V.Value] = {}
    children: dict[str, TypeDefaults] = {}
    for item in native.items:
        name = _keyword(item.key_expr)
        if name is None:
            diags.append(
                error(
                    INVALID_TYPE, "Object constructor map keys must be attribute names.", item.key_expr.range
                )
            )
            continue
        type_expr, default_expr, is_optional = _unwrap_optional(
            item.value_expr, constraint, with_defaults, diags
        )
        if is_optional:
            optional.add(name)
        type_, child, attr_diags = _read_type(type_expr, constraint=constraint, with_defaults=with_defaults)
        diags.extend(attr_diags)
        attributes[name] = type_
        if child is not None:
            children[name] = child
        if default_expr is not None:
            default = _read_default(name, default_expr, type_, diags)
            if default is not None:
                values[name] = default

    object_type = T.ObjectType(attributes, frozenset(optional))
    defaults = TypeDefaults(object_type, values, children) if values or children else None
    return object_type, defaults, diags


def _unwrap_optional(
    type_expr: Any, constraint: bool, with_defaults: bool, diags: Diagnostics
) -> tuple[Any, Any, bool]:
    """Return (type expression, default expression, optional?) for an attribute's type expression."""
    call = _native(type_expr)
    if type(call).__name__ != "FunctionCallExpr" or call.name != "optional":
        return type_expr, None, False
    args = list(call.args)
    if not args:
        detail = "Optional attribute modifier requires the attribute type as its argument."
        diags.append(error(INVALID_TYPE, detail, _args_range(call)))
        return type_expr, None, False
    if not constraint:
        detail = "Optional attribute modifier is only for type constraints, not for exact types."
        diags.append(error(INVALID_TYPE, detail, getattr(call, "name_range", None) or call.range))
        return args[0], None, False
    if len(args) == 1:
        return args[0], None, True
    if with_defaults and len(args) == 2:
        return args[0], args[1], True
    if with_defaults:
        detail = "Optional attribute modifier expects at most two arguments: the attribute type, and a default value."
    else:
        detail = "Optional attribute modifier expects only one argument: the attribute type."
    diags.append(error(INVALID_TYPE, detail, _args_range(call)))
    return args[0], None, False


def _read_default(name: str, default_expr: Any, type_: T.Type, diags: Diagnostics) -> V.Value | None:
    from kiln.lang.convert import ConversionError, convert
    from kiln.lang.eval import evaluate

    value, value_diags = evaluate(default_expr, None)
    diags.extend(value_diags)
    if value_diags.has_errors():
        return None
    try:
        return convert(value, type_)
    except ConversionError as exc:
        detail = f'Invalid default value for optional attribute "{name}": {exc}.'
        diags.append(error("Invalid default value for optional attribute", detail, default_expr.range))
        return None


def _read_tuple(
    arg: Any, expr: Any, constraint: bool, with_defaults: bool
) -> tuple[T.Type, TypeDefaults | None, Diagnostics]:
    native = _native(arg)
    if type(native).__name__ != "TupleConsExpr":
        diags = Diagnostics()
        diags.append(
            error(
                INVALID_TYPE,
                "Tuple type constructor requires a list of element types.",
                arg.range,
                context=expr.range,
            )
        )
        return T.DYNAMIC, None, diags

    diags = Diagnostics()
    elements: list[T.Type] = []
    children: dict[str, TypeDefaults] = {}
    for position, element_expr in enumerate(native.exprs):
        element, child, element_diags = _read_type(
            element_expr, constraint=constraint, with_defaults=with_defaults
        )
        diags.extend(element_diags)
        elements.append(element)
        if child is not None:
            children[str(position)] = child
    tuple_type = T.TupleType(elements)
    return tuple_type, (TypeDefaults(tuple_type, children=children) if children else None), diags
