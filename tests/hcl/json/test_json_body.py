"""JSON bodies read through schemas: attributes, labelled and repeated blocks, and their errors."""

from __future__ import annotations

import pytest

from kiln.hcl.diagnostics import Diagnostics
from kiln.hcl.json import JSONBody, parse_json, parse_json_variables
from kiln.hcl.schema import AttributeSchema, BlockHeaderSchema, Body, BodyContent, BodySchema
from kiln.hcl.syntax import parse_config

ATTRIBUTES = BodySchema(attributes=[AttributeSchema("name", required=True), AttributeSchema("count")])
BLOCKS = BodySchema(
    attributes=[AttributeSchema("name")],
    blocks=[
        BlockHeaderSchema("source", ("type", "name")),
        BlockHeaderSchema("provisioner", ("type",)),
        BlockHeaderSchema("build"),
    ],
)


def read(src: str, schema: BodySchema) -> tuple[BodyContent, Diagnostics]:
    file, diagnostics = parse_json(src.encode(), "t.json")
    assert list(diagnostics) == []
    return file.body.content(schema)


def test_body_implements_protocol() -> None:
    file, _ = parse_json(b"{}", "t.json")

    assert isinstance(file.body, Body)


def test_attributes_and_ranges() -> None:
    content, diagnostics = read('{"name": "x", "count": 2}', ATTRIBUTES)

    assert list(diagnostics) == []
    assert list(content.attributes) == ["name", "count"]
    name = content.attributes["name"]
    assert str(name.name_range) == "t.json:1,2-1,8"
    assert str(name.range) == "t.json:1,2-1,13"
    assert str(name.expr.range) == "t.json:1,10-1,13"
    assert str(content.missing_item_range) == "t.json:1,25-1,26"


def test_labelled_blocks() -> None:
    content, diagnostics = read('{"source": {"null": {"a": {}, "b": {"name": "x"}}}}', BLOCKS)

    assert list(diagnostics) == []
    assert [(b.type, b.labels) for b in content.blocks] == [
        ("source", ["null", "a"]),
        ("source", ["null", "b"]),
    ]
    second = content.blocks[1]
    assert [str(r) for r in second.label_ranges] == ["t.json:1,13-1,19", "t.json:1,31-1,34"]
    assert str(second.type_range) == "t.json:1,2-1,10"
    assert str(second.def_range) == "t.json:1,36-1,37"
    inner, inner_diagnostics = second.body.content(BodySchema(attributes=[AttributeSchema("name")]))
    assert list(inner_diagnostics) == []
    assert list(inner.attributes) == ["name"]


def test_arrays_of_block_objects() -> None:
    src = '{"provisioner": [{"shell": {"name": "1"}}, {"file": [{"name": "2"}, {"name": "3"}]}], "build": [{}, {}]}'

    content, diagnostics = read(src, BLOCKS)

    assert list(diagnostics) == []
    assert [(b.type, b.labels) for b in content.blocks] == [
        ("provisioner", ["shell"]),
        ("provisioner", ["file"]),
        ("provisioner", ["file"]),
        ("build", []),
        ("build", []),
    ]


def test_repeated_block_type_names() -> None:
    content, diagnostics = read('{"build": {}, "name": "x", "build": {}}', BLOCKS)

    assert list(diagnostics) == []
    assert [b.type for b in content.blocks] == ["build", "build"]


def test_root_array_of_objects() -> None:
    content, diagnostics = read('[{"name": "x"}, {"build": {}}]', BLOCKS)

    assert list(diagnostics) == []
    assert list(content.attributes) == ["name"]
    assert [b.type for b in content.blocks] == ["build"]


def test_comment_properties_ignored() -> None:
    content, diagnostics = read('{"//": "a note", "name": "x", "build": {"//": 1}}', BLOCKS)

    assert list(diagnostics) == []
    _, block_diagnostics = content.blocks[0].body.content(BodySchema())
    assert list(block_diagnostics) == []


def test_null_block_means_none() -> None:
    content, diagnostics = read('{"build": null, "source": {"null": {"a": null}}}', BLOCKS)

    assert list(diagnostics) == []
    assert content.blocks == []


