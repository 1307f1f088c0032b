"""Write HCL text from JSON-shaped values, as hclwrite lays it out before formatting.

`hcl2_upgrade` turns legacy JSON configuration into HCL2 blocks. JSON objects become nested
blocks when they hold objects (`launch_block_device_mappings { ... }`) and attributes when
they hold only plain values (`tags = { ... }`); arrays of objects become repeated blocks.
Keys are written in sorted order, strings with HCL's escapes (including `$${` for a literal
`${`), so that the result, once formatted, is what Packer's upgrade writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

_IDENTIFIER = re.compile(r"^[^\W\d][\w-]*$", re.UNICODE)
# Keys Packer's upgrade always writes as nested blocks, whatever their values hold.
_BLOCK_MAPS = ("linux_options", "network_interface", "shared_image_gallery")


def quote_string(text: str) -> str:
    """Return `text` as an HCL quoted string literal."""
    out = ['"']
    index = 0
    while index < len(text):
        char = text[index]
        pair = text[index : index + 2]
        if pair in ("${", "%{"):
            out.append(char * 2 + "{")
            index += 2
            continue
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
        index += 1
    out.append('"')
    return "".join(out)


def format_number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def render_value(value: Any) -> str:
    """Return the HCL expression for a JSON value (hclwrite's TokensForValue)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        return quote_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        lines = [f"{render_key(key)} = {render_value(value[key])}\n" for key in sorted(value)]
        return "{\n" + "".join(lines) + "}"
    return quote_string(str(value))


def render_key(key: str) -> str:
    return key if _IDENTIFIER.match(key) else quote_string(key)


def _is_plain(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _most_nested(values: list[Any]) -> Any:
    """Return the last non-plain element, or the first plain one when all are plain."""
    chosen: Any = None
    for element in values:
        if _is_plain(element):
            if chosen is None:
                chosen = element
            continue
        chosen = element
    return chosen


class Body:
    """An HCL body being written: attributes and blocks in the order they are added."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def attribute(self, name: str, value: Any) -> None:
        self.items.append(f"{name} = {render_value(value)}\n")

    def raw_attribute(self, name: str, expression: str) -> None:
        self.items.append(f"{name} = {expression}\n")

    def block(self, type_name: str, *labels: str) -> Body:
        body = Body()
        self.items.append((type_name, labels, body))  # type: ignore[arg-type]
        return body

    def newline(self) -> None:
        self.items.append("\n")

    def text(self) -> str:
        parts: list[str] = []
        for item in self.items:
            if isinstance(item, str):
                parts.append(item)
                continue
            type_name, labels, body = item  # type: ignore[misc]
            header = " ".join([type_name, *(json.dumps(label, ensure_ascii=False) for label in labels)])
            parts.append(f"{header} {{\n{body.text()}}}\n")
        return "".join(parts)

    def add_json(self, values: Mapping[str, Any]) -> None:
        """Write a JSON object's members in key order, objects as blocks where they hold objects."""
        for key in sorted(values):
            value = values[key]
            if isinstance(value, Mapping):
                if key not in _BLOCK_MAPS and _is_plain(_most_nested(list(value.values()))):
                    self.attribute(key, value)
                else:
                    self.block(key).add_json(value)
            elif isinstance(value, list):
                if not value:
                    continue
                if isinstance(_most_nested(value), Mapping):
                    for element in value:
                        self.block(key).add_json(element)
                else:
                    self.attribute(key, value)
            else:
                self.attribute(key, value)
