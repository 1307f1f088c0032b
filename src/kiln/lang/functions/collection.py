"""Collection functions: lists, sets, maps, tuples and objects.

Most follow cty's stdlib; `alltrue`, `anytrue`, `index` and `length` are Packer's own and
`coalesce` comes from go-cty-funcs. Sets keep cty's element order and maps and objects
iterate in key order, so results come out in the order Packer gives.
"""

from __future__ import annotations

import itertools

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make, whole_number
from kiln.lang.functions._convert import ConversionError, convert, unify
from kiln.lang.functions._text import grapheme_count
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
from kiln.lang.values import (
    EMPTY_TUPLE,
    FALSE,
    TRUE,
    Value,
    list_val,
    list_val_empty,
    map_val,
    map_val_empty,
    number_val,
    object_val,
    set_val,
    set_val_empty,
    string_val,
    tuple_val,
    unknown_val,
)


def _is_sequence(value_type: Type) -> bool:
    return value_type.is_list() or value_type.is_set() or value_type.is_tuple()


def _list_or_empty(elements: list[Value], element_type: Type) -> Value:
    return list_val(elements) if elements else list_val_empty(element_type)


# Packer's own: alltrue, anytrue, index, length.


def _alltrue(args: list[Value], _: Type) -> Value:
    for element in args[0].elements():
        if not element.is_known:
            return unknown_val(BOOL)
        if element.is_null or not element.as_bool():
            return FALSE
    return TRUE


def _anytrue(args: list[Value], _: Type) -> Value:
    has_unknown = False
    for element in args[0].elements():
        if not element.is_known:
            has_unknown = True
        elif not element.is_null and element.as_bool():
            return TRUE
    return unknown_val(BOOL) if has_unknown else FALSE


def _index(args: list[Value], _: Type) -> Value:
    collection, wanted = args
    if not (collection.type.is_list() or collection.type.is_tuple()):
        raise FunctionError("argument must be a list or tuple")
    if not collection.is_known:
        return unknown_val(NUMBER)
    if collection.length_int() == 0:
        raise FunctionError("cannot search an empty list")
    for position, element in enumerate(collection.elements()):
        # Packer compares with cty's Equal function, whose arguments do not convert: a value
        # of another type never matches.
        if element.type != wanted.type and not (element.type.is_dynamic() or wanted.type.is_dynamic()):
            continue
        equal = element.equals(wanted)
        if not equal.is_known:
            return unknown_val(NUMBER)
        if equal.true():
            return number_val(position)
    raise FunctionError("item not found")


def _length_type(args: list[Value]) -> Type:
    value_type = args[0].type
    if (
        value_type == STRING
        or value_type.is_dynamic()
        or value_type.is_collection()
        or value_type.is_structural()
    ):
        return NUMBER
    raise FunctionError("argument must be a string, a collection type, or a structural type")


def _length(args: list[Value], _: Type) -> Value:
    value = args[0]
    value_type = value.type
    if value_type.is_dynamic():
        return unknown_val(NUMBER)
    if value_type.is_tuple() or value_type.is_object():
        return number_val(value.length_int())
    if value_type == STRING:
        if not value.is_known:
            # cty's strlen: at least as many characters as the known prefix has.
            prefix_length = grapheme_count(value.range().string_prefix())
            return unknown_val(NUMBER).refine().number_lower_bound(prefix_length, True).new_value()
        return number_val(grapheme_count(value.as_str()))
    return value.length()


# cty stdlib sequence and collection functions.


def _chunklist(args: list[Value], return_type: Type) -> Value:
    items = args[0]
    try:
        size = whole_number(args[1])
    except ValueError as error:
        # cty's message reads "index" here although the argument is the chunk size.
        raise FunctionError(f"invalid index: {error}") from None
    if size < 0:
        raise FunctionError("the size argument must be positive")
    if items.length_int() == 0:
        return list_val_empty(items.type)
    if size == 0:
        return list_val([items])
    elements = items.elements()
    chunks = [list_val(elements[start : start + size]) for start in range(0, len(elements), size)]
    return list_val(chunks)


def _coalesce_type(args: list[Value]) -> Type:
    unified = unify([arg.type for arg in args], unsafe=True)
    if unified is None:
        raise FunctionError("all arguments must have the same type")
    return unified


