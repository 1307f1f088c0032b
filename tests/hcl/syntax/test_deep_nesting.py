"""Templates nested a thousand levels deep: parsed, evaluated and validated without a traceback.

hclsyntax has no nesting limit, and kiln's parser accepts up to MAX_NESTING levels by raising
Python's recursion limit while it parses. The `kiln` command raises it for evaluation too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiln.hcl.syntax import TupleConsExpr, parse_config, parse_expression
from kiln.hcl.syntax.ast import ParenthesesExpr

DEPTH = 1_000


def test_nested_parentheses_parse() -> None:
    expr, diags = parse_expression(b"(" * DEPTH + b"1" + b")" * DEPTH, "deep.hcl")

    assert diags == []
    levels = 0
    while isinstance(expr, ParenthesesExpr):
        expr = expr.expression
        levels += 1
    assert levels == DEPTH


def test_nested_blocks_parse() -> None:
    src = b"".join(b"level {\n" for _ in range(DEPTH)) + b"value = [1]\n" + b"}\n" * DEPTH

    file, diags = parse_config(src, "deep.hcl")

    assert diags == []
    body = file.body
    for _ in range(DEPTH):
        assert [block.type for block in body.blocks] == ["level"]
        body = body.blocks[0].body
    assert isinstance(body.attributes["value"].expr, TupleConsExpr)


def test_parse_restores_recursion_limit() -> None:
    before = sys.getrecursionlimit()

    parse_expression(b"(" * DEPTH + b"1" + b")" * DEPTH, "deep.hcl")

    assert sys.getrecursionlimit() == before


def run_kiln(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiln", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_validate_evaluates_nested_local(tmp_path: Path) -> None:
    nested = "(" * DEPTH + '"deep"' + ")" * DEPTH
    (tmp_path / "deep.pkr.hcl").write_text(
        f"locals {{\n  deep = {nested}\n}}\n\n"
        'source "null" "example" {\n  communicator = "none"\n}\n\n'
        'build {\n  sources = ["source.null.example"]\n\n'
        '  provisioner "shell-local" {\n    inline = ["echo ${local.deep}"]\n  }\n}\n'
    )

    result = run_kiln(["validate", "deep.pkr.hcl"], tmp_path)

    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == "The configuration is valid."
    assert result.returncode == 0


def test_syntax_only_accepts_nested_blocks(tmp_path: Path) -> None:
    blocks = "".join("  level {\n" for _ in range(DEPTH)) + "  value = 1\n" + "  }\n" * DEPTH
    (tmp_path / "deep.pkr.hcl").write_text(f'source "null" "example" {{\n{blocks}}}\n')

    result = run_kiln(["validate", "-syntax-only", "deep.pkr.hcl"], tmp_path)

    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == "Syntax-only check passed. Everything looks okay."
    assert result.returncode == 0
