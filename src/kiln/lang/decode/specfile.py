"""The `.hcldec` spec language of hcl's `hcldec` command, read into a `Spec` tree.

A spec file has one root spec block (`object`, `array`, `attr`, `block`, `block_list`,
`block_set`, `block_map`, `block_attrs`, `literal`, `default` or `transform`) and optionally a
`variables` block whose arguments become the variables of the decoding scope. Inside `object`
each child block carries its name as a label (`attr "name" { type = string }`), and `attr`
and the block specs use that label as the argument or block type name unless `name` or
`block_type` gives another.

    spec_file, diags = read_spec(parse_config(source, "x.hcldec")[0].body)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, error
from kiln.hcl.schema import AttributeSchema, Block, BlockHeaderSchema, Body, BodySchema
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.convert import ConversionError, convert
from kiln.lang.decode.specs import (
    AttrSpec,
    BlockAttrsSpec,
    BlockListSpec,
    BlockMapSpec,
    BlockSetSpec,
    BlockSpec,
    DefaultSpec,
    LiteralSpec,
    ObjectSpec,
    Spec,
    TransformSpec,
    TupleSpec,
)
from kiln.lang.eval import evaluate
from kiln.lang.typeexpr import type_constraint

SPEC_BLOCK_TYPES = (
    "object",
    "array",
    "literal",
    "attr",
    "block",
    "block_list",
    "block_map",
    "block_set",
    "block_attrs",
    "default",
    "transform",
)
_UNLABELLED = BodySchema(blocks=[BlockHeaderSchema(name) for name in SPEC_BLOCK_TYPES])
_LABELLED = BodySchema(blocks=[BlockHeaderSchema(name, ("key",)) for name in SPEC_BLOCK_TYPES])
_ROOT = BodySchema(blocks=[*_UNLABELLED.blocks, BlockHeaderSchema("variables")])
# The stand-in for a broken spec, so one mistake in a spec file gives one diagnostic.
_ERROR_SPEC = LiteralSpec(V.null_val(T.DYNAMIC))


@dataclass(slots=True)
class SpecFile:
    """A spec read from a `.hcldec` file, with the variables its `variables` block declares."""

    spec: Spec
    variables: dict[str, V.Value] = field(default_factory=dict)


def read_spec(body: Body) -> tuple[SpecFile, Diagnostics]:
    """Read the root spec and variables of a spec file's body."""
    content, diags = body.content(_ROOT)
    variables: dict[str, V.Value] = {}
    for block in content.blocks_of_type("variables"):
        variables.update(_read_variables(block, diags))

    specs = [block for block in content.blocks if block.type != "variables"]
    spec = _single_spec(
        specs,
        body,
        diags,
        "A spec file must have exactly one root block specifying how to map to a JSON value.",
    )
    return SpecFile(spec, variables), diags


def _read_variables(block: Block, diags: Diagnostics) -> dict[str, V.Value]:
    attributes, attr_diags = block.body.just_attributes()
    diags.extend(attr_diags)
    variables = {}
    for name, attribute in attributes.items():
        value, value_diags = evaluate(attribute.expr, None)
        diags.extend(value_diags)
        variables[name] = value
    return variables


def _single_spec(blocks: list[Block], body: Body, diags: Diagnostics, detail: str) -> Spec:
    if not blocks:
        if not diags.has_errors():
            diags.append(error("Missing spec block", detail, body.missing_item_range()))
        return _ERROR_SPEC
    if len(blocks) > 1:
        diags.append(error("Extraneous spec block", detail, blocks[1].def_range))
        return _ERROR_SPEC
    spec, spec_diags = read_spec_block(blocks[0])
    diags.extend(spec_diags)
    return spec


def read_spec_block(block: Block) -> tuple[Spec, Diagnostics]:
    """Read one spec block; its first label, if any, is the implied name."""
    implied_name = block.labels[0] if block.labels else ""
    reader = _READERS[block.type]
    return reader(block.body, implied_name)


