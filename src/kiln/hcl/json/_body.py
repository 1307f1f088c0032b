"""The `Body` of HCL's JSON syntax: a JSON object read through a schema.

A property whose name the schema lists as an attribute is that attribute. A property named
for a block type holds the blocks: one JSON object level per block label, then an object (one
block) or an array of objects (several blocks) for the block bodies. An array of objects can
also stand wherever an object is expected. Its objects' properties are then read in order as
if they were one object, which is how a JSON body repeats a block type with other blocks in
between. Properties named `//` are comments and are ignored.

Diagnostics match hashicorp/hcl v2's JSON syntax (`json/structure.go`), so a `.pkr.json`
file reports what Packer reports for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiln.hcl.diagnostics import Diagnostics, Range, did_you_mean, error
from kiln.hcl.json._expression import JSONExpression
from kiln.hcl.json._nodes import (
    ArrayValue,
    InvalidValue,
    Node,
    NullValue,
    ObjectProperty,
    ObjectValue,
    go_quote,
    go_range,
)
from kiln.hcl.schema import Attribute, Block, BlockHeaderSchema, BodyContent, BodySchema

COMMENT_PROPERTY = "//"


@dataclass(slots=True)
class JSONBody:
    """A body given by a JSON object, or an array of objects, from a JSON-syntax file.

    `hidden` names attributes and block types already taken by `partial_content`; the body
    it returns for the rest leaves them out. `literal` makes attribute expressions take
    strings as they are instead of as templates, as variable files do.
    """

    value: Node
    hidden: frozenset[str] = field(default_factory=frozenset)
    literal: bool = False

    def content(self, schema: BodySchema) -> tuple[BodyContent, Diagnostics]:
        content, remaining, diagnostics = self.partial_content(schema)
        assert isinstance(remaining, JSONBody)

        suggestions = [a.name for a in schema.attributes if a.name not in remaining.hidden]
        suggestions += [b.type for b in schema.blocks]
        properties, _ = _collect_properties(self.value, None)
        for prop in properties:
            if prop.name == COMMENT_PROPERTY or prop.name in remaining.hidden:
                continue
            diagnostics.append(
                error(
                    "Extraneous JSON object property",
                    f"No argument or block type is named {go_quote(prop.name)}."
                    + did_you_mean(prop.name, suggestions),
                    prop.name_range,
                    context=prop.range,
                )
            )
        return content, diagnostics

    def partial_content(self, schema: BodySchema) -> tuple[BodyContent, JSONBody, Diagnostics]:
        properties, diagnostics = _collect_properties(self.value, None)
        attribute_schemas = {a.name: a for a in schema.attributes}
        block_schemas = {b.type: b for b in schema.blocks}
        content = BodyContent(missing_item_range=self.missing_item_range())
        used = set(self.hidden)

        for prop in properties:
            if prop.name in self.hidden:
                continue
            if prop.name in attribute_schemas:
                existing = content.attributes.get(prop.name)
                if existing is not None:
                    diagnostics.append(
                        error(
                            "Duplicate argument",
                            f"The argument {go_quote(prop.name)} was already set at {go_range(existing.range)}.",
                            prop.name_range,
                            context=prop.range,
                        )
                    )
                    continue
                content.attributes[prop.name] = self._attribute(prop)
                used.add(prop.name)
            elif prop.name in block_schemas:
                block_schema = block_schemas[prop.name]
                diagnostics.extend(
                    _unpack_block(prop.value, block_schema, prop.name_range, [], [], content.blocks)
                )
                used.add(prop.name)

        for attribute_schema in schema.attributes:
            if attribute_schema.required and attribute_schema.name not in content.attributes:
                diagnostics.append(
                    error(
                        "Missing required argument",
                        f"The argument {go_quote(attribute_schema.name)} is required, but no definition was found.",
                        self.missing_item_range(),
                    )
                )

        remaining = JSONBody(self.value, frozenset(used), self.literal)
        return content, remaining, diagnostics

    def just_attributes(self) -> tuple[dict[str, Attribute], Diagnostics]:
        diagnostics = Diagnostics()
        attributes: dict[str, Attribute] = {}
        if not isinstance(self.value, ObjectValue):
            diagnostics.append(
                error(
                    "Incorrect JSON value type",
                    "A JSON object is required here, setting the arguments for this block.",
                    self.value.start_range(),
                )
            )
            return attributes, diagnostics

        for prop in self.value.properties:
            if prop.name == COMMENT_PROPERTY or prop.name in self.hidden:
                continue
            existing = attributes.get(prop.name)
            if existing is not None:
                diagnostics.append(
                    error(
                        "Duplicate attribute definition",
                        f"The argument {go_quote(prop.name)} was already set at {go_range(existing.range)}.",
                        prop.name_range,
                    )
                )
                continue
            attributes[prop.name] = self._attribute(prop)
        return attributes, diagnostics

    def missing_item_range(self) -> Range:
        """Return where a missing item would go: the closing brace of an object body."""
        if isinstance(self.value, ObjectValue):
            return self.value.close_range
        return self.value.start_range()

    def _attribute(self, prop: ObjectProperty) -> Attribute:
        expression = JSONExpression(prop.value, literal=self.literal)
        return Attribute(prop.name, expression, prop.range, prop.name_range)


def _unpack_block(
    value: Node,
    schema: BlockHeaderSchema,
    type_range: Range,
    labels: list[str],
    label_ranges: list[Range],
    blocks: list[Block],
) -> Diagnostics:
    """Append the blocks that `value` defines, peeling one object level per missing label."""
    depth = len(labels)
    if depth < len(schema.label_names):
        label_name = schema.label_names[depth]
        properties, diagnostics = _collect_properties(value, label_name)
        if not properties:
            diagnostics.append(
                error(
                    "Missing block label",
                    "At least one object property is required, whose name represents "
                    f"the {schema.type} block's {label_name}.",
                    value.start_range(),
                )
            )
        for prop in properties:
            diagnostics.extend(
                _unpack_block(
                    prop.value,
                    schema,
                    type_range,
                    [*labels, prop.name],
                    [*label_ranges, prop.name_range],
                    blocks,
                )
            )
        return diagnostics

    diagnostics = Diagnostics()
    if isinstance(value, NullValue):
        return diagnostics
    if isinstance(value, ObjectValue):
        blocks.append(
            Block(
                schema.type, list(labels), JSONBody(value), value.open_range, type_range, list(label_ranges)
            )
        )
    elif isinstance(value, ArrayValue):
        for element in value.values:
            # An element that is not an object is reported when its body is read.
            blocks.append(
                Block(
                    schema.type,
                    list(labels),
                    JSONBody(element),
                    value.open_range,
                    type_range,
                    list(label_ranges),
                )
            )
    else:
        diagnostics.append(
            error(
                "Incorrect JSON value type",
                "Either a JSON object or a JSON array is required, representing the contents "
                f"of one or more {go_quote(schema.type)} blocks.",
                value.start_range(),
            )
        )
    return diagnostics


def _collect_properties(value: Node, label_name: str | None) -> tuple[list[ObjectProperty], Diagnostics]:
    """Return the properties of an object, or of each object in an array, in source order.

    `label_name` tailors the messages to an object that gives block labels rather than a body.
    """
    diagnostics = Diagnostics()
    if isinstance(value, NullValue | InvalidValue):
        # A parse error already reported an invalid value.
        return [], diagnostics
    if isinstance(value, ObjectValue):
        return list(value.properties), diagnostics

    purpose = (
        f"to specify {label_name} labels for this block"
        if label_name
        else "to define arguments and child blocks"
    )
    if not isinstance(value, ArrayValue):
        diagnostics.append(
            error(
                "Incorrect JSON value type",
                f"Either a JSON object or JSON array of objects is required here, {purpose}.",
                value.start_range(),
            )
        )
        return [], diagnostics

    properties: list[ObjectProperty] = []
    for element in value.values:
        if isinstance(element, ObjectValue):
            properties.extend(element.properties)
        else:
            diagnostics.append(
                error(
                    "Incorrect JSON value type",
                    f"A JSON object is required here, {purpose}.",
                    element.start_range(),
                )
            )
    return properties, diagnostics
