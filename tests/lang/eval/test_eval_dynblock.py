"""Dynamic block expansion in front of a native body."""

from __future__ import annotations

from kiln.hcl.schema import AttributeSchema, BlockHeaderSchema, BodySchema
from kiln.hcl.syntax.parser import parse_config
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.dynblock import expand
from kiln.lang.eval import EvalContext, evaluate
from kiln.lang.function import Function, Parameter

UPPER = Function(
    [Parameter("str", T.STRING)],
    return_type=T.STRING,
    impl=lambda args, return_type: V.string_val(args[0].as_str().upper()),
)

SCHEMA = BodySchema(
    attributes=[AttributeSchema("name")],
    blocks=[BlockHeaderSchema("disk", ("kind",)), BlockHeaderSchema("tag")],
)
INNER = BodySchema(
    attributes=[AttributeSchema("size"), AttributeSchema("label")], blocks=[BlockHeaderSchema("part")]
)


def body_of(source: str):
    file, diags = parse_config(source.encode(), "test.pkr.hcl")
    assert not diags.has_errors(), [d.summary for d in diags]
    return file.body


def context() -> EvalContext:
    sizes = V.map_val({"a": V.number_val(10), "b": V.number_val(20)})
    return EvalContext({"var": V.object_val({"sizes": sizes, "prefix": V.string_val("p")})}, {})


def attribute_values(block, ctx: EvalContext) -> dict:
    content, diags = block.body.content(INNER)
    assert list(diags) == []
    values = {}
    for name, attribute in content.attributes.items():
        value, value_diags = evaluate(attribute.expr, ctx)
        assert list(value_diags) == []
        values[name] = value.to_python()
    return values


def test_expands_one_block_per_element() -> None:
    body = body_of(
        """
name = "x"
disk "static" {
  size = 1
}
dynamic "disk" {
  for_each = var.sizes
  labels   = ["${var.prefix}-${disk.key}"]
  content {
    size  = disk.value
    label = upper(disk.key)
  }
}
"""
    )
    ctx = context()
    content, diags = expand(body, ctx).content(SCHEMA)
    assert list(diags) == []
    assert [(b.type, b.labels) for b in content.blocks] == [
        ("disk", ["static"]),
        ("disk", ["p-a"]),
        ("disk", ["p-b"]),
    ]
    evaluation = EvalContext({}, {"upper": UPPER})
    assert attribute_values(content.blocks[1], evaluation) == {"size": 10, "label": "A"}
    assert attribute_values(content.blocks[2], evaluation) == {"size": 20, "label": "B"}


def test_iterator_value_in_content() -> None:
    body = body_of(
        """
dynamic "tag" {
  for_each = ["a", "b"]
  iterator = t
  content {
    label = "${t.key}:${t.value}"
  }
}
"""
    )
    content, diags = expand(body, context()).content(SCHEMA)
    assert list(diags) == []
    labels = [attribute_values(block, context())["label"] for block in content.blocks]
    assert labels == ["0:a", "1:b"]


def test_nested_dynamic_sees_outer_iterator() -> None:
    body = body_of(
        """
dynamic "tag" {
  for_each = ["x", "y"]
  content {
    dynamic "part" {
      for_each = [1, 2]
      content {
        label = "${tag.value}${part.value}"
      }
    }
  }
}
"""
    )
    ctx = context()
    content, diags = expand(body, ctx).content(SCHEMA)
    assert list(diags) == []
    labels = []
    for block in content.blocks:
        inner, inner_diags = block.body.content(INNER)
        assert list(inner_diags) == []
        for part in inner.blocks:
            labels.append(attribute_values(part, ctx)["label"])
    assert labels == ["x1", "x2", "y1", "y2"]


def test_dynamic_of_unexpected_type() -> None:
    body = body_of('dynamic "nope" {\n  for_each = []\n  content {}\n}\n')
    _content, diags = expand(body, context()).content(SCHEMA)
    assert [d.summary for d in diags] == ["Unsupported block type"]
    assert diags[0].subject.start.column == 9


def test_for_each_must_be_iterable() -> None:
    body = body_of('dynamic "tag" {\n  for_each = "s"\n  content {}\n}\n')
    _content, diags = expand(body, context()).content(SCHEMA)
    assert [d.summary for d in diags] == ["Invalid dynamic for_each value"]
    assert diags[0].detail == "Cannot use a string value in for_each. An iterable collection is required."
    assert (diags[0].subject.start.line, diags[0].subject.start.column) == (2, 14)


def test_null_for_each() -> None:
    body = body_of('dynamic "tag" {\n  for_each = null\n  content {}\n}\n')
    _content, diags = expand(body, context()).content(SCHEMA)
    assert [d.detail for d in diags] == ["Cannot use a null value in for_each."]


def test_wrong_label_count() -> None:
    body = body_of('dynamic "disk" {\n  for_each = [1]\n  content {}\n}\n')
    _content, diags = expand(body, context()).content(SCHEMA)
    assert [d.summary for d in diags] == ["Insufficient dynamic block labels"]
    assert diags[0].detail == 'Blocks of type "disk" require 1 label(s).'


