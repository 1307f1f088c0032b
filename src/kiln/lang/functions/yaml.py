"""`yamldecode` and `yamlencode`, as the zclconf/go-cty-yaml package that Packer uses.

Decoding resolves plain scalars by go-cty-yaml's rules, which are YAML 1.1's: ``yes``,
``on`` and ``y`` are true, ``~`` is null, timestamps become RFC 3339 strings. Sequences
decode to tuples and mappings to objects. Encoding writes strings double-quoted (multi-line
ones in literal block style), keys in sorted order and sequences unindented under their key,
as go-yaml's emitter does. PyYAML does the parsing and emitting.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make
from kiln.lang.functions._gotime import format_rfc3339, go_quote
from kiln.lang.types import DYNAMIC, STRING, Type
from kiln.lang.values import (
    FALSE,
    NEGATIVE_INFINITY,
    POSITIVE_INFINITY,
    TRUE,
    Value,
    format_number,
    null_val,
    number_val,
    object_val,
    parse_number,
    string_val,
    tuple_val,
    unknown_val,
)

_STR_TAG = "tag:yaml.org,2002:str"
_CONSTANTS: dict[str, Value] = {
    **dict.fromkeys(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], TRUE),
    **dict.fromkeys(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], FALSE),
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], null_val(DYNAMIC)),
    **dict.fromkeys([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"], POSITIVE_INFINITY),
    **dict.fromkeys(["-.inf", "-.Inf", "-.INF"], NEGATIVE_INFINITY),
}
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt ](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?\Z"
)


class _YAMLError(Exception):
    pass


def _resolve_plain(text: str) -> Value:
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    if text in (".nan", ".NaN", ".NAN"):
        raise _YAMLError("floating point NaN is not supported")
    first = text[:1]
    if first == "." or first.isdigit() or first in "+-":
        timestamp = _resolve_timestamp(text)
        if timestamp is not None:
            return timestamp
        plain = text.replace("_", "") if first != "." else text
        try:
            return number_val(parse_number(plain))
        except ValueError:
            pass
        # Hexadecimal and octal forms stay strings unless tagged !!int; binary ones resolve.
        if plain.startswith(("0b", "-0b")):
            number = _resolve_number(plain)
            if number is not None:
                return number
    return string_val(text)


def _resolve_number(text: str) -> Value | None:
    try:
        return number_val(parse_number(text))
    except ValueError:
        pass
    for base, prefix in ((16, "0x"), (8, "0o"), (2, "0b")):
        body = text.removeprefix("-")
        if body.lower().startswith(prefix):
            try:
                return number_val(int(text.replace(prefix, "", 1), base))
            except ValueError:
                return None
    if re.fullmatch(r"-?0[0-7]+", text):
        return number_val(int(text, 8))
    return None


def _resolve_timestamp(text: str) -> Value | None:
    from datetime import UTC, datetime, timedelta, timezone

    match = _TIMESTAMP.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, _fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    offset = UTC
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        offset = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    return string_val(format_rfc3339(moment.replace(tzinfo=offset)))


def _node_value(node: Any) -> Value:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return _scalar_value(node)
    if isinstance(node, yaml.SequenceNode):
        return tuple_val([_node_value(item) for item in node.value])
    attributes: dict[str, Value] = {}
    for key_node, value_node in node.value:
        key = _node_value(key_node)
        if key.is_null:
            raise _YAMLError("mapping key must not be null")
        attributes[_key_text(key)] = _node_value(value_node)
    return object_val(attributes)


def _key_text(key: Value) -> str:
    if key.type == STRING:
        return key.as_str()
    if key.type.is_primitive() and key.type != STRING:
        return (
            format_number(key.as_number())
            if key.type.name == "number"
            else ("true" if key.as_bool() else "false")
        )
    raise _YAMLError("only primitive values are allowed as mapping keys")


def _scalar_value(node: Any) -> Value:
    text = node.value
    tag = node.tag
    explicit = getattr(node, "explicit_tag", False)
    if node.style is not None:
        # go-cty-yaml reads every quoted or block scalar as a string, whatever its tag.
        return string_val(text)
    if not explicit:
        return _resolve_plain(text)
    short = tag.replace("tag:yaml.org,2002:", "!!")
    if short in ("!!str", "!!binary"):
        return string_val(text)
    if short == "!!bool":
        value = _CONSTANTS.get(text)
        if value is None or value.type.is_dynamic():
            raise _YAMLError(f"cannot parse {go_quote(text)} as {tag}")
        return value
    if short in ("!!int", "!!float"):
        number = _resolve_number(text.replace("_", ""))
        if number is None:
            raise _YAMLError(f"cannot parse {go_quote(text)} as {tag}")
        return number
    if short == "!!null":
        return null_val(DYNAMIC)
    if short == "!!timestamp":
        timestamp = _resolve_timestamp(text)
        if timestamp is None:
            raise _YAMLError(f"cannot parse {go_quote(text)} as {tag}")
        return timestamp
    raise _YAMLError(f"unsupported tag {go_quote(short)}")


@cache
def _loader_class() -> type:
    """Return a PyYAML loader that resolves no tags and records which scalars had one written."""
    import yaml

    class Loader(yaml.BaseLoader):
        def compose_scalar_node(self, anchor: Any) -> Any:
            event = self.peek_event()
            node = super().compose_scalar_node(anchor)
            node.explicit_tag = event.tag not in (None, "!")
            return node

    return Loader


def decode_yaml(text: str) -> Value:
    """Decode one YAML document; an empty document is null. Raises `FunctionError`."""
    import yaml

    try:
        documents = list(yaml.compose_all(text, Loader=_loader_class()))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"on line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FunctionError(f"{where}{error.problem}") from None
    except yaml.YAMLError as error:
        raise FunctionError(str(error)) from None
    if len(documents) > 1:
        # go-yaml reports the line after the end of the first document.
        line = documents[0].end_mark.line if documents[0] is not None else 1
        raise FunctionError(f"on line {line}, column 1: unexpected extra content after value")
    if not documents or documents[0] is None:
        return null_val(DYNAMIC)
    try:
        return _node_value(documents[0])
    except _YAMLError as error:
        raise FunctionError(str(error)) from None


def _yamldecode_type(args: list[Value]) -> Type:
    if not args[0].is_known:
        return DYNAMIC
    return decode_yaml(args[0].as_str()).type


def _yamldecode(args: list[Value], _: Type) -> Value:
    return decode_yaml(args[0].as_str())


class _Quoted(str):
    pass


class _Literal(str):
    pass


class _Plain(str):
    pass


def _python_tree(value: Value) -> Any:
    if value.is_null:
        return None
    value_type = value.type
    if value_type == STRING:
        text = value.as_str()
        return _Literal(text) if "\n" in text else _Quoted(text)
    if value_type.is_primitive() and value_type != STRING and value_type.name == "number":
        return _Plain(_number_text(value.as_number()))
    if value_type.is_primitive():
        return value.as_bool()
    if value_type.is_map() or value_type.is_object():
        return {_Quoted(key): _python_tree(element) for key, element in value.items()}
    return [_python_tree(element) for element in value.elements()]


def _number_text(number: Decimal) -> str:
    if number.is_infinite():
        return ".inf" if number > 0 else "-.inf"
    return format_number(number)


def encode_yaml(value: Value) -> str:
    """Encode a wholly known value as go-cty-yaml's encoder writes it."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def write_double_quoted(self, text: str, split: bool = True) -> None:
            _write_double_quoted_like_go(self, text, split)

    Dumper.add_representer(_Quoted, lambda d, s: d.represent_scalar(_STR_TAG, str(s), style='"'))
    Dumper.add_representer(_Literal, lambda d, s: d.represent_scalar(_STR_TAG, str(s), style="|"))
    # A number keeps whichever implicit tag its text resolves to, so it is written plain.
    Dumper.add_representer(
        _Plain, lambda d, s: d.represent_scalar(d.resolve(yaml.ScalarNode, str(s), (True, False)), str(s))
    )
    Dumper.add_representer(type(None), lambda d, _: d.represent_scalar("tag:yaml.org,2002:null", "null"))
    text = yaml.dump(
        _python_tree(value),
        Dumper=Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=80,
        indent=2,
    )
    # PyYAML ends a lone block scalar that keeps its trailing newlines with a document end
    # marker, and go-yaml does not write one there (it does after a lone plain scalar).
    if text.startswith("|"):
        return text.removesuffix("...\n")
    return text


