"""String functions, as cty's stdlib and Packer define them.

"Characters" are extended grapheme clusters wherever cty counts them (`substr`, `strrev`,
`format` widths). Regular expressions use Go's RE2 syntax, translated to Python's `re` for
the common subset; see `compile_go_regex`.
"""

from __future__ import annotations

import re
from typing import Any

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make, whole_number
from kiln.lang.functions._format import FormatError, format_values
from kiln.lang.functions._goregex import compile_go_regex, find_all
from kiln.lang.functions._text import graphemes
from kiln.lang.types import BOOL, DYNAMIC, NUMBER, STRING, ListType, ObjectType, Type
from kiln.lang.values import (
    FALSE,
    TRUE,
    Value,
    list_val,
    list_val_empty,
    null_val,
    object_val,
    string_val,
    unknown_val,
)

_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _string(name: str) -> Parameter:
    return Parameter(name, STRING)


def _text_function(transform) -> Function:  # type: ignore[no-untyped-def]
    return make([_string("str")], STRING, lambda args, _: string_val(transform(args[0].as_str())))


def _go_upper(text: str) -> str:
    # Go maps each rune to one rune; Python's str.upper may expand ("ß" to "SS").
    return "".join(char.upper() if len(char.upper()) == 1 else char for char in text)


def _go_lower(text: str) -> str:
    return "".join(_go_lower_rune(char) for char in text)


def _go_lower_rune(char: str) -> str:
    # U+0130 lowercases to "i" plus a combining dot in full case mapping; Go gives plain "i".
    if char == "\u0130":
        return "i"
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def _is_separator(char: str) -> bool:
    """Word boundaries of Go's deprecated strings.Title."""
    if char.isascii():
        return not (char.isalnum() or char == "_")
    if char.isalpha() or char.isdigit():
        return False
    return char.isspace()


def go_title(text: str) -> str:
    out = []
    previous = " "
    for char in text:
        # Go maps to the single title-case rune (ǆ to ǅ) and leaves runes without one alone.
        titled = char.title()
        out.append(titled if _is_separator(previous) and len(titled) == 1 else char)
        previous = char
    return "".join(out)


def _substr(args: list[Value], _: Type) -> Value:
    text = args[0].as_str()
    try:
        offset = whole_number(args[1])
        length = whole_number(args[2])
    except ValueError as error:
        raise FunctionError(str(error)) from None
    clusters = graphemes(text)
    if offset < 0:
        offset = max(offset + len(clusters), 0)
    elif length == 0:
        return string_val("")
    start = min(offset, len(clusters))
    if length < 0:
        return string_val("".join(clusters[start:]))
    # cty scans forward until it has consumed offset+length clusters counted from the start,
    # so a target at or before the start takes the rest of the string.
    end = offset + length
    if end <= start:
        return string_val("".join(clusters[start:]))
    return string_val("".join(clusters[start:end]))


def _indent(args: list[Value], _: Type) -> Value:
    try:
        spaces = whole_number(args[0])
    except ValueError as error:
        raise ArgumentError(0, str(error)) from None
    return string_val(args[1].as_str().replace("\n", "\n" + " " * max(spaces, 0)))


def _join(args: list[Value], _: Type) -> Value:
    separator = args[0].as_str()
    lists = args[1:]
    if not lists:
        raise FunctionError("at least one list is required")
    if not all(item.is_wholly_known for item in lists):
        return unknown_val(STRING)
    parts = []
    for list_index, items in enumerate(lists):
        for element_index, element in enumerate(items.elements()):
            if element.is_null:
                where = f"element {element_index}"
                if len(lists) > 1:
                    where += f" of list {list_index + 1}"
                raise ArgumentError(list_index + 1, f"{where} is null; cannot concatenate null values")
            parts.append(element.as_str())
    return string_val(separator.join(parts))


def _split(args: list[Value], _: Type) -> Value:
    separator, text = args[0].as_str(), args[1].as_str()
    parts = list(text) if separator == "" else text.split(separator)
    if not parts:
        return list_val_empty(STRING)
    return list_val([string_val(part) for part in parts])