def _arguments(
    body: Body, schema: list[AttributeSchema], diags: Diagnostics, *, remain: bool = False
) -> tuple[dict[str, V.Value | Any], Body | None]:
    """Read the spec block's own arguments: the `type`, `result` and `value` expressions stay unevaluated."""
    body_schema = BodySchema(attributes=schema)
    if remain:
        content, rest, content_diags = body.partial_content(body_schema)
    else:
        content, content_diags = body.content(body_schema)
        rest = None
    diags.extend(content_diags)

    found: dict[str, Any] = {}
    for name, attribute in content.attributes.items():
        if name in ("type", "element_type", "result"):
            found[name] = attribute.expr
            continue
        value, value_diags = evaluate(attribute.expr, None)
        diags.extend(value_diags)
        found[name] = value
    return found, rest


def _static(found: dict[str, Any], name: str, type_: T.Type, diags: Diagnostics, default: Any) -> Any:
    value = found.get(name)
    if value is None or value.is_null:
        return default
    try:
        value = convert(value, type_)
    except ConversionError as exc:
        diags.append(
            error("Incorrect attribute value type", f'Inappropriate value for attribute "{name}": {exc}.')
        )
        return default
    if type_ == T.STRING:
        return value.as_str()
    if type_ == T.BOOL:
        return value.as_bool()
    if type_ == T.NUMBER:
        return value.as_int()
    return [element.as_str() for element in value.elements()]