def _coalesce(args: list[Value], return_type: Type) -> Value:
    for arg in args:
        arg = convert(arg, return_type)
        if not arg.is_known:
            return unknown_val(return_type)
        if arg.is_null:
            continue
        if return_type == STRING and arg.as_str() == "":
            continue
        return arg
    raise FunctionError("no non-null, non-empty-string arguments")


def _coalescelist_type(args: list[Value]) -> Type:
    if not args:
        raise FunctionError("at least one argument is required")
    for arg in args:
        if not arg.is_known:
            return DYNAMIC
        if not (arg.type.is_list() or arg.type.is_tuple()):
            raise FunctionError("coalescelist arguments must be lists or tuples")
    first = args[0].type
    return first if all(arg.type == first for arg in args) else DYNAMIC


def _coalescelist(args: list[Value], return_type: Type) -> Value:
    for arg in args:
        if not arg.is_known:
            return unknown_val(return_type)
        if arg.is_null:
            continue
        if arg.length_int() > 0:
            return arg
    raise FunctionError("no non-null arguments")


def _compact(args: list[Value], return_type: Type) -> Value:
    items = args[0]
    if not items.is_wholly_known:
        return unknown_val(return_type)
    kept = [e for e in items.elements() if not e.is_null and e.as_str() != ""]
    return _list_or_empty(kept, STRING)


def _concat_type(args: list[Value]) -> Type:
    if not args:
        raise FunctionError("at least one argument is required")
    if all(arg.type.is_list() for arg in args):
        common = unify([arg.type for arg in args], unsafe=True)
        if common is not None:
            return common
    element_types: list[Type] = []
    for index, arg in enumerate(args):
        arg_type = arg.type
        if arg_type.is_tuple():
            element_types.extend(arg_type.element_types)
        elif arg_type.is_list():
            if not arg.is_known:
                return DYNAMIC
            element_types.extend([arg_type.element_type] * arg.length_int())
        else:
            raise ArgumentError(
                index, f"all arguments must be lists or tuples; got {arg_type.friendly_name()}"
            )
    return TupleType(element_types)


def _concat(args: list[Value], return_type: Type) -> Value:
    elements: list[Value] = []
    if return_type.is_list():
        for index, arg in enumerate(args):
            try:
                elements.extend(convert(arg, return_type).elements())
            except ConversionError as error:
                raise ArgumentError(index, str(error)) from None
        return _list_or_empty(elements, return_type.element_type)
    for arg in args:
        elements.extend(arg.elements())
    return tuple_val(elements)


def _contains(args: list[Value], _: Type) -> Value:
    collection, wanted = args
    if not _is_sequence(collection.type):
        raise FunctionError("argument must be list, tuple, or set")
    if collection.length_int() == 0:
        return FALSE
    has_unknown = False
    for element in collection.elements():
        equal = wanted.equals(element)
        if not equal.is_known:
            has_unknown = True
        elif equal.true():
            return TRUE
    return unknown_val(BOOL) if has_unknown else FALSE


def _distinct(args: list[Value], return_type: Type) -> Value:
    items = args[0]
    if not items.is_wholly_known:
        return unknown_val(return_type)
    kept: list[Value] = []
    for element in items.elements():
        if not any(element.equals(seen).true() for seen in kept):
            kept.append(element)
    return _list_or_empty(kept, return_type.element_type)


def _element_index(value: Value) -> int:
    try:
        return whole_number(value)
    except ValueError as error:
        raise FunctionError(f"invalid index: {error}") from None


def _element_type(args: list[Value]) -> Type:
    items, index = args
    if index.is_known and index.as_number() < 0:
        raise FunctionError("cannot use element function with a negative index")
    if items.type.is_list():
        return items.type.element_type
    if items.type.is_tuple():
        if not index.is_known:
            return DYNAMIC
        element_types = items.type.element_types
        position = _element_index(index)
        if not element_types:
            raise FunctionError("cannot use element function with an empty list")
        return element_types[position % len(element_types)]
    raise FunctionError(f"cannot read elements from {items.type.friendly_name()}")


