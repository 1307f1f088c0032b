"""HCL values: typed, possibly null, unknown or marked, with cty's semantics.

A `Value` has a `kiln.lang.types.Type` and is immutable. Unknown values may carry
refinements (never null, bounds, a string prefix). Marks such as `SENSITIVE` pass from
operands to results. Numbers compute as cty's binary floats do and read as `Decimal`s; their
precision follows their source as in cty: text and Decimals parse at 512 bits like HCL
literals, Python ints get 64 bits like the integers functions return, and floats keep their
float64 value.

>>> from kiln.lang.values import add, number_val
>>> add(number_val("0.1"), number_val("0.2")).raw_equals(number_val("0.3"))
True
"""

from kiln.lang.marks import SENSITIVE, mark, unmark, unmark_deep, with_marks
from kiln.lang.values._json import JSONError, from_json, implied_type_of_json, to_json
from kiln.lang.values._number import PRECISION, format_number, parse_number
from kiln.lang.values._ops import (
    absolute,
    add,
    divide,
    equals,
    greater_than,
    greater_than_or_equal_to,
    less_than,
    less_than_or_equal_to,
    logical_and,
    logical_not,
    logical_or,
    modulo,
    multiply,
    negate,
    subtract,
)
from kiln.lang.values._refinement import (
    MAX_INT,
    Refinement,
    RefinementBuilder,
    RefinementError,
    ValueRange,
)
from kiln.lang.values._value import (
    DYNAMIC_VAL,
    EMPTY_OBJECT,
    EMPTY_TUPLE,
    FALSE,
    NEGATIVE_INFINITY,
    POSITIVE_INFINITY,
    TRUE,
    ZERO,
    OperationError,
    Value,
    bool_val,
    from_python,
    list_val,
    list_val_empty,
    map_val,
    map_val_empty,
    null_val,
    number_val,
    object_val,
    set_val,
    set_val_empty,
    string_val,
    tuple_val,
    unknown_val,
)

__all__ = [
    "DYNAMIC_VAL",
    "EMPTY_OBJECT",
    "EMPTY_TUPLE",
    "FALSE",
    "MAX_INT",
    "NEGATIVE_INFINITY",
    "POSITIVE_INFINITY",
    "PRECISION",
    "SENSITIVE",
    "TRUE",
    "ZERO",
    "JSONError",
    "OperationError",
    "Refinement",
    "RefinementBuilder",
    "RefinementError",
    "Value",
    "ValueRange",
    "absolute",
    "add",
    "bool_val",
    "divide",
    "equals",
    "format_number",
    "from_json",
    "from_python",
    "greater_than",
    "greater_than_or_equal_to",
    "implied_type_of_json",
    "less_than",
    "less_than_or_equal_to",
    "list_val",
    "list_val_empty",
    "logical_and",
    "logical_not",
    "logical_or",
    "map_val",
    "map_val_empty",
    "mark",
    "modulo",
    "multiply",
    "negate",
    "null_val",
    "number_val",
    "object_val",
    "parse_number",
    "set_val",
    "set_val_empty",
    "string_val",
    "subtract",
    "to_json",
    "tuple_val",
    "unknown_val",
    "unmark",
    "unmark_deep",
    "with_marks",
]


def __getattr__(name: str) -> object:
    # `convert` and `ConversionError` live in kiln.lang.convert, which imports this package;
    # they are offered here too, loaded on first use to avoid the import cycle.
    if name in ("convert", "ConversionError"):
        from kiln.lang import convert as convert_module

        return getattr(convert_module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