def _format(args: list[Value], _: Type) -> Value:
    if not all(arg.is_wholly_known for arg in args[1:]):
        # The literal text before the first verb is already known, as cty's refinement says.
        template = args[0].as_str()
        prefix = template[: template.find("%")] if "%" in template else ""
        if prefix:
            return unknown_val(STRING).refine().string_prefix(prefix).new_value()
        return unknown_val(STRING)
    try:
        return string_val(format_values(args[0].as_str(), args[1:]))
    except FormatError as error:
        raise FunctionError(str(error)) from None


def _formatlist(args: list[Value], return_type: Type) -> Value:
    template, values = args[0].as_str(), args[1:]
    if not values:
        return list_val([_format(args, STRING)])
    length, chooser = -1, -1
    unknown = False
    for index, value in enumerate(values):
        value_type = value.type
        if not (value_type.is_list() or value_type.is_set() or value_type.is_tuple()) or value.is_null:
            continue
        if not value_type.is_tuple() and not value.is_known:
            unknown = True
            continue
        this_length = value.length_int()
        if length == -1:
            length, chooser = this_length, index
        elif this_length != length:
            raise ArgumentError(
                index + 1,
                f"argument {index + 1} has length {this_length}, which is inconsistent with "
                f"argument {chooser + 1} of length {length}",
            )
        unknown = unknown or not value.is_known
    if unknown:
        return unknown_val(return_type)
    if length == 0:
        return list_val_empty(STRING)
    return list_val(_formatlist_rows(template, values, max(length, 1)))


def _formatlist_rows(template: str, values: list[Value], length: int) -> list[Value]:
    rows = []
    for row in range(length):
        row_args = []
        for value in values:
            iterable = (
                value.type.is_list() or value.type.is_set() or value.type.is_tuple()
            ) and not value.is_null
            row_args.append(value.elements()[row] if iterable else value)
        if not all(arg.is_wholly_known for arg in row_args):
            rows.append(unknown_val(STRING))
            continue
        try:
            rows.append(string_val(format_values(template, row_args)))
        except FormatError as error:
            raise FunctionError(f"error on format iteration {row}: {error}") from None
    return rows


# Regular expressions.


def _compile(pattern: str) -> Any:
    import regex

    try:
        return compile_go_regex(pattern)
    except regex.error as error:
        raise ArgumentError(0, f"error parsing regexp: {error}") from None


def _regex_result_type(pattern: Any) -> Type:
    if pattern.groups == 0:
        return STRING
    names = set(pattern.groupindex.values())
    if not names:
        return ListType(STRING)
    if len(names) != pattern.groups:
        raise ArgumentError(
            0, "invalid regular expression pattern: cannot mix both named and unnamed capture groups"
        )
    return ObjectType({name: STRING for name in pattern.groupindex})


def _regex_type(args: list[Value]) -> Type:
    if not args[0].is_known:
        return DYNAMIC
    return _regex_result_type(_compile(args[0].as_str()))


def _regex_all_type(args: list[Value]) -> Type:
    if not args[0].is_known:
        return ListType(DYNAMIC)
    return ListType(_regex_result_type(_compile(args[0].as_str())))


def _match_value(pattern: Any, match: Any, result_type: Type) -> Value:
    if result_type == STRING:
        return string_val(match.group(0))
    groups = [string_val(g) if g is not None else null_val(STRING) for g in match.groups()]
    if isinstance(result_type, ObjectType):
        return object_val({name: groups[index - 1] for name, index in pattern.groupindex.items()})
    return list_val(groups)


def _regex(args: list[Value], return_type: Type) -> Value:
    pattern = _compile(args[0].as_str())
    match = pattern.search(args[1].as_str())
    if match is None:
        raise FunctionError("pattern did not match any part of the given string")
    return _match_value(pattern, match, return_type)


def _regex_all(args: list[Value], return_type: Type) -> Value:
    pattern = _compile(args[0].as_str())
    element_type = return_type.element_type
    matches = [_match_value(pattern, m, element_type) for m in find_all(pattern, args[1].as_str())]
    return list_val(matches) if matches else list_val_empty(element_type)


def expand_go_template(template: str, match: Any) -> str:
    """Expand ``$1``, ``${1}``, ``$name`` and ``$$`` in a replacement, as Go's Regexp.Expand."""
    out = []
    index = 0
    while index < len(template):
        char = template[index]
        if char != "$" or index + 1 >= len(template):
            out.append(char)
            index += 1
            continue
        if template[index + 1] == "$":
            out.append("$")
            index += 2
            continue
        name, end = _template_name(template, index + 1)
        if name is None:
            out.append("$")
            index += 1
            continue
        out.append(_group_text(match, name))
        index = end
    return "".join(out)


