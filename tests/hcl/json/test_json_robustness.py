"""Arbitrary input never raises: the JSON syntax answers every input with a result and diagnostics."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiln.hcl.json import parse_json, parse_json_variables
from kiln.hcl.schema import AttributeSchema, BlockHeaderSchema, BodySchema

SCHEMA = BodySchema(
    attributes=[AttributeSchema("a"), AttributeSchema("b", required=True)],
    blocks=[BlockHeaderSchema("block", ("type", "name")), BlockHeaderSchema("plain")],
)

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "b", "block", "plain", "x", "//"]), children, max_size=4)
    ),
    max_leaves=20,
)


def _read_everything(src: bytes) -> None:
    file, diagnostics = parse_json(src, "f.json")
    assert all(d.subject is not None for d in diagnostics)
    content, more = file.body.content(SCHEMA)
    for block in content.blocks:
        block.body.content(SCHEMA)
        block.body.just_attributes()
    for attribute in content.attributes.values():
        attribute.expr.to_native()
        attribute.expr.variables()
        attribute.expr.python_value()
    assert all(d.subject is not None for d in more)
    parse_json_variables(src, "v.json")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(src: bytes) -> None:
    _read_everything(src)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON_VALUES)
def test_valid_json_never_raises(value: object) -> None:
    src = json.dumps(value).encode()

    _, diagnostics = parse_json(src, "f.json")

    if isinstance(value, dict | list):
        assert list(diagnostics) == []
    _read_everything(src)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON_VALUES, st.data())
def test_damaged_json_never_raises(value: object, data: st.DataObject) -> None:
    src = bytearray(json.dumps(value).encode())
    for _ in range(data.draw(st.integers(1, 3))):
        if not src:
            break
        position = data.draw(st.integers(0, len(src) - 1))
        src[position] = data.draw(st.sampled_from(b'{}[],:"\\ 0a-e\xff'))

    _read_everything(bytes(src))