def _element(args: list[Value], return_type: Type) -> Value:
    items, index = args
    position = _element_index(index)
    if position < 0:
        raise FunctionError("cannot use element function with a negative index")
    length = items.length_int()
    if length == 0:
        raise FunctionError("cannot use element function with an empty list")
    return items.elements()[position % length]


def _flatten_into(items: Value, out: list[Value]) -> bool:
    """Append the flattened elements of `items` to `out`; False when the result cannot be known yet."""
    known = True
    for element in items.elements():
        if element.type.is_dynamic() and not element.is_known:
            known = False
        if not element.is_null and _is_sequence(element.type):
            if not element.is_known or not _flatten_into(element, out):
                known = False
            continue
        out.append(element)
    return known


def _flatten_type(args: list[Value]) -> Type:
    items = args[0]
    if not items.is_wholly_known:
        return DYNAMIC
    if not _is_sequence(items.type):
        raise FunctionError("can only flatten lists, sets and tuples")
    flat: list[Value] = []
    if not _flatten_into(items, flat):
        return DYNAMIC
    return TupleType([element.type for element in flat])


def _flatten(args: list[Value], return_type: Type) -> Value:
    items = args[0]
    if items.length_int() == 0:
        return EMPTY_TUPLE
    flat: list[Value] = []
    if not _flatten_into(items, flat):
        return unknown_val(return_type)
    return tuple_val(flat)


def _keys_type(args: list[Value]) -> Type:
    value_type = args[0].type
    if value_type.is_map():
        return ListType(STRING)
    if value_type.is_object():
        return TupleType([STRING] * len(value_type.attributes))
    raise ArgumentError(0, "must have map or object type")


def _keys(args: list[Value], return_type: Type) -> Value:
    mapping = args[0]
    if mapping.type.is_object():
        return tuple_val([string_val(name) for name in mapping.type.attributes])
    if not mapping.is_known:
        return unknown_val(return_type)
    return _list_or_empty([string_val(key) for key, _ in mapping.items()], STRING)


def _lookup_type(args: list[Value]) -> Type:
    if len(args) > 3:
        raise FunctionError(f"lookup() takes two or three arguments, got {len(args)}")
    mapping_type = args[0].type
    if mapping_type.is_object():
        if not args[1].is_known:
            return DYNAMIC
        key = args[1].as_str()
        if mapping_type.has_attribute(key):
            return mapping_type.attribute_type(key)
        if len(args) == 3:
            return args[2].type
        raise ArgumentError(0, f"the given object has no attribute {_go_quote(key)}")
    if mapping_type.is_map():
        if len(args) == 3:
            try:
                convert(args[2], mapping_type.element_type)
            except ConversionError:
                raise ArgumentError(
                    2, "the default value must have the same type as the map elements"
                ) from None
        return mapping_type.element_type
    raise ArgumentError(0, "lookup() requires a map as the first argument")


def _lookup(args: list[Value], return_type: Type) -> Value:
    mapping, key = args[0], args[1].as_str()
    if not mapping.is_known:
        return unknown_val(return_type)
    if mapping.type.is_object():
        if mapping.type.has_attribute(key):
            return mapping.get_attr(key)
    else:
        found = dict(mapping.items()).get(key)
        if found is not None:
            return found
    if len(args) == 3:
        try:
            return convert(args[2], return_type)
        except ConversionError as error:
            raise FunctionError(str(error)) from None
    raise FunctionError(f"lookup failed to find key {_go_quote(key)}")


def _merge_type(args: list[Value]) -> Type:
    if not args:
        return ObjectType({})
    attributes: dict[str, Type] = {}
    first = args[0].type
    matching = True
    attributes_known = True
    for arg in args:
        arg_type = arg.type
        if arg_type.is_dynamic():
            return DYNAMIC
        if arg_type.is_object():
            if not arg.is_null:
                attributes.update(arg_type.attributes)
        elif arg_type.is_map():
            if arg.is_null:
                pass
            elif arg.is_known:
                attributes.update({key: arg_type.element_type for key, _ in arg.items()})
            else:
                attributes_known = False
        else:
            raise FunctionError(
                f"arguments must be maps or objects, got {_go_quote(arg_type.friendly_name())}"
            )
        matching = matching and arg_type == first
    if matching:
        return first
    if not attributes_known:
        return DYNAMIC
    return ObjectType(attributes)


