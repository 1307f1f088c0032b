"""hcldec-style specs decoding native bodies."""

from __future__ import annotations

from kiln.hcl.syntax.parser import parse_config
from kiln.lang import types as T
from kiln.lang import values as V
from kiln.lang.decode import (
    AttrSpec,
    BlockAttrsSpec,
    BlockListSpec,
    BlockMapSpec,
    BlockSetSpec,
    BlockSpec,
    DefaultSpec,
    LiteralSpec,
    ObjectSpec,
    TransformSpec,
    decode,
    read_spec,
    spec_variables,
)
from kiln.lang.eval import EvalContext


def body_of(source: str):
    file, diags = parse_config(source.encode(), "test.hcl")
    assert not diags.has_errors(), [d.summary for d in diags]
    return file.body


def expression(source: str):
    from kiln.hcl.syntax.parser import parse_expression

    expr, diags = parse_expression(source.encode(), "spec.hcl")
    assert not diags.has_errors()
    return expr


SPEC = ObjectSpec(
    {
        "name": AttrSpec("name", T.STRING, required=True),
        "port": DefaultSpec(AttrSpec("port", T.NUMBER), LiteralSpec(V.number_val(22))),
        "disks": BlockListSpec("disk", ObjectSpec({"size": AttrSpec("size", T.NUMBER)})),
        "nets": BlockMapSpec("net", ["id"], ObjectSpec({"cidr": AttrSpec("cidr", T.STRING)})),
        "boot": BlockSpec("boot", ObjectSpec({"wait": AttrSpec("wait", T.STRING)})),
        "tags": BlockAttrsSpec("tags", T.STRING),
        "zones": BlockSetSpec("zone", AttrSpec("id", T.STRING)),
    }
)


def test_decode_full_body() -> None:
    body = body_of(
        """
name = "vm"
disk {
  size = 10
}
disk {
  size = "20"
}
net "a" {
  cidr = "10.0.0.0/8"
}
boot {
  wait = "5s"
}
tags {
  env = "prod"
  tier = 3
}
zone {
  id = "z1"
}
"""
    )
    value, diags = decode(body, SPEC, EvalContext({}))
    assert list(diags) == []
    assert value.to_python() == {
        "name": "vm",
        "port": 22,
        "disks": [{"size": 10}, {"size": 20}],
        "nets": {"a": {"cidr": "10.0.0.0/8"}},
        "boot": {"wait": "5s"},
        "tags": {"env": "prod", "tier": "3"},
        "zones": ["z1"],
    }


def test_absent_parts_are_null_or_empty() -> None:
    value, diags = decode(body_of('name = "vm"\n'), SPEC, EvalContext({}))
    assert list(diags) == []
    assert value.get_attr("boot").is_null
    assert value.get_attr("disks").length_int() == 0
    assert value.get_attr("disks").type == T.ListType(T.ObjectType({"size": T.NUMBER}))
    assert value.get_attr("tags").is_null


def test_missing_required_argument() -> None:
    _value, diags = decode(body_of(""), SPEC, EvalContext({}))
    assert [d.summary for d in diags] == ["Missing required argument"]


def test_wrong_attribute_type() -> None:
    _value, diags = decode(body_of('name = "vm"\nport = "x"\n'), SPEC, EvalContext({}))
    assert [d.summary for d in diags] == ["Incorrect attribute value type"]
    assert diags[0].detail == 'Inappropriate value for attribute "port": a number is required.'
    assert (diags[0].subject.start.line, diags[0].subject.start.column) == (2, 8)


def test_duplicate_single_block() -> None:
    _value, diags = decode(body_of('name = "vm"\nboot {}\nboot {}\n'), SPEC, EvalContext({}))
    assert [d.summary for d in diags] == ["Duplicate boot block"]
    assert diags[0].subject.start.line == 3


def test_duplicate_block_map_key() -> None:
    _value, diags = decode(body_of('name = "vm"\nnet "a" {}\nnet "a" {}\n'), SPEC, EvalContext({}))
    assert [d.summary for d in diags] == ["Duplicate net block"]


def test_required_block_missing() -> None:
    spec = BlockSpec("boot", ObjectSpec({}), required=True)
    _value, diags = decode(body_of(""), spec, EvalContext({}))
    assert [d.summary for d in diags] == ["Missing boot block"]


def test_block_list_limits() -> None:
    spec = BlockListSpec("disk", ObjectSpec({}), min_items=1, max_items=2)
    _value, diags = decode(body_of(""), spec, EvalContext({}))
    assert [d.summary for d in diags] == ["Insufficient disk blocks"]
    _value, diags = decode(body_of("disk {}\ndisk {}\ndisk {}\n"), spec, EvalContext({}))
    assert [d.summary for d in diags] == ["Too many disk blocks"]
    assert diags[0].subject.start.line == 3