ERROR_CASES = {
    "unexpected property": (
        '{"name": "x", "colour": 1}',
        ATTRIBUTES,
        "Extraneous JSON object property",
        'No argument or block type is named "colour".',
        "t.json:1,15-1,23",
    ),
    "suggested name": (
        '{"name": "x", "cuont": 1}',
        ATTRIBUTES,
        "Extraneous JSON object property",
        'No argument or block type is named "cuont". Did you mean "count"?',
        "t.json:1,15-1,22",
    ),
    "missing required argument": (
        '{"count": 1}',
        ATTRIBUTES,
        "Missing required argument",
        'The argument "name" is required, but no definition was found.',
        "t.json:1,12-1,13",
    ),
    "duplicate argument": (
        '{"name": "x", "name": "y"}',
        ATTRIBUTES,
        "Duplicate argument",
        'The argument "name" was already set at t.json:1,2-13.',
        "t.json:1,15-1,21",
    ),
    "block given a string": (
        '{"build": "x"}',
        BLOCKS,
        "Incorrect JSON value type",
        'Either a JSON object or a JSON array is required, representing the contents of one or more "build" blocks.',
        "t.json:1,11-1,14",
    ),
    "missing block label": (
        '{"provisioner": {}}',
        BLOCKS,
        "Missing block label",
        "At least one object property is required, whose name represents the provisioner block's type.",
        "t.json:1,17-1,18",
    ),
    "label level given a string": (
        '{"source": "x"}',
        BLOCKS,
        "Incorrect JSON value type",
        "Either a JSON object or JSON array of objects is required here, to specify type labels for this block.",
        "t.json:1,12-1,15",
    ),
    "label array element not an object": (
        '{"provisioner": [1]}',
        BLOCKS,
        "Incorrect JSON value type",
        "A JSON object is required here, to specify type labels for this block.",
        "t.json:1,18-1,19",
    ),
    "root array element not an object": (
        '[{"name": "x"}, 2]',
        ATTRIBUTES,
        "Incorrect JSON value type",
        "A JSON object is required here, to define arguments and child blocks.",
        "t.json:1,17-1,18",
    ),
}


@pytest.mark.parametrize(
    ("src", "schema", "summary", "detail", "subject"), ERROR_CASES.values(), ids=ERROR_CASES.keys()
)
def test_content_error(src: str, schema: BodySchema, summary: str, detail: str, subject: str) -> None:
    _, diagnostics = read(src, schema)

    # A label level without properties is also reported as a missing label, as in hcl.
    label_missing = "labels for this block" in detail
    assert [d.summary for d in diagnostics] == [summary] + ["Missing block label"] * label_missing
    assert diagnostics[0].is_error
    assert diagnostics[0].detail == detail
    assert str(diagnostics[0].subject) == subject


def test_block_body_of_wrong_type() -> None:
    content, _ = read('{"build": [1]}', BLOCKS)

    _, diagnostics = content.blocks[0].body.content(BodySchema())

    assert [d.summary for d in diagnostics] == ["Incorrect JSON value type"]
    assert str(diagnostics[0].subject) == "t.json:1,12-1,13"


def test_partial_content_leaves_the_rest() -> None:
    file, _ = parse_json(b'{"name": "x", "build": {}, "extra": 1}', "t.json")

    content, remaining, diagnostics = file.body.partial_content(
        BodySchema(attributes=[AttributeSchema("name")])
    )

    assert list(diagnostics) == []
    assert list(content.attributes) == ["name"]
    rest, rest_diagnostics = remaining.content(BodySchema(blocks=[BlockHeaderSchema("build")]))
    assert [b.type for b in rest.blocks] == ["build"]
    assert [d.summary for d in rest_diagnostics] == ["Extraneous JSON object property"]
    assert 'named "extra"' in rest_diagnostics[0].detail
    attributes, _ = remaining.just_attributes()
    assert list(attributes) == ["build", "extra"]


def test_just_attributes() -> None:
    file, _ = parse_json(b'{"//": 0, "a": 1, "b": {"c": 2}, "a": 3}', "t.json")

    attributes, diagnostics = file.body.just_attributes()

    assert list(attributes) == ["a", "b"]
    assert [d.summary for d in diagnostics] == ["Duplicate attribute definition"]
    assert str(diagnostics[0].subject) == "t.json:1,34-1,37"


def test_just_attributes_of_array() -> None:
    attributes, diagnostics = JSONBody(parse_json(b"[{}]", "t.json")[0].body.value).just_attributes()

    assert attributes == {}
    assert [d.summary for d in diagnostics] == ["Incorrect JSON value type"]


def test_variable_file_values_literal() -> None:
    attributes, diagnostics = parse_json_variables(
        b'{"fruit": "${peanut}", "n": [1, {"k": null}]}', "v.pkrvars.json"
    )

    assert list(diagnostics) == []
    assert attributes["fruit"].expr.python_value() == ("${peanut}", [])
    assert attributes["fruit"].expr.variables() == []
    assert attributes["n"].expr.python_value()[0] == [1, {"k": None}]


def test_variable_file_not_an_object() -> None:
    attributes, diagnostics = parse_json_variables(b'"x"', "v.pkrvars.json")

    assert attributes == {}
    assert [d.summary for d in diagnostics] == ["Root value must be object"]


