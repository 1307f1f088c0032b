"""Merging a source block with a build's `source "T.N" { ... }` usage block, as hcl.MergeBodies does.

Arguments of both bodies are read together. An argument set in both is a "Duplicate
argument" error, because a usage block may add settings to a source but not override them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.hcl.schema import Attribute, AttributeSchema, Body, BodyContent, BodySchema


@dataclass(slots=True)
class MergedBody:
    first: Body
    second: Body

    def content(self, schema: BodySchema) -> tuple[BodyContent, Diagnostics]:
        content, rest, diagnostics = self.partial_content(schema)
        # Whatever the schema did not take is unexpected, in either body.
        for leftover in (rest.first, rest.second):
            _unused, problems = leftover.content(BodySchema())
            diagnostics.extend(problems)
        for attribute in schema.attributes:
            if attribute.required and attribute.name not in content.attributes:
                diagnostics.append(
                    error(
                        "Missing required argument",
                        f'The argument "{attribute.name}" is required, but no definition was found.',
                        self.first.missing_item_range(),
                    )
                )
        return content, diagnostics

    def partial_content(self, schema: BodySchema) -> tuple[BodyContent, MergedBody, Diagnostics]:
        # Read both bodies without required checks, which apply to the merged result only.
        relaxed = BodySchema(
            attributes=[AttributeSchema(attribute.name) for attribute in schema.attributes],
            blocks=schema.blocks,
        )
        first, first_rest, diagnostics = self.first.partial_content(relaxed)
        second, second_rest, problems = self.second.partial_content(relaxed)
        diagnostics = Diagnostics(diagnostics)
        diagnostics.extend(problems)
        merged = BodyContent(
            dict(first.attributes), [*first.blocks, *second.blocks], first.missing_item_range
        )
        diagnostics.extend(_merge_attributes(merged.attributes, second.attributes))
        return merged, MergedBody(first_rest, second_rest), diagnostics

    def just_attributes(self) -> tuple[dict[str, Attribute], Diagnostics]:
        first, diagnostics = self.first.just_attributes()
        second, problems = self.second.just_attributes()
        diagnostics = Diagnostics(diagnostics)
        diagnostics.extend(problems)
        merged = dict(first)
        diagnostics.extend(_merge_attributes(merged, second))
        return merged, diagnostics

    def missing_item_range(self) -> Range:
        return self.first.missing_item_range()


def _merge_attributes(merged: dict[str, Attribute], extra: dict[str, Attribute]) -> Diagnostics:
    diagnostics = Diagnostics()
    for name, attribute in extra.items():
        if name in merged:
            first = merged[name]
            diagnostics.append(
                error(
                    "Duplicate argument",
                    f'Argument "{name}" was already set at {first.range.filename}:{first.range.start.line},'
                    f"{first.range.start.column}. Each argument may be set only once.",
                    attribute.name_range,
                )
            )
            continue
        merged[name] = attribute
    return diagnostics
