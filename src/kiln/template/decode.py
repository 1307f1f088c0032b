"""Decoding a component's block into its config dataclass, with diagnostics at source ranges.

The dataclass declares the schema (see kiln.sdk.config): plain fields are arguments, fields
typed as a dataclass (or a list of one) are nested blocks, and squashed fields lend their
options to the parent. Decoding runs in two steps so provisioner `override` values can be
merged in between: `decode_body` evaluates the block into plain Python data, and
`build_config` checks that data against the field types and builds the instance.

Values convert as Packer's decoder converts them: `"42"` fits a number, `"true"` a bool, a
number a string, and a duration is a Go duration string such as `"1m30s"`.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field
from pathlib import Path
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, Range, did_you_mean, error
from kiln.hcl.schema import AttributeSchema, BlockHeaderSchema, Body, BodySchema
from kiln.sdk.config import Duration, option_info


@dataclass(slots=True)
class DecodedBody:
    """A block's arguments as plain data, with the range of each argument's value."""

    values: dict[str, Any] = field(default_factory=dict)
    ranges: dict[str, Range] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Option:
    name: str  # the option's name in templates
    attribute: str  # the dataclass field name
    type: Any
    required: bool
    nested: type | None  # the dataclass of a nested block
    repeated: bool  # a list of nested blocks


@functools.cache
def _type_hints(config_class: type) -> dict[str, Any]:
    return typing.get_type_hints(config_class)


@functools.cache
def _options(config_class: type) -> tuple[_Option, ...]:
    # Cached: resolving annotations dominates decoding when a template has many blocks.
    hints = _type_hints(config_class)
    result = []
    for config_field in dataclasses.fields(config_class):
        info = option_info(config_field)
        field_type = _strip_optional(hints[config_field.name])
        if info.squash:
            result.extend(_options(field_type))
            continue
        nested, repeated = _nested_class(field_type)
        result.append(
            _Option(
                info.name or config_field.name, config_field.name, field_type, info.required, nested, repeated
            )
        )
    return tuple(result)


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        arguments = [argument for argument in typing.get_args(annotation) if argument is not type(None)]
        if len(arguments) == 1:
            return arguments[0]
    return annotation


def _nested_class(annotation: Any) -> tuple[type | None, bool]:
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return annotation, False
    if typing.get_origin(annotation) is list:
        (element,) = typing.get_args(annotation) or (Any,)
        if dataclasses.is_dataclass(element) and isinstance(element, type):
            return element, True
    return None, False


def nested_block_class(config_class: type, block_type: str) -> type | None:
    """Return the dataclass of the nested block `block_type` of a config dataclass."""
    for option in _options(config_class):
        if option.name == block_type:
            return option.nested
    return None


def body_schema(config_class: type) -> BodySchema:
    """Return the HCL schema of a config dataclass."""
    attributes = []
    blocks = []
    for option in _options(config_class):
        if option.nested is not None:
            blocks.append(BlockHeaderSchema(option.name))
        else:
            attributes.append(AttributeSchema(option.name, required=option.required))
    return BodySchema(attributes=attributes, blocks=blocks)


def decode_body(body: Body, config_class: type, ctx: Any) -> tuple[DecodedBody, Diagnostics]:
    """Evaluate a component block into plain data, reporting unknown arguments and blocks."""
    from kiln.lang.dynblock import expand
    from kiln.template.values import evaluate, to_plain

    content, problems = expand(body, ctx).content(body_schema(config_class))
    diagnostics = Diagnostics(problems)
    decoded = DecodedBody()
    options = {option.name: option for option in _options(config_class)}
    for name, attribute in content.attributes.items():
        value, problems = evaluate(attribute.expr, ctx)
        diagnostics.extend(problems)
        if problems.has_errors():
            continue
        decoded.values[name] = _plain_for(value, options[name].type, to_plain)
        decoded.ranges[name] = attribute.expr.range
    for block in content.blocks:
        option = options[block.type]
        assert option.nested is not None
        nested, problems = decode_body(block.body, option.nested, ctx)
        diagnostics.extend(problems)
        decoded.ranges.setdefault(block.type, block.def_range)
        if option.repeated:
            decoded.values.setdefault(block.type, []).append(nested)
        elif block.type in decoded.values:
            diagnostics.append(
                error(
                    "Duplicate " + block.type + " block",
                    f'Only one "{block.type}" block is allowed here.',
                    block.def_range,
                )
            )
        else:
            decoded.values[block.type] = nested
    return decoded, diagnostics


def map_strings(decoded: DecodedBody, function: Callable[[str], str]) -> DecodedBody:
    """Return a copy of `decoded` with `function` applied to every string value, keys excepted."""

    def apply(value: Any) -> Any:
        if isinstance(value, str):
            return function(value)
        if isinstance(value, list):
            return [apply(item) for item in value]
        if isinstance(value, dict):
            return {key: apply(item) for key, item in value.items()}
        if isinstance(value, DecodedBody):
            return map_strings(value, function)
        return value

    return DecodedBody({name: apply(value) for name, value in decoded.values.items()}, decoded.ranges)


def _plain_for(value: Any, annotation: Any, to_plain: Any) -> Any:
    """Convert a value towards the option's HCL type before it becomes plain data."""
    from kiln.template.values import convert

    target = hcl_type(annotation)
    if target is not None:
        converted, problem = convert(value, target)
        if problem is None:
            return to_plain(converted)
        return _ConversionFailure(problem)
    return to_plain(value)


