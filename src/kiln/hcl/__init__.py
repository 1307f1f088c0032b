"""HCL for kiln: diagnostics, the body schema interface, and the native syntax parser.

Stdlib only. The native syntax lives in `kiln.hcl.syntax`; its expression nodes and parse
functions are re-exported here. `Attribute`, `Block`, `Body` and `Expression` at this level are
the syntax-independent schema types that both the native and the JSON syntax produce.

    file, diags = kiln.hcl.parse_config(source, "main.pkr.hcl")
    content, more = file.body.content(BodySchema(attributes=[AttributeSchema("name")]))

Names are imported on first use (PEP 562 module `__getattr__`), so importing one submodule,
such as `kiln.hcl.diagnostics`, does not load the parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiln.hcl.diagnostics import (
        Diagnostic,
        Diagnostics,
        DiagnosticsError,
        Pos,
        Range,
        Severity,
        SourceFiles,
        did_you_mean,
        render_diagnostic,
        render_diagnostics,
    )
    from kiln.hcl.schema import (
        Attribute,
        AttributeSchema,
        Block,
        BlockHeaderSchema,
        Body,
        BodyContent,
        BodySchema,
        Expression,
    )
    from kiln.hcl.syntax import (
        AnonSymbolExpr,
        BinaryOpExpr,
        ConditionalExpr,
        ExprSyntaxError,
        File,
        ForExpr,
        FunctionCallExpr,
        IndexExpr,
        LiteralValueExpr,
        ObjectConsExpr,
        ObjectConsItem,
        ObjectConsKeyExpr,
        Operation,
        ParenthesesExpr,
        RelativeTraversalExpr,
        ScopeTraversalExpr,
        SplatExpr,
        TemplateExpr,
        TemplateJoinExpr,
        TemplateWrapExpr,
        Traversal,
        TraverseAttr,
        TraverseIndex,
        TraverseRoot,
        TraverseSplat,
        TupleConsExpr,
        UnaryOpExpr,
        parse_config,
        parse_expression,
        parse_template,
        parse_traversal_abs,
    )

_LAZY_EXPORTS = {
    "AnonSymbolExpr": "kiln.hcl.syntax",
    "Attribute": "kiln.hcl.schema",
    "AttributeSchema": "kiln.hcl.schema",
    "BinaryOpExpr": "kiln.hcl.syntax",
    "Block": "kiln.hcl.schema",
    "BlockHeaderSchema": "kiln.hcl.schema",
    "Body": "kiln.hcl.schema",
    "BodyContent": "kiln.hcl.schema",
    "BodySchema": "kiln.hcl.schema",
    "ConditionalExpr": "kiln.hcl.syntax",
    "Diagnostic": "kiln.hcl.diagnostics",
    "Diagnostics": "kiln.hcl.diagnostics",
    "DiagnosticsError": "kiln.hcl.diagnostics",
    "ExprSyntaxError": "kiln.hcl.syntax",
    "Expression": "kiln.hcl.schema",
    "File": "kiln.hcl.syntax",
    "ForExpr": "kiln.hcl.syntax",
    "FunctionCallExpr": "kiln.hcl.syntax",
    "IndexExpr": "kiln.hcl.syntax",
    "LiteralValueExpr": "kiln.hcl.syntax",
    "ObjectConsExpr": "kiln.hcl.syntax",
    "ObjectConsItem": "kiln.hcl.syntax",
    "ObjectConsKeyExpr": "kiln.hcl.syntax",
    "Operation": "kiln.hcl.syntax",
    "ParenthesesExpr": "kiln.hcl.syntax",
    "Pos": "kiln.hcl.diagnostics",
    "Range": "kiln.hcl.diagnostics",
    "RelativeTraversalExpr": "kiln.hcl.syntax",
    "ScopeTraversalExpr": "kiln.hcl.syntax",
    "Severity": "kiln.hcl.diagnostics",
    "SourceFiles": "kiln.hcl.diagnostics",
    "SplatExpr": "kiln.hcl.syntax",
    "TemplateExpr": "kiln.hcl.syntax",
    "TemplateJoinExpr": "kiln.hcl.syntax",
    "TemplateWrapExpr": "kiln.hcl.syntax",
    "Traversal": "kiln.hcl.syntax",
    "TraverseAttr": "kiln.hcl.syntax",
    "TraverseIndex": "kiln.hcl.syntax",
    "TraverseRoot": "kiln.hcl.syntax",
    "TraverseSplat": "kiln.hcl.syntax",
    "TupleConsExpr": "kiln.hcl.syntax",
    "UnaryOpExpr": "kiln.hcl.syntax",
    "did_you_mean": "kiln.hcl.diagnostics",
    "parse_config": "kiln.hcl.syntax",
    "parse_expression": "kiln.hcl.syntax",
    "parse_template": "kiln.hcl.syntax",
    "parse_traversal_abs": "kiln.hcl.syntax",
    "render_diagnostic": "kiln.hcl.diagnostics",
    "render_diagnostics": "kiln.hcl.diagnostics",
}

__all__ = [
    "AnonSymbolExpr",
    "Attribute",
    "AttributeSchema",
    "BinaryOpExpr",
    "Block",
    "BlockHeaderSchema",
    "Body",
    "BodyContent",
    "BodySchema",
    "ConditionalExpr",
    "Diagnostic",
    "Diagnostics",
    "DiagnosticsError",
    "ExprSyntaxError",
    "Expression",
    "File",
    "ForExpr",
    "FunctionCallExpr",
    "IndexExpr",
    "LiteralValueExpr",
    "ObjectConsExpr",
    "ObjectConsItem",
    "ObjectConsKeyExpr",
    "Operation",
    "ParenthesesExpr",
    "Pos",
    "Range",
    "RelativeTraversalExpr",
    "ScopeTraversalExpr",
    "Severity",
    "SourceFiles",
    "SplatExpr",
    "TemplateExpr",
    "TemplateJoinExpr",
    "TemplateWrapExpr",
    "Traversal",
    "TraverseAttr",
    "TraverseIndex",
    "TraverseRoot",
    "TraverseSplat",
    "TupleConsExpr",
    "UnaryOpExpr",
    "did_you_mean",
    "parse_config",
    "parse_expression",
    "parse_template",
    "parse_traversal_abs",
    "render_diagnostic",
    "render_diagnostics",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = __import__(module_name, fromlist=[name])
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_EXPORTS])