def _merge(args: list[Value], return_type: Type) -> Value:
    merged: dict[str, Value] = {}
    for arg in args:
        if arg.is_null:
            continue
        merged.update(arg.items())
    if return_type.is_map():
        return map_val(merged) if merged else map_val_empty(return_type.element_type)
    return object_val(merged)


def _range(args: list[Value], _: Type) -> Value:
    numbers = [arg.as_number() for arg in args]
    if len(numbers) == 1:
        start, end, step = 0, numbers[0], (-1 if numbers[0] < 0 else 1)
    elif len(numbers) == 2:
        start, end = numbers
        step = -1 if end < start else 1
    elif len(numbers) == 3:
        start, end, step = numbers
    else:
        raise FunctionError("must have one, two, or three arguments")
    if step == 0:
        raise ArgumentError(2, "step must not be zero")
    down = step < 0
    if down and end > start:
        raise ArgumentError(1, "end must be less than start when step is negative")
    if not down and end < start:
        raise ArgumentError(1, "end must be greater than start when step is positive")
    values = []
    current = start
    while (current > end) if down else (current < end):
        if len(values) >= 1024:
            raise FunctionError(
                "more than 1024 values were generated; either decrease the difference between "
                "start and end or use a smaller step"
            )
        values.append(number_val(current))
        current += step
    return _list_or_empty(values, NUMBER)


def _reverse_type(args: list[Value]) -> Type:
    value_type = args[0].type
    if value_type.is_tuple():
        return TupleType(list(reversed(value_type.element_types)))
    if value_type.is_list() or value_type.is_set():
        return ListType(value_type.element_type)
    raise ArgumentError(0, f"can only reverse list or tuple values, not {value_type.friendly_name()}")


def _reverse(args: list[Value], return_type: Type) -> Value:
    elements = list(reversed(args[0].elements()))
    if return_type.is_tuple():
        return tuple_val(elements)
    return _list_or_empty(elements, return_type.element_type)


def _slice_indexes(args: list[Value]) -> tuple[int, int, bool]:
    items = args[0]
    length = items.length_int() if items.type.is_tuple() or items.is_known else None
    start = end = 0
    if args[1].is_known:
        start = _index_argument(args[1], 1, "start")
        if length is not None and start > length:
            raise ArgumentError(1, "start index must not be greater than the length of the list")
    if args[2].is_known:
        end = _index_argument(args[2], 2, "end")
        if length is not None and end > length:
            raise ArgumentError(2, "end index must not be greater than the length of the list")
    known = args[1].is_known and args[2].is_known
    if known and start > end:
        raise ArgumentError(1, "start index must not be greater than end index")
    return start, end, known


def _index_argument(value: Value, index: int, what: str) -> int:
    try:
        position = whole_number(value)
    except ValueError as error:
        raise ArgumentError(index, f"invalid {what} index: {error}") from None
    if position < 0:
        raise ArgumentError(index, f"{what} index must not be less than zero")
    return position


def _slice_type(args: list[Value]) -> Type:
    value_type = args[0].type
    if value_type.is_set():
        raise ArgumentError(
            0,
            "cannot slice a set, because its elements do not have indices; explicitly convert "
            "to a list if the ordering of the result is not important",
        )
    if not (value_type.is_list() or value_type.is_tuple()):
        raise ArgumentError(0, "must be a list or tuple value")
    start, end, known = _slice_indexes(args)
    if value_type.is_list():
        return value_type
    if not known:
        return DYNAMIC
    return TupleType(value_type.element_types[start:end])


def _slice(args: list[Value], return_type: Type) -> Value:
    if return_type.is_dynamic():
        return unknown_val(DYNAMIC)
    start, end, _ = _slice_indexes(args)
    elements = args[0].elements()[start:end]
    if return_type.is_tuple():
        return tuple_val(elements)
    return _list_or_empty(elements, return_type.element_type)


def _sort(args: list[Value], return_type: Type) -> Value:
    items = args[0]
    if not items.is_wholly_known:
        return unknown_val(return_type)
    texts = []
    for position, element in enumerate(items.elements()):
        if element.is_null:
            raise FunctionError(f"given list element {position} is null; a null string cannot be sorted")
        texts.append(element.as_str())
    # Go's sort.Strings compares UTF-8 bytes, which orders like Python's code point comparison.
    return _list_or_empty([string_val(text) for text in sorted(texts)], STRING)