def _write_double_quoted_like_go(emitter: Any, text: str, split: bool) -> None:
    """Write a double-quoted scalar, folding long lines at spaces as go-yaml's emitter does.

    go-yaml replaces the space where a line passes 80 columns by a line break and the
    indentation; PyYAML would end the line with a backslash instead.
    """
    emitter.write_indicator('"', True)
    spaces = False
    for index, char in enumerate(text):
        if char == " ":
            if split and not spaces and emitter.column > emitter.best_width and 0 < index < len(text) - 1:
                emitter.write_indent()
                emitter.whitespace = False
                emitter.indention = False
                if text[index + 1] == " ":
                    _write_raw(emitter, "\\")
            else:
                _write_raw(emitter, " ")
            spaces = True
            continue
        _write_raw(emitter, _double_quoted_char(emitter, char))
        spaces = False
    emitter.write_indicator('"', False)


def _double_quoted_char(emitter: Any, char: str) -> str:
    printable = "\x20" <= char <= "\x7e" or ("\xa0" <= char <= "\ud7ff" or "\ue000" <= char <= "\ufffd")
    if printable and char not in '"\\\ufeff\u2028\u2029':
        return char
    if char in emitter.ESCAPE_REPLACEMENTS:
        return "\\" + emitter.ESCAPE_REPLACEMENTS[char]
    if char <= "\xff":
        return f"\\x{ord(char):02X}"
    if char <= "\uffff":
        return f"\\u{ord(char):04X}"
    return f"\\U{ord(char):08X}"


def _write_raw(emitter: Any, data: str) -> None:
    emitter.column += len(data)
    emitter.stream.write(data)


def _yamlencode(args: list[Value], _: Type) -> Value:
    value = args[0]
    if not value.is_wholly_known:
        return unknown_val(STRING)
    if value.contains_marked():
        raise ArgumentError(0, "value has marks, so it cannot be serialized as YAML")
    return string_val(encode_yaml(value))


def yaml_functions() -> dict[str, Function]:
    return {
        "yamldecode": make([Parameter("src", STRING)], _yamldecode_type, _yamldecode),
        "yamlencode": make(
            [Parameter("value", DYNAMIC, allow_null=True, allow_dynamic_type=True, allow_unknown=True)],
            STRING,
            _yamlencode,
        ),
    }
