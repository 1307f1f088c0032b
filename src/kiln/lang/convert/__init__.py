"""Type conversion and unification, as cty's convert package.

`convert` turns a value into a value of another type when cty would, raising
`ConversionError` with cty's message and the path to the failing element. `get_conversion`
returns a reusable conversion function, or None when none exists. `unify` finds the type
that several types can all convert to, as conditionals and collection constructors need.

Conversions are *safe* when no information can be lost (number to string, tuple to list) and
*unsafe* otherwise (string to number, list to set, map to object). `convert` allows both,
like cty's Convert.

    >>> convert(string_val("12"), NUMBER).as_int()
    12
"""

from kiln.lang.convert._conversion import convert, get_conversion, without_optional_attributes
from kiln.lang.convert._defaults import Defaults
from kiln.lang.convert._errors import (
    Conversion,
    ConversionError,
    GetAttrStep,
    IndexStep,
    Path,
    PathStep,
    format_path,
)
from kiln.lang.convert._mismatch import mismatch_message
from kiln.lang.convert._unification import unify

__all__ = [
    "Conversion",
    "ConversionError",
    "Defaults",
    "GetAttrStep",
    "IndexStep",
    "Path",
    "PathStep",
    "convert",
    "format_path",
    "get_conversion",
    "mismatch_message",
    "unify",
    "without_optional_attributes",
]