def test_transform() -> None:
    spec = TransformSpec(AttrSpec("n", T.NUMBER), expression("nested * 2"))
    value, _diags = decode(body_of("n = 4\n"), spec, EvalContext({}))
    assert value.to_python() == 8


def test_spec_variables() -> None:
    body = body_of("name = var.a\ndisk {\n  size = local.b + var.c\n}\n")
    roots = [t.root_name for t in spec_variables(body, SPEC)]
    assert roots == ["var", "local", "var"]


def test_read_spec_file() -> None:
    spec_file, diags = read_spec(
        body_of(
            """
variables {
  greeting = "hi"
}
object {
  attr "a" {
    type     = string
    required = true
  }
  block_map "b" {
    labels = ["k"]
    literal {
      value = 1
    }
  }
}
"""
        )
    )
    assert list(diags) == []
    assert spec_file.variables["greeting"].to_python() == "hi"
    value, diags = decode(
        body_of('a = greeting\nb "x" {}\n'), spec_file.spec, EvalContext(spec_file.variables)
    )
    assert list(diags) == []
    assert value.to_python() == {"a": "hi", "b": {"x": 1}}


def test_read_spec_file_needs_one_root() -> None:
    _spec_file, diags = read_spec(body_of("literal {\n  value = 1\n}\nliteral {\n  value = 2\n}\n"))
    assert [d.summary for d in diags] == ["Extraneous spec block"]
    _spec_file, diags = read_spec(body_of(""))
    assert [d.summary for d in diags] == ["Missing spec block"]


def test_block_list_unifies_dynamic_attributes() -> None:
    spec = BlockListSpec("b", AttrSpec("x", T.DYNAMIC))
    value, diags = decode(body_of('b {\n  x = 1\n}\nb {\n  x = "a"\n}\n'), spec, EvalContext({}))
    assert list(diags) == []
    assert value.type == T.ListType(T.STRING)
    assert value.to_python() == ["1", "a"]


def test_block_list_inconsistent_types() -> None:
    spec = BlockListSpec("b", AttrSpec("x", T.DYNAMIC))
    _value, diags = decode(body_of("b {\n  x = [1]\n}\nb {\n  x = {}\n}\n"), spec, EvalContext({}))
    assert [d.summary for d in diags] == ["Unconsistent argument types in b blocks"]


def test_block_tuple_keeps_types() -> None:
    from kiln.lang.decode import BlockTupleSpec

    spec = BlockTupleSpec("b", AttrSpec("x", T.DYNAMIC))
    value, diags = decode(body_of("b {\n  x = [1]\n}\nb {\n  x = {}\n}\n"), spec, EvalContext({}))
    assert list(diags) == []
    assert value.to_python() == [[1], {}]


def test_insufficient_blocks_points_at_body_start() -> None:
    spec = ObjectSpec({"d": BlockListSpec("disk", ObjectSpec({}), min_items=2)})
    _value, diags = decode(body_of("disk {}\n"), spec, EvalContext({}))
    assert [d.detail for d in diags] == ['At least 2 "disk" blocks are required.']
    assert (diags[0].subject.start.line, diags[0].subject.start.column) == (1, 1)


def test_partial_decode_leaves_the_rest() -> None:
    from kiln.hcl.schema import AttributeSchema, BodySchema
    from kiln.lang.decode import partial_decode

    body = body_of('name = "vm"\nextra = 1\n')
    value, remain, diags = partial_decode(
        body, ObjectSpec({"name": AttrSpec("name", T.STRING)}), EvalContext({})
    )
    assert list(diags) == []
    assert value.to_python() == {"name": "vm"}
    rest, rest_diags = remain.content(BodySchema(attributes=[AttributeSchema("extra")]))
    assert list(rest_diags) == []
    assert list(rest.attributes) == ["extra"]


SOURCE = """name = "vm"
disk {
  size = 10
}
disk {
  size = 20
}
net "a" {
  cidr = "10.0.0.0/8"
}
tags {
  env = "prod"
}
"""


def test_source_range_by_path() -> None:
    from kiln.lang.decode import source_range

    body = body_of(SOURCE)
    cases = {
        ("name",): (1, 8),
        ("disks", 1, "size"): (6, 10),
        ("nets", "a", "cidr"): (9, 10),
        ("tags", "env"): (12, 9),
    }
    for path, (line, column) in cases.items():
        found = source_range(body, SPEC, path)
        assert (found.start.line, found.start.column) == (line, column), path


def test_source_range_of_absent_part() -> None:
    from kiln.lang.decode import source_range

    body = body_of('name = "vm"\n')
    found = source_range(body, SPEC, ("boot", "wait"))
    assert found == body.missing_item_range()