def _values_type(args: list[Value]) -> Type:
    value_type = args[0].type
    if value_type.is_map():
        return ListType(value_type.element_type)
    if value_type.is_object():
        return TupleType(list(value_type.attributes.values()))
    raise FunctionError("values() requires a map as the first argument")


def _values(args: list[Value], return_type: Type) -> Value:
    elements = [element for _, element in args[0].items()]
    if return_type.is_tuple():
        return tuple_val(elements)
    return _list_or_empty(elements, return_type.element_type)


def _zipmap_type(args: list[Value]) -> Type:
    keys, values = args
    values_type = values.type
    if values_type.is_list():
        return MapType(values_type.element_type)
    if values_type.is_tuple():
        if not keys.is_wholly_known:
            return DYNAMIC
        key_values = keys.elements()
        value_types = values_type.element_types
        if len(key_values) != len(value_types):
            raise FunctionError(
                f"number of keys ({len(key_values)}) does not match number of values ({len(value_types)})"
            )
        attributes = {}
        for position, key in enumerate(key_values):
            if key.is_null:
                raise FunctionError(f"keys list has null value at index {position}")
            attributes[key.as_str()] = value_types[position]
        return ObjectType(attributes)
    raise FunctionError("values argument must be a list or tuple value")


def _zipmap(args: list[Value], return_type: Type) -> Value:
    keys, values = args
    if not keys.is_wholly_known:
        return unknown_val(return_type)
    if keys.length_int() != values.length_int():
        raise FunctionError(
            f"number of keys ({keys.length_int()}) does not match number of values ({values.length_int()})"
        )
    pairs = {key.as_str(): value for key, value in zip(keys.elements(), values.elements(), strict=True)}
    if return_type.is_map():
        return map_val(pairs) if pairs else map_val_empty(return_type.element_type)
    return object_val(pairs)


# Set functions.


def _set_operation_type(args: list[Value]) -> Type:
    element_types = []
    for arg in args:
        element_type = arg.type.element_type
        if arg.is_known and arg.length_int() == 0 and element_type.is_dynamic():
            continue
        element_types.append(element_type)
    if not element_types:
        return SetType(DYNAMIC)
    unified = unify(element_types, unsafe=True)
    if unified is None:
        raise FunctionError("given sets must all have compatible element types")
    return SetType(unified)


def _set_operation(combine, allow_unknowns: bool):  # type: ignore[no-untyped-def]
    def impl(args: list[Value], return_type: Type) -> Value:
        sets = []
        for index, arg in enumerate(args):
            try:
                arg = convert(arg, return_type)
            except ConversionError as error:
                raise ArgumentError(index, str(error)) from None
            if not allow_unknowns and not arg.is_wholly_known:
                return unknown_val(return_type)
            sets.append(arg.elements())
        result = sets[0]
        for other in sets[1:]:
            result = combine(result, other)
        return set_val(result) if result else set_val_empty(return_type.element_type)

    return impl


def _union(first: list[Value], second: list[Value]) -> list[Value]:
    return first + second


def _intersection(first: list[Value], second: list[Value]) -> list[Value]:
    return [element for element in first if any(element.equals(other).true() for other in second)]


def _setproduct_type(args: list[Value]) -> Type:
    if len(args) < 2:
        raise FunctionError("at least two arguments are required")
    list_count = 0
    element_types = []
    for index, arg in enumerate(args):
        arg_type = arg.type
        if arg_type.is_set():
            element_types.append(arg_type.element_type)
        elif arg_type.is_list():
            element_types.append(arg_type.element_type)
            list_count += 1
        elif arg_type.is_tuple():
            members = arg_type.element_types
            common = unify(list(members), unsafe=True) if members else DYNAMIC
            if common is None:
                raise ArgumentError(index, "a set or a list is required")
            element_types.append(common)
            list_count += 1
        else:
            raise ArgumentError(index, "a set or a list is required")
    product_type = TupleType(element_types)
    return ListType(product_type) if list_count == len(args) else SetType(product_type)


