"""Parse every native-syntax file of the Packer and HCL fixture corpora.

Every file must parse without a Python exception. The files that HCL or Packer reject for
their syntax must fail with the diagnostic and exact range their own tests expect. Every other
file must parse without errors. The HCL spec suite's expected results are checked where they
need no evaluation beyond literals and variable substitution.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conformance import cases_of_kind, conformance_dir
from kiln.hcl.schema import AttributeSchema, BodySchema
from kiln.hcl.syntax import (
    Expression,
    LiteralValueExpr,
    ObjectConsExpr,
    ScopeTraversalExpr,
    TemplateExpr,
    TemplateWrapExpr,
    parse_config,
)

CORPORA = ("packer-hcl2template", "packer-command", "hcl-specsuite")
SPEC_SUFFIXES = (".hcl", ".hcldec", ".t")

# Files whose syntax HCL or Packer reject: summary and (start, end) as (line, column, byte).
SYNTAX_ERRORS: dict[str, list[tuple[str, tuple[int, int, int], tuple[int, int, int]]]] = {
    "packer-command/test-fixtures/fmt_errs/malformed.pkr.hcl": [
        ("Argument or block definition required", (5, 1, 38), (5, 8, 45)),
    ],
    "packer-hcl2template/testdata/init/duplicate_required_plugins/packer.pkr.hcl": [
        ("Attribute redefined", (8, 9, 152), (8, 15, 158)),
    ],
}


def corpus_files() -> list[Any]:
    folder = conformance_dir()
    if folder is None:
        return [
            pytest.param(
                None, id="corpus-absent", marks=pytest.mark.skip(reason="conformance corpus not found")
            )
        ]
    params = []
    for corpus in CORPORA:
        for path in sorted((folder / corpus).rglob("*")):
            wanted = path.suffix in SPEC_SUFFIXES if corpus == "hcl-specsuite" else path.name.endswith(".hcl")
            if wanted and path.is_file():
                relative = path.relative_to(folder).as_posix()
                params.append(pytest.param(path, id=relative, marks=pytest.mark.conformance))
    return params


def specsuite_syntax_errors() -> dict[str, list]:
    """Return the spec suite's expected parse errors by input file (relative to the corpus)."""
    expected = {}
    for case in cases_of_kind("specsuite"):
        diagnostics = case["expect"].get("diagnostics")
        # The "unexpected" case fails while decoding against its spec, not while parsing.
        if diagnostics and not case["id"].endswith(".unexpected"):
            key = f"{case['root']}/{case['inputs'][0]}"
            expected[key] = [(d["range"]["from"], d["range"]["to"]) for d in diagnostics]
    return expected


@pytest.mark.parametrize("path", corpus_files())
def test_corpus_file_parses(path: Path) -> None:
    folder = conformance_dir()
    assert folder is not None
    relative = path.relative_to(folder).as_posix()

    _, diags = parse_config(path.read_bytes(), relative)

    errors = [d for d in diags if d.is_error]
    got = [(d.summary, tuple(d.subject.start), tuple(d.subject.end)) for d in errors if d.subject]
    if relative in SYNTAX_ERRORS:
        assert got == SYNTAX_ERRORS[relative]
    elif relative in specsuite_syntax_errors():
        expected = specsuite_syntax_errors()[relative]
        got_ranges = [(d.subject.start, d.subject.end) for d in errors if d.subject]
        want_ranges = [
            ((start["line"], start["column"], start["byte"]), (end["line"], end["column"], end["byte"]))
            for start, end in expected
        ]
        assert [(tuple(s), tuple(e)) for s, e in got_ranges] == want_ranges
    else:
        assert got == []


def test_specsuite_unexpected_attribute(conformance: Path) -> None:
    source = (conformance / "hcl-specsuite/tests/structure/attributes/unexpected.hcl").read_bytes()
    file, parse_diags = parse_config(source, "unexpected.hcl")
    schema = BodySchema(attributes=[AttributeSchema("a"), AttributeSchema("b"), AttributeSchema("d")])

    _, diags = file.body.content(schema)

    assert list(parse_diags) == []
    assert [(d.summary, d.subject) for d in diags if d.subject] == [
        ("Unsupported argument", _range("unexpected.hcl", (3, 1, 28), (3, 2, 29)))
    ]


def _range(filename: str, start: tuple[int, int, int], end: tuple[int, int, int]) -> Any:
    from kiln.hcl.diagnostics import Pos, Range

    return Range(filename, Pos(*start), Pos(*end))


# Spec suite values ---------------------------------------------------------------------------

HEREDOC_VARIABLES = {"bar": "Bar", "space_bar": "  Bar"}


def render(expr: Expression, variables: dict[str, str]) -> Any:
    """Evaluate the literal, template and object expressions the spec suite's value cases use."""
    if isinstance(expr, LiteralValueExpr):
        return expr.value
    if isinstance(expr, TemplateExpr):
        return "".join(str(render(part, variables)) for part in expr.parts)
    if isinstance(expr, TemplateWrapExpr):
        return render(expr.wrapped, variables)
    if isinstance(expr, ScopeTraversalExpr) and len(expr.traversal) == 1:
        return variables[expr.traversal.root_name]
    if isinstance(expr, ObjectConsExpr):
        return {item.key_expr.as_literal_name(): render(item.value_expr, variables) for item in expr.items}
    raise AssertionError(f"the test renderer does not handle {type(expr).__name__}")


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("case_id", "variables"),
    [
        pytest.param("spec.expressions.heredoc", HEREDOC_VARIABLES, id="heredoc"),
        pytest.param("spec.structure.attributes.expected", {}, id="attributes-expected"),
        pytest.param("spec.expressions.primitive_literals", {}, id="primitive-literals"),
    ],
)
def test_specsuite_values(conformance: Path, case_id: str, variables: dict[str, str]) -> None:
    (case,) = [case for case in cases_of_kind("specsuite") if case["id"] == case_id]
    source = (conformance / case["root"] / case["inputs"][0]).read_bytes()

    file, diags = parse_config(source, case["inputs"][0])
    values = {name: render(attribute.expr, variables) for name, attribute in file.body.attributes.items()}

    assert list(diags) == []
    assert values == {name: _expected_value(value) for name, value in case["expect"]["result"].items()}


def _expected_value(value: Any) -> Any:
    """Convert a transcribed JSON value to what the parser yields: numbers become Decimals."""
    if isinstance(value, dict) and "$number" in value:
        return Decimal(value["$number"])
    if isinstance(value, float | int) and not isinstance(value, bool):
        return Decimal(str(value))
    return value
