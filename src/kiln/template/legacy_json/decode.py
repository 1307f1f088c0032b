"""Decode plain JSON data into a component's config dataclass with Packer's weak typing.

Legacy JSON templates give every option as JSON, and Packer decodes it leniently
(mapstructure with weakly typed input): `"10"` is a number, `1` is `"1"`, `"a,b"` or a single
value is a list, `"5m"` is a duration. An option the component does not have is an error.

    config, problems = decode_plain({"inline": "echo hi"}, ShellLocalConfig)
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiln.sdk.config import ConfigProblem, Duration, config_fields, option_info

# Keys Packer injects into every component's configuration (`packer_build_name`, ...).
_INJECTED_PREFIX = "packer_"


class _DecodeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _type_name(target: Any) -> str:
    origin = typing.get_origin(target)
    if origin in (list, tuple):
        return "slice"
    if origin in (dict, Mapping):
        return "map"
    if dataclasses.is_dataclass(target):
        return "struct"
    names = {str: "string", int: "int", float: "float64", bool: "bool", Duration: "time.Duration", Path: "string"}
    return names.get(target, getattr(target, "__name__", str(target)))


def _go_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "<nil>"


def _decode_scalar(value: Any, target: Any, path: str) -> Any:
    if target is Any:
        return value
    if target is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return value != 0
        if isinstance(value, str):
            lowered = value.lower()
            if lowered in ("1", "t", "true"):
                return True
            if lowered in ("", "0", "f", "false"):
                return False
    elif target is Duration:
        if isinstance(value, str):
            try:
                return Duration.parse(value)
            except ValueError as exc:
                raise _DecodeError(f"error decoding '{path}': {exc}") from exc
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Duration(value / 1e9)  # Go decodes a bare number as nanoseconds
    elif target in (int, float):
        if isinstance(value, bool):
            return target(int(value))
        if isinstance(value, (int, float)):
            return target(value) if target is float or float(value).is_integer() else value
        if isinstance(value, str):
            try:
                return target(value) if target is float else int(value, 0)
            except ValueError as exc:
                raise _DecodeError(
                    f"cannot parse '{path}' as {_type_name(target)}: strconv.Parse{'Float' if target is float else 'Int'}: "
                    f'parsing "{value}": invalid syntax'
                ) from exc
    elif target in (str, Path):
        if isinstance(value, str):
            return target(value)
        if isinstance(value, bool):
            return target("1" if value else "0")
        if isinstance(value, (int, float)):
            return target(str(int(value)) if float(value).is_integer() else repr(value))
    raise _DecodeError(f"'{path}' expected type '{_type_name(target)}', got unconvertible type '{_go_kind(value)}', value: '{value}'")


def _decode_value(value: Any, target: Any, path: str, problems: list[str]) -> Any:
    origin = typing.get_origin(target)
    arguments = typing.get_args(target)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [argument for argument in arguments if argument is not type(None)]
        return _decode_value(value, options[0], path, problems)
    if value is None:
        return None
    if origin in (list, tuple):
        element = arguments[0] if arguments else Any
        if isinstance(value, str) and element in (str, Path) and "," in value:
            items: list[Any] = value.split(",")  # Packer's string-to-slice hook splits on commas
        elif isinstance(value, list):
            items = value
        else:
            items = [value]
        return [_decode_value(item, element, f"{path}[{index}]", problems) for index, item in enumerate(items)]
    if origin in (dict, Mapping):
        if not isinstance(value, dict):
            raise _DecodeError(f"'{path}' expected a map, got '{_go_kind(value)}'")
        element = arguments[1] if len(arguments) > 1 else Any
        return {str(key): _decode_value(item, element, f"{path}[{key}]", problems) for key, item in value.items()}
    if dataclasses.is_dataclass(target) and isinstance(target, type):
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
            value = value[0]
        if not isinstance(value, dict):
            raise _DecodeError(f"'{path}' expected a map, got '{_go_kind(value)}'")
        return _decode_object(value, target, path, problems)
    return _decode_scalar(value, target, path)


def _decode_object(data: Mapping[str, Any], config_class: type, prefix: str, problems: list[str]) -> Any:
    fields = {field.name: field for field in config_fields(config_class)}
    unknown = sorted(key for key in data if key not in fields and not key.startswith(_INJECTED_PREFIX) and key != "type")
    if unknown:
        problems.append(f"'{prefix}' has invalid keys: {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in data:
            continue
        path = f"{prefix}.{name}" if prefix else name
        try:
            values[field.attribute] = _decode_value(data[name], field.type, path, problems)
        except _DecodeError as exc:
            problems.append(exc.message)
    return _construct(config_class, values)


def _construct(config_class: type, values: dict[str, Any]) -> Any:
    """Build the dataclass, filling squashed (embedded) dataclasses from the flat values."""
    hints = typing.get_type_hints(config_class)
    arguments: dict[str, Any] = {}
    for field in dataclasses.fields(config_class):
        if not field.init:
            continue
        if option_info(field).squash:
            inner_class = hints[field.name]
            inner_names = {f.attribute for f in config_fields(inner_class)}
            arguments[field.name] = _construct(inner_class, {k: v for k, v in values.items() if k in inner_names})
        elif field.name in values:
            arguments[field.name] = values[field.name]
    return config_class(**arguments)


def decode_plain(data: Mapping[str, Any], config_class: type) -> tuple[Any, list[ConfigProblem]]:
    """Decode `data` into `config_class`; return the instance (None on errors) and the problems."""
    messages: list[str] = []
    try:
        config = _decode_object(data, config_class, "", messages)
    except TypeError as exc:  # a required option is missing
        messages.append(str(exc))
        config = None
    problems = [ConfigProblem((), message) for message in messages]
    return (None if problems else config), problems