@dataclass(frozen=True, slots=True)
class _ConversionFailure:
    reason: str


def hcl_type(annotation: Any) -> Any:
    """Return the HCL type an option's Python type accepts, or None for any value."""
    from kiln.lang.types import BOOL, DYNAMIC, NUMBER, STRING, ListType, MapType

    annotation = _strip_optional(annotation)
    if annotation in (str, Path, Duration):
        return STRING
    if annotation is bool:
        return BOOL
    if annotation in (int, float):
        return NUMBER
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is list:
        element = hcl_type(arguments[0]) if arguments else None
        return ListType(element if element is not None else DYNAMIC)
    if origin is dict:
        element = hcl_type(arguments[1]) if len(arguments) == 2 else None
        return MapType(element if element is not None else DYNAMIC)
    return None


def output_type(output_class: type) -> Any:
    """Return the HCL object type of a data source's output dataclass.

    Attributes are keyed by field name, as `dataclasses.asdict` keys the output a data
    source returns. A field of a type HCL cannot describe has the type `any`.
    """
    from kiln.lang.types import DYNAMIC, ListType, ObjectType

    hints = _type_hints(output_class)
    attributes = {}
    for output_field in dataclasses.fields(output_class):
        annotation = _strip_optional(hints[output_field.name])
        nested, repeated = _nested_class(annotation)
        if nested is not None:
            element = output_type(nested)
            attributes[output_field.name] = ListType(element) if repeated else element
            continue
        attribute_type = hcl_type(annotation)
        attributes[output_field.name] = DYNAMIC if attribute_type is None else attribute_type
    return ObjectType(attributes)


def build_config(config_class: type, decoded: DecodedBody, subject: Range | None) -> tuple[Any, Diagnostics]:
    """Check plain data against a config dataclass and return the instance."""
    diagnostics = Diagnostics()
    values: dict[str, Any] = {}
    options = _options(config_class)
    known = {option.name for option in options}
    for name in decoded.values:
        if name not in known:
            diagnostics.append(
                error(
                    "Unsupported argument",
                    f'An argument named "{name}" is not expected here.{did_you_mean(name, known)}',
                    decoded.ranges.get(name, subject),
                )
            )
    for option in options:
        if option.name not in decoded.values:
            continue
        where = decoded.ranges.get(option.name, subject)
        value, problems = _coerce(decoded.values[option.name], option, where)
        diagnostics.extend(problems)
        if not problems.has_errors():
            values[option.attribute] = value
    if diagnostics.has_errors():
        return None, diagnostics
    return construct(config_class, values), diagnostics


def _coerce(raw: Any, option: _Option, where: Range | None) -> tuple[Any, Diagnostics]:
    if option.nested is not None:
        if option.repeated:
            items = []
            diagnostics = Diagnostics()
            for nested in raw:
                item, problems = build_config(option.nested, nested, where)
                diagnostics.extend(problems)
                items.append(item)
            return items, diagnostics
        return build_config(option.nested, raw, where)
    return coerce_value(raw, option.type, option.name, where)


def coerce_value(raw: Any, annotation: Any, name: str, where: Range | None) -> tuple[Any, Diagnostics]:
    """Return `raw` as the Python type `annotation`, or a type diagnostic on `where`."""
    annotation = _strip_optional(annotation)
    if isinstance(raw, _ConversionFailure):
        return None, _type_problem(name, raw.reason, where)
    if raw is None:
        return None, Diagnostics()
    if annotation is Duration:
        try:
            return Duration.parse(str(raw)), Diagnostics()
        except ValueError as problem:
            return None, _type_problem(name, str(problem), where)
    if annotation is int:
        if isinstance(raw, float) and not raw.is_integer():
            return None, _type_problem(name, "a whole number is required", where)
        return int(raw), Diagnostics()
    if annotation is float:
        return float(raw), Diagnostics()
    if annotation is Path:
        return Path(raw), Diagnostics()
    return raw, Diagnostics()


def _type_problem(name: str, reason: str, where: Range | None) -> Diagnostics:
    return Diagnostics(
        [
            error(
                "Incorrect attribute value type",
                f'Inappropriate value for attribute "{name}": {reason}.',
                where,
            )
        ]
    )


def construct(config_class: type, values: dict[str, Any]) -> Any:
    """Build a config dataclass from option values keyed by field name, filling squashed parts."""
    hints = _type_hints(config_class)
    arguments: dict[str, Any] = {}
    for config_field in dataclasses.fields(config_class):
        if option_info(config_field).squash:
            arguments[config_field.name] = construct(_strip_optional(hints[config_field.name]), values)
        elif config_field.name in values:
            arguments[config_field.name] = values[config_field.name]
        elif config_field.default is MISSING and config_field.default_factory is MISSING:
            arguments[config_field.name] = None
    return config_class(**arguments)