def _read_object(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    content, diags = body.content(_LABELLED)
    children = {}
    for block in content.blocks:
        child, child_diags = read_spec_block(block)
        diags.extend(child_diags)
        children[block.labels[0]] = child
    return ObjectSpec(children), diags


def _read_array(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    content, diags = body.content(_UNLABELLED)
    elements = []
    for block in content.blocks:
        element, element_diags = read_spec_block(block)
        diags.extend(element_diags)
        elements.append(element)
    return TupleSpec(elements), diags


def _read_attr(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    diags = Diagnostics()
    schema = [AttributeSchema("name"), AttributeSchema("type", required=True), AttributeSchema("required")]
    found, _ = _arguments(body, schema, diags)
    if diags.has_errors():
        return _ERROR_SPEC, diags
    name = _static(found, "name", T.STRING, diags, implied_name)
    type_, type_diags = type_constraint(found["type"])
    diags.extend(type_diags)
    if not name:
        detail = "The name attribute is required, to specify the attribute name that is expected in an input HCL file."
        diags.append(error("Missing name in attribute spec", detail, body.missing_item_range()))
        return _ERROR_SPEC, diags
    return AttrSpec(name, type_, _static(found, "required", T.BOOL, diags, False)), diags


def _nested(rest: Body, diags: Diagnostics) -> Spec:
    content, content_diags = rest.content(_UNLABELLED)
    diags.extend(content_diags)
    detail = "A block spec must have exactly one child spec specifying how to decode block contents."
    return _single_spec(content.blocks, rest, diags, detail)


def _block_type(found: dict[str, Any], implied_name: str, kind: str, body: Body, diags: Diagnostics) -> str:
    block_type = _static(found, "block_type", T.STRING, diags, implied_name)
    if not block_type:
        detail = "The block_type attribute is required, to specify the block type name that is expected in an input HCL file."
        diags.append(error(f"Missing block_type in {kind} spec", detail, body.missing_item_range()))
    return block_type


def _read_block(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    diags = Diagnostics()
    found, rest = _arguments(
        body, [AttributeSchema("block_type"), AttributeSchema("required")], diags, remain=True
    )
    if diags.has_errors():
        return _ERROR_SPEC, diags
    block_type = _block_type(found, implied_name, "block", body, diags)
    nested = _nested(rest, diags)
    if not block_type:
        return _ERROR_SPEC, diags
    return BlockSpec(block_type, nested, _static(found, "required", T.BOOL, diags, False)), diags


def _read_block_sequence(kind: str, spec_class: type) -> Any:
    def read(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
        diags = Diagnostics()
        schema = [AttributeSchema("block_type"), AttributeSchema("min_items"), AttributeSchema("max_items")]
        found, rest = _arguments(body, schema, diags, remain=True)
        if diags.has_errors():
            return _ERROR_SPEC, diags
        block_type = _block_type(found, implied_name, kind, body, diags)
        nested = _nested(rest, diags)
        if not block_type:
            return _ERROR_SPEC, diags
        min_items = _static(found, "min_items", T.NUMBER, diags, 0)
        max_items = _static(found, "max_items", T.NUMBER, diags, 0)
        return spec_class(block_type, nested, min_items, max_items), diags

    return read


def _read_block_map(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    diags = Diagnostics()
    found, rest = _arguments(
        body, [AttributeSchema("block_type"), AttributeSchema("labels")], diags, remain=True
    )
    if diags.has_errors():
        return _ERROR_SPEC, diags
    block_type = _block_type(found, implied_name, "block_map", body, diags)
    labels = _static(found, "labels", T.ListType(T.STRING), diags, [])
    nested = _nested(rest, diags)
    if not block_type:
        return _ERROR_SPEC, diags
    if not labels:
        detail = "A block_map must have at least one label specified."
        diags.append(error("Invalid block label name list", detail, body.missing_item_range()))
        return _ERROR_SPEC, diags
    return BlockMapSpec(block_type, labels, nested), diags


def _read_block_attrs(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    diags = Diagnostics()
    schema = [
        AttributeSchema("block_type"),
        AttributeSchema("element_type", required=True),
        AttributeSchema("required"),
    ]
    found, _ = _arguments(body, schema, diags)
    if diags.has_errors():
        return _ERROR_SPEC, diags
    block_type = _block_type(found, implied_name, "block_attrs", body, diags)
    element_type, type_diags = type_constraint(found["element_type"])
    diags.extend(type_diags)
    if not block_type:
        return _ERROR_SPEC, diags
    return BlockAttrsSpec(block_type, element_type, _static(found, "required", T.BOOL, diags, False)), diags


def _read_literal(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    diags = Diagnostics()
    found, _ = _arguments(body, [AttributeSchema("value", required=True)], diags)
    if diags.has_errors():
        return _ERROR_SPEC, diags
    return LiteralSpec(found["value"]), diags


def _read_default(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    content, diags = body.content(_UNLABELLED)
    if not content.blocks:
        if not diags.has_errors():
            detail = "A default block must have at least one nested spec, each specifying a possible outcome."
            diags.append(error("Missing spec block", detail, body.missing_item_range()))
        return _ERROR_SPEC, diags

    spec: Spec | None = None
    for block in content.blocks:
        candidate, candidate_diags = read_spec_block(block)
        diags.extend(candidate_diags)
        if candidate_diags.has_errors():
            continue
        spec = candidate if spec is None else DefaultSpec(spec, candidate)
    return spec or _ERROR_SPEC, diags


def _read_transform(body: Body, implied_name: str) -> tuple[Spec, Diagnostics]:
    diags = Diagnostics()
    found, rest = _arguments(body, [AttributeSchema("result", required=True)], diags, remain=True)
    if diags.has_errors():
        return _ERROR_SPEC, diags
    content, content_diags = rest.content(_UNLABELLED)
    diags.extend(content_diags)
    if len(content.blocks) != 1:
        if not content_diags.has_errors():
            detail = "A transform spec block must have exactly one nested spec block."
            diags.append(error("Invalid transform spec", detail, body.missing_item_range()))
        return _ERROR_SPEC, diags
    wrapped, wrapped_diags = read_spec_block(content.blocks[0])
    diags.extend(wrapped_diags)
    return TransformSpec(wrapped, found["result"]), diags


_READERS = {
    "object": _read_object,
    "array": _read_array,
    "attr": _read_attr,
    "block": _read_block,
    "block_list": _read_block_sequence("block_list", BlockListSpec),
    "block_set": _read_block_sequence("block_set", BlockSetSpec),
    "block_map": _read_block_map,
    "block_attrs": _read_block_attrs,
    "literal": _read_literal,
    "default": _read_default,
    "transform": _read_transform,
}