# Parity with the native syntax: the same schema finds the same items and the same number of
# errors, at the same kind of place. Summaries differ where hcl's JSON syntax words them
# differently ("Extraneous JSON object property" for "Unsupported argument").

PARITY_CASES = {
    "attributes": ('{"name": "x", "count": 1}', 'name = "x"\ncount = 1\n', ATTRIBUTES),
    "unexpected argument": ('{"name": "x", "other": 1}', 'name = "x"\nother = 1\n', ATTRIBUTES),
    "missing required": ('{"count": 1}', "count = 1\n", ATTRIBUTES),
    "labelled blocks": (
        '{"source": {"null": {"a": {}, "b": {}}}, "build": {}}',
        'source "null" "a" {}\nsource "null" "b" {}\nbuild {}\n',
        BLOCKS,
    ),
    "repeated blocks between others": (
        '[{"provisioner": {"shell": {}}}, {"name": "x"}, {"provisioner": {"file": {}}}]',
        'provisioner "shell" {}\nname = "x"\nprovisioner "file" {}\n',
        BLOCKS,
    ),
    "unexpected block type": ('{"name": "x", "other": {}}', 'name = "x"\nother {}\n', BLOCKS),
    "missing label": ('{"source": {"null": {}}}', 'source "null" {}\n', BLOCKS),
    "comments": ('{"//": "note", "name": "x"}', '# note\nname = "x"\n', ATTRIBUTES),
    "required and unexpected": ('{"other": 1}', "other = 1\n", ATTRIBUTES),
}


@pytest.mark.parametrize(("json_src", "native_src", "schema"), PARITY_CASES.values(), ids=PARITY_CASES.keys())
def test_parity_with_native(json_src: str, native_src: str, schema: BodySchema) -> None:
    native_file, native_parse_diagnostics = parse_config(native_src.encode(), "t.pkr.hcl")
    assert not native_parse_diagnostics.has_errors()

    json_content, json_diagnostics = read(json_src, schema)
    native_content, native_diagnostics = native_file.body.content(schema)

    assert list(json_content.attributes) == list(native_content.attributes)
    assert [(b.type, b.labels) for b in json_content.blocks] == [
        (b.type, b.labels) for b in native_content.blocks
    ]
    assert len(list(json_diagnostics.errors())) == len(list(native_diagnostics.errors()))


# Ranges that hcl's own JSON tests pin (json/structure_test.go, TestBodyPartialContent).

RESOURCE_BLOCKS = BodySchema(blocks=[BlockHeaderSchema("resource", ("type", "name"))])


@pytest.mark.parametrize(
    ("src", "missing_item"),
    [
        ("{}", "t.json:1,2-1,3"),
        ("[]", "t.json:1,1-1,2"),
        ("[{}]", "t.json:1,1-1,2"),
        ('{"//": "comment that should be ignored", "//": "another comment"}', "t.json:1,65-1,66"),
        ('{"resource": null}', "t.json:1,18-1,19"),
    ],
)
def test_missing_item_range(src: str, missing_item: str) -> None:
    file, _ = parse_json(src.encode(), "t.json")

    content, _, diagnostics = file.body.partial_content(BodySchema(blocks=[BlockHeaderSchema("resource")]))

    assert list(diagnostics) == []
    assert str(content.missing_item_range) == missing_item


def test_root_array_of_arrays() -> None:
    file, _ = parse_json(b"[[]]", "t.json")

    _, _, diagnostics = file.body.partial_content(BodySchema())

    assert [d.summary for d in diagnostics] == ["Incorrect JSON value type"]


def test_nested_labels_ranges() -> None:
    content, diagnostics = read('{"resource":{"foo_instance":[{"bar":{}}, {"bar":{}}]}}', RESOURCE_BLOCKS)

    assert list(diagnostics) == []
    assert [b.labels for b in content.blocks] == [["foo_instance", "bar"], ["foo_instance", "bar"]]
    assert [str(r) for r in content.blocks[0].label_ranges] == ["t.json:1,14-1,28", "t.json:1,31-1,36"]
    assert [str(r) for r in content.blocks[1].label_ranges] == ["t.json:1,14-1,28", "t.json:1,43-1,48"]
    assert str(content.blocks[0].def_range) == "t.json:1,37-1,38"


def test_null_label_value_gives_no_block() -> None:
    content, diagnostics = read(
        '{"resource": { "nested": null }}', BodySchema(blocks=[BlockHeaderSchema("resource", ("name",))])
    )

    assert list(diagnostics) == []
    assert content.blocks == []


def test_names_quoted_as_go_does() -> None:
    _, diagnostics = read('{"name": "x", "we\\"ird\\n": 1}', ATTRIBUTES)

    assert diagnostics[0].detail == 'No argument or block type is named "we\\"ird\\n".'
