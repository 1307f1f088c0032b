"""Fuzz parsing, evaluation and formatting with mutated templates: only diagnostics, never a raise.

Seeds are the fixture corpora's `.hcl` files (when present), a few built-in templates and HCL
generated from a small grammar. Each example applies a few byte-level and token-level mutations, then runs every
function in `CHECKS` on the result: the parse's diagnostics and tokens, the other entry points,
schema reads, rendering, evaluation of every attribute and canonical formatting.

Run it longer with KILN_FUZZ_EXAMPLES=100000.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance import conformance_dir
from kiln.hcl.diagnostics import Diagnostic, Diagnostics, SourceFiles, render_diagnostic
from kiln.hcl.syntax import File, parse_config, parse_expression, parse_template, scan_config

EXAMPLES = int(os.environ.get("KILN_FUZZ_EXAMPLES", "10000"))


@dataclass(slots=True)
class FuzzCase:
    """One mutated input and what parsing it produced, handed to every check."""

    source: bytes
    file: File
    diags: Diagnostics


def check_diagnostics_are_well_formed(case: FuzzCase) -> None:
    size = len(case.file.bytes)
    for diagnostic in case.diags:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.summary
        for range_ in (diagnostic.subject, diagnostic.context):
            if range_ is None:
                continue
            assert 0 <= range_.start.byte <= range_.end.byte <= size, (diagnostic.summary, range_)
            assert range_.start.line <= range_.end.line


def check_tokens_cover_source(case: FuzzCase) -> None:
    source = case.file.bytes
    position = 0
    for token in scan_config(source, "fuzz.hcl"):
        assert source[position : token.range.start.byte].strip(b" \t") == b""
        assert source[token.range.start.byte : token.range.end.byte] == token.bytes
        position = token.range.end.byte
    assert position == len(source)


def check_other_entry_points(case: FuzzCase) -> None:
    for parse in (parse_expression, parse_template):
        _, diags = parse(case.source, "fuzz.hcl")
        assert all(isinstance(d, Diagnostic) for d in diags)


def check_body_reads(case: FuzzCase) -> None:
    from kiln.hcl.schema import AttributeSchema, BlockHeaderSchema, BodySchema

    schema = BodySchema(
        attributes=[AttributeSchema("name", required=True)],
        blocks=[BlockHeaderSchema("source", ("type", "name")), BlockHeaderSchema("build")],
    )
    case.file.body.content(schema)
    case.file.body.just_attributes()
    for block in case.file.body.blocks:
        block.body.partial_content(schema)
    for attribute in case.file.body.attributes.values():
        attribute.expr.variables()


def check_rendering(case: FuzzCase) -> None:
    sources = SourceFiles()
    sources.add("fuzz.hcl", case.file.bytes, case.file.context_string)
    for diagnostic in case.diags:
        assert render_diagnostic(diagnostic, sources).startswith(("Error: ", "Warning: "))


# Functions left out of evaluation: they read files, or can be made to allocate or compute
# without bound (`range(1e9)`, a high bcrypt cost), which is not what this test is about.
_UNSAFE_FUNCTIONS = {"range", "bcrypt", "file", "fileexists", "fileset", "filebase64", "templatefile"}


@cache
def _eval_context():
    from kiln.lang.eval import EvalContext
    from kiln.lang.functions import packer_functions
    from kiln.lang.types import DYNAMIC
    from kiln.lang.values import number_val, object_val, string_val, tuple_val, unknown_val

    functions = {name: f for name, f in packer_functions(".").items() if name not in _UNSAFE_FUNCTIONS}
    variables = {
        "var": object_val({"a": string_val("x"), "n": number_val(3), "l": tuple_val([number_val(1), string_val("b")])}),
        "local": object_val({"u": unknown_val(DYNAMIC)}),
    }
    return EvalContext(variables, functions)


def _attributes(body, depth: int = 0):
    """Yield every attribute of a native body and its nested blocks."""
    yield from body.attributes.values()
    if depth < 8:
        for block in body.blocks:
            yield from _attributes(block.body, depth + 1)


def check_evaluation(case: FuzzCase) -> None:
    from kiln.lang.eval import evaluate

    for attribute in _attributes(case.file.body):
        _, diags = evaluate(attribute.expr, _eval_context())
        for diagnostic in diags:
            assert isinstance(diagnostic, Diagnostic)


def check_formatting(case: FuzzCase) -> None:
    from kiln.hcl.fmt import format_hcl, format_source

    format_hcl(case.source)
    formatted, diags = format_source(case.source, "fuzz.hcl")
    assert bool(formatted) or diags.has_errors() or not case.source.strip()


# Checks run on every example, in order.
CHECKS: list[Callable[[FuzzCase], None]] = [
    check_diagnostics_are_well_formed,
    check_tokens_cover_source,
    check_other_entry_points,
    check_body_reads,
    check_rendering,
    check_evaluation,
    check_formatting,
]


# Seeds ---------------------------------------------------------------------------------------


@cache
def fixture_seeds() -> tuple[bytes, ...]:
    folder = conformance_dir()
    if folder is None:
        return ()
    paths = sorted(p for p in folder.rglob("*.hcl") if p.is_file())
    return tuple(p.read_bytes() for p in paths if p.stat().st_size < 20_000)


BUILTIN_SEEDS = (
    b'variable "a" {\n  type = string\n  default = "x"\n}\n',
    b'locals {\n  b = "${var.a}-${upper(var.a)}"\n  c = [for x in [1, 2] : x * 2 if x > 1]\n}\n',
    b'source "null" "x" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.x"]\n}\n',
    b"x = <<-EOF\n  a ${b}\n  %{ if c ~}\n  d\n  %{~ endif }\nEOF\n",
    b'y = { a = 1, "b" = [true, null], (c) = d[*].e }\nz = a ? -1 : !b.0.c\n',
)

NAMES = ["a", "b", "var", "local", "source", "build", "x-y", "é"]
LITERALS = ['"s"', '"${a}"', "1", "2.5e3", "true", "null", '"%{ if a }x%{ endif }"']


def generate_expression(rng: random.Random, depth: int = 0) -> str:
    """Return a random expression from a small grammar; depth bounds the nesting."""
    if depth > 3 or rng.random() < 0.3:
        return rng.choice(
            [rng.choice(LITERALS), rng.choice(NAMES), f"{rng.choice(NAMES)}.{rng.choice(NAMES)}[0]"]
        )
    inner = lambda: generate_expression(rng, depth + 1)
    forms = [
        lambda: f"{inner()} {rng.choice(['+', '*', '==', '&&', '<'])} {inner()}",
        lambda: f"[{inner()}, {inner()}]",
        lambda: f"{{ {rng.choice(NAMES)} = {inner()} }}",
        lambda: f"{rng.choice(NAMES)}({inner()})",
        lambda: f"{inner()} ? {inner()} : {inner()}",
        lambda: f"[for x in {inner()} : x]",
        lambda: f'"x${{{inner()}}}y"',
        lambda: f"<<-EOT\n  {inner()}\n  EOT\n",
    ]
    return rng.choice(forms)()


def generate_config(rng: random.Random, depth: int = 0) -> str:
    """Return a random body: attributes and labelled blocks, nested up to three levels."""
    items = []
    for _ in range(rng.randint(1, 4)):
        if depth < 3 and rng.random() < 0.4:
            labels = " ".join(rng.choice(['"null"', '"x"', "ident"]) for _ in range(rng.randint(0, 2)))
            items.append(f"{rng.choice(NAMES)} {labels} {{\n{generate_config(rng, depth + 1)}}}\n")
        else:
            items.append(f"{rng.choice(NAMES)} = {generate_expression(rng)}\n")
    return "".join(items)


# Mutations -----------------------------------------------------------------------------------

FRAGMENTS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b'"',
    b"${",
    b"%{",
    b"~}",
    b"}",
    b"\n",
    b"\r\n",
    b"<<EOF\n",
    b"<<-EOT\n",
    b"EOF",
    b"\\",
    b"\\u12",
    b"=",
    b"==",
    b",",
    b".",
    b"*",
    b"...",
    b"=>",
    b"?",
    b":",
    b"#",
    b"//",
    b"/*",
    b"*/",
    b"\t",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"'",
    b";",
    b"&",
    b"for",
    b"in",
    b"if",
    b"endif",
    b"endfor",
    b"else",
    b"0.1",
    b"-",
    b"!",
    b"\x00",
]


def mutate(rng: random.Random) -> bytes:
    """Pick a fixture or generated seed and apply one to four mutations to it."""
    seeds = fixture_seeds() + BUILTIN_SEEDS
    source = rng.choice(seeds) if rng.random() < 0.6 else generate_config(rng).encode()
    data = bytearray(source)
    for _ in range(rng.randint(1, 4)):
        position = rng.randint(0, len(data))
        action = rng.choice(["insert", "delete", "duplicate", "replace", "truncate", "repeat"])
        if action == "insert":
            data[position:position] = rng.choice(FRAGMENTS)
        elif action == "repeat":
            # Runs of openers and operators probe the parser's nesting limit.
            data[position:position] = rng.choice(FRAGMENTS) * rng.randint(20, 200)
        elif action == "delete":
            del data[position : position + rng.randint(1, 8)]
        elif action == "duplicate":
            data[position:position] = data[position : position + rng.randint(1, 16)]
        elif action == "replace" and position < len(data):
            data[position] = rng.randint(0, 255)
        elif action == "truncate":
            del data[position:]
    return bytes(data)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_mutated_templates_give_only_diagnostics(seed: int) -> None:
    # Hypothesis supplies only a seed: drawing whole documents through its strategies costs
    # several times more per example than parsing them. A failure still reports its seed.
    source = mutate(random.Random(seed))
    file, diags = parse_config(source, "fuzz.hcl")
    case = FuzzCase(source, file, diags)

    for check in CHECKS:
        check(case)