def _setproduct(args: list[Value], return_type: Type) -> Value:
    product_type = return_type.element_type
    if not all(arg.is_known for arg in args):
        return unknown_val(return_type)
    members = [arg.elements() for arg in args]
    rows = []
    for combination in itertools.product(*members):
        converted = [
            convert(value, member_type)
            for value, member_type in zip(combination, product_type.element_types, strict=True)
        ]
        rows.append(tuple_val(converted))
    if return_type.is_list():
        return _list_or_empty(rows, product_type)
    return set_val(rows) if rows else set_val_empty(product_type)


def _go_quote(text: str) -> str:
    from kiln.lang.functions._gotime import go_quote

    return go_quote(text)


def collection_functions() -> dict[str, Function]:
    dynamic = Parameter("list", DYNAMIC)
    set_param = Parameter("first_set", SetType(DYNAMIC), allow_dynamic_type=True)
    other_sets = Parameter("other_sets", SetType(DYNAMIC), allow_dynamic_type=True)
    return {
        "alltrue": make([Parameter("list", ListType(BOOL))], BOOL, _alltrue),
        "anytrue": make([Parameter("list", ListType(BOOL))], BOOL, _anytrue),
        "chunklist": make(
            [Parameter("list", ListType(DYNAMIC)), Parameter("size", NUMBER)],
            lambda args: ListType(args[0].type),
            _chunklist,
        ),
        "coalesce": make(
            [],
            _coalesce_type,
            _coalesce,
            var_param=Parameter(
                "vals", DYNAMIC, allow_null=True, allow_unknown=True, allow_dynamic_type=True
            ),
        ),
        "coalescelist": make(
            [],
            _coalescelist_type,
            _coalescelist,
            var_param=Parameter(
                "vals", DYNAMIC, allow_null=True, allow_unknown=True, allow_dynamic_type=True
            ),
        ),
        "compact": make([Parameter("list", ListType(STRING))], ListType(STRING), _compact),
        "concat": make([], _concat_type, _concat, var_param=Parameter("seqs", DYNAMIC)),
        "contains": make([dynamic, Parameter("value", DYNAMIC)], BOOL, _contains),
        "distinct": make([Parameter("list", ListType(DYNAMIC))], lambda args: args[0].type, _distinct),
        "element": make([dynamic, Parameter("index", NUMBER)], _element_type, _element),
        "flatten": make([dynamic], _flatten_type, _flatten),
        "index": make([dynamic, Parameter("value", DYNAMIC)], NUMBER, _index),
        "keys": make([Parameter("inputMap", DYNAMIC, allow_unknown=True)], _keys_type, _keys),
        "length": make(
            [Parameter("value", DYNAMIC, allow_unknown=True, allow_dynamic_type=True)], _length_type, _length
        ),
        "lookup": make(
            [Parameter("inputMap", DYNAMIC), Parameter("key", STRING)],
            _lookup_type,
            _lookup,
            var_param=Parameter(
                "default", DYNAMIC, allow_null=True, allow_unknown=True, allow_dynamic_type=True
            ),
        ),
        "merge": make(
            [],
            _merge_type,
            _merge,
            var_param=Parameter("maps", DYNAMIC, allow_null=True, allow_dynamic_type=True),
        ),
        "range": make([], ListType(NUMBER), _range, var_param=Parameter("params", NUMBER)),
        "reverse": make([dynamic], _reverse_type, _reverse),
        "setintersection": make(
            [set_param], _set_operation_type, _set_operation(_intersection, False), var_param=other_sets
        ),
        "setproduct": make([], _setproduct_type, _setproduct, var_param=Parameter("sets", DYNAMIC)),
        "setunion": make(
            [set_param], _set_operation_type, _set_operation(_union, True), var_param=other_sets
        ),
        "slice": make(
            [dynamic, Parameter("start_index", NUMBER), Parameter("end_index", NUMBER)], _slice_type, _slice
        ),
        "sort": make([Parameter("list", ListType(STRING))], ListType(STRING), _sort),
        "values": make([Parameter("mapping", DYNAMIC)], _values_type, _values),
        "zipmap": make(
            [Parameter("keys", ListType(STRING)), Parameter("values", DYNAMIC)], _zipmap_type, _zipmap
        ),
    }
