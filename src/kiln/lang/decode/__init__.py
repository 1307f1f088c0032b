"""Schema-driven decoding of bodies into values (hcl's hcldec), and the `.hcldec` spec language.

spec = ObjectSpec({"name": AttrSpec("name", STRING, required=True)})
value, diags = decode(body, spec, EvalContext({}))
"""

from kiln.lang.decode.specfile import SpecFile, read_spec
from kiln.lang.decode.specs import (
    AttrSpec,
    BlockAttrsSpec,
    BlockLabelSpec,
    BlockListSpec,
    BlockMapSpec,
    BlockSetSpec,
    BlockSpec,
    BlockTupleSpec,
    DefaultSpec,
    LiteralSpec,
    ObjectSpec,
    Spec,
    TransformSpec,
    TupleSpec,
    decode,
    implied_schema,
    partial_decode,
    source_range,
    spec_variables,
)

__all__ = [
    "AttrSpec",
    "BlockAttrsSpec",
    "BlockLabelSpec",
    "BlockListSpec",
    "BlockMapSpec",
    "BlockSetSpec",
    "BlockSpec",
    "BlockTupleSpec",
    "DefaultSpec",
    "LiteralSpec",
    "ObjectSpec",
    "Spec",
    "SpecFile",
    "TransformSpec",
    "TupleSpec",
    "decode",
    "implied_schema",
    "partial_decode",
    "read_spec",
    "source_range",
    "spec_variables",
]