def test_missing_content_block() -> None:
    body = body_of('dynamic "tag" {\n  for_each = [1]\n}\n')
    _content, diags = expand(body, context()).content(SCHEMA)
    assert [d.summary for d in diags] == ["Missing dynamic content block"]


def test_partial_content_leaves_other_dynamic_blocks() -> None:
    body = body_of(
        'dynamic "tag" {\n  for_each = [1]\n  content {}\n}\n'
        'dynamic "other" {\n  for_each = [1, 2]\n  content {}\n}\n'
    )
    content, remain, diags = expand(body, context()).partial_content(
        BodySchema(blocks=[BlockHeaderSchema("tag")])
    )
    assert list(diags) == []
    assert [b.type for b in content.blocks] == ["tag"]
    rest, rest_diags = remain.content(BodySchema(blocks=[BlockHeaderSchema("other")]))
    assert list(rest_diags) == []
    assert [b.type for b in rest.blocks] == ["other", "other"]


def test_unknown_for_each_makes_placeholder_block() -> None:
    ctx = EvalContext({"u": V.DYNAMIC_VAL}, {})
    body = body_of('dynamic "tag" {\n  for_each = u\n  content {\n    label = tag.value\n  }\n}\n')
    content, diags = expand(body, ctx).content(SCHEMA)
    assert list(diags) == []
    assert [b.type for b in content.blocks] == ["tag"]
    inner, inner_diags = content.blocks[0].body.content(INNER)
    assert list(inner_diags) == []
    value, value_diags = evaluate(inner.attributes["label"].expr, ctx)
    assert list(value_diags) == []
    assert not value.is_known


def test_labels_not_allowed_without_label_names() -> None:
    body = body_of('dynamic "tag" {\n  for_each = [1]\n  labels = ["x"]\n  content {}\n}\n')
    _content, diags = expand(body, context()).content(SCHEMA)
    assert [d.summary for d in diags] == ["Unsupported argument"]


def test_iterator_must_be_a_name() -> None:
    body = body_of('dynamic "tag" {\n  for_each = [1]\n  iterator = a.b\n  content {}\n}\n')
    _content, diags = expand(body, context()).content(SCHEMA)
    assert [d.summary for d in diags] == ["Invalid dynamic iterator name"]


def test_generated_block_ranges() -> None:
    body = body_of('dynamic "disk" {\n  for_each = ["a"]\n  labels = [disk.value]\n  content {}\n}\n')
    content, diags = expand(body, context()).content(SCHEMA)
    assert list(diags) == []
    block = content.blocks[0]
    assert (block.type_range.start.column, block.type_range.end.column) == (9, 15)
    assert (block.label_ranges[0].start.line, block.label_ranges[0].start.column) == (3, 13)


def test_just_attributes_keep_iterator_in_scope() -> None:
    body = body_of('dynamic "tag" {\n  for_each = ["v"]\n  content {\n    label = tag.value\n  }\n}\n')
    content, _diags = expand(body, context()).content(SCHEMA)
    attributes, attribute_diags = content.blocks[0].body.just_attributes()
    assert list(attribute_diags) == []
    value, value_diags = evaluate(attributes["label"].expr, context())
    assert list(value_diags) == []
    assert value.to_python() == "v"


def test_static_block_inside_dynamic_content() -> None:
    body = body_of(
        'dynamic "tag" {\n  for_each = ["v"]\n  content {\n    part {\n      label = tag.key\n    }\n  }\n}\n'
    )
    content, _diags = expand(body, context()).content(SCHEMA)
    inner, inner_diags = content.blocks[0].body.content(INNER)
    assert list(inner_diags) == []
    assert attribute_values(inner.blocks[0], context()) == {"label": 0}


def test_dynamic_block_in_json_syntax() -> None:
    from kiln.hcl.json import parse_json

    source = (
        b'{"dynamic": {"disk": {"for_each": "${[\\"a\\", \\"b\\"]}", "labels": ["${disk.value}"],'
        b' "content": {"size": "${disk.key}"}}}}'
    )
    file, parse_diags = parse_json(source, "test.pkr.json")
    assert list(parse_diags) == []
    content, diags = expand(file.body, context()).content(SCHEMA)
    assert list(diags) == []
    assert [block.labels for block in content.blocks] == [["a"], ["b"]]
    assert attribute_values(content.blocks[1], context()) == {"size": 1}


def test_sensitive_for_each_marks_iterator() -> None:
    ctx = EvalContext({"secrets": V.list_val([V.string_val("pw")]).mark(V.SENSITIVE)}, {})
    body = body_of('dynamic "tag" {\n  for_each = secrets\n  content {\n    label = tag.value\n  }\n}\n')
    content, diags = expand(body, ctx).content(SCHEMA)
    assert list(diags) == []
    inner, _inner_diags = content.blocks[0].body.content(INNER)
    value, value_diags = evaluate(inner.attributes["label"].expr, ctx)
    assert list(value_diags) == []
    assert V.SENSITIVE in value.marks