def _template_name(template: str, start: int) -> tuple[str | None, int]:
    if template[start] == "{":
        close = template.find("}", start)
        name = template[start + 1 : close] if close > 0 else ""
        if close < 0 or not re.fullmatch(r"\w+", name, re.ASCII):
            return None, start
        return name, close + 1
    found = re.match(r"\w+", template[start:], re.ASCII)
    if not found:
        return None, start
    return found.group(), start + found.end()


def _group_text(match: Any, name: str) -> str:
    try:
        group = match.group(int(name)) if name.isdigit() else match.group(name)
    except (IndexError, KeyError):
        # Go expands a group that does not exist to the empty string.
        return ""
    return group or ""


def _regex_replace(args: list[Value], _: Type) -> Value:
    text, pattern_text, replacement = args[0].as_str(), args[1].as_str(), args[2].as_str()
    import regex

    try:
        pattern = compile_go_regex(pattern_text)
    except regex.error as error:
        raise FunctionError(f"error parsing regexp: {error}") from None
    pieces = []
    position = 0
    for match in find_all(pattern, text):
        pieces.append(text[position : match.start()])
        pieces.append(expand_go_template(replacement, match))
        position = match.end()
    pieces.append(text[position:])
    return string_val("".join(pieces))


def string_functions() -> dict[str, Function]:
    def predicate(check):  # type: ignore[no-untyped-def]
        return make(
            [_string("str"), _string("affix")],
            BOOL,
            lambda a, _: TRUE if check(a[0].as_str(), a[1].as_str()) else FALSE,
        )

    return {
        "chomp": _text_function(lambda s: s.rstrip("\r\n")),
        "endswith": predicate(str.endswith),
        "format": make(
            [_string("format")],
            STRING,
            _format,
            var_param=Parameter("args", DYNAMIC, allow_null=True, allow_unknown=True),
        ),
        "formatlist": make(
            [_string("format")],
            ListType(STRING),
            _formatlist,
            var_param=Parameter("args", DYNAMIC, allow_null=True, allow_unknown=True),
        ),
        "indent": make([Parameter("spaces", NUMBER), _string("str")], STRING, _indent),
        "join": make(
            [_string("separator")],
            STRING,
            _join,
            var_param=Parameter("lists", ListType(STRING), allow_unknown=True),
        ),
        "lower": _text_function(_go_lower),
        "regex": make([_string("pattern"), _string("string")], _regex_type, _regex),
        "regexall": make([_string("pattern"), _string("string")], _regex_all_type, _regex_all),
        "regex_replace": make(
            [_string("str"), _string("pattern"), _string("replace")], STRING, _regex_replace
        ),
        "replace": make(
            [_string("str"), _string("substr"), _string("replace")],
            STRING,
            lambda a, _: string_val(a[0].as_str().replace(a[1].as_str(), a[2].as_str())),
        ),
        "split": make([_string("separator"), _string("str")], ListType(STRING), _split),
        "startswith": predicate(str.startswith),
        "strcontains": predicate(lambda s, sub: sub in s),
        "strrev": _text_function(lambda s: "".join(reversed(graphemes(s)))),
        "substr": make(
            [_string("str"), Parameter("offset", NUMBER), Parameter("length", NUMBER)], STRING, _substr
        ),
        "title": _text_function(go_title),
        "trim": make(
            [_string("str"), _string("cutset")],
            STRING,
            lambda a, _: string_val(a[0].as_str().strip(a[1].as_str())),
        ),
        "trimprefix": make(
            [_string("str"), _string("prefix")],
            STRING,
            lambda a, _: string_val(a[0].as_str().removeprefix(a[1].as_str())),
        ),
        "trimsuffix": make(
            [_string("str"), _string("suffix")],
            STRING,
            lambda a, _: string_val(a[0].as_str().removesuffix(a[1].as_str())),
        ),
        "trimspace": _text_function(lambda s: s.strip(_GO_SPACE)),
        "upper": _text_function(_go_upper),
    }
