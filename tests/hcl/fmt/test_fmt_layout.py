"""The formatter against hand-written cases, Packer's fmt fixtures and `packer fmt` itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import cases_of_kind, conformance_dir

from kiln.hcl.fmt import format_hcl, format_source, unified_diff

LAYOUT_CASES = {
    "spaces around equals": (b"a=1\n", b"a = 1\n"),
    "aligned equals in a run": (b"a = 1\nlong_name = 2\n", b"a         = 1\nlong_name = 2\n"),
    "blank line ends a run": (b"a = 1\n\nlong_name = 2\n", b"a = 1\n\nlong_name = 2\n"),
    "block line ends a run": (
        b"a = 1\nb {\nlong_name = 2\n}\n",
        b"a = 1\nb {\n  long_name = 2\n}\n",
    ),
    "nested indentation": (
        b"a {\nb {\nc = 1\n}\n}\n",
        b"a {\n  b {\n    c = 1\n  }\n}\n",
    ),
    "tabs become spaces": (b"\ta\t=\t1\n", b"a = 1\n"),
    "trailing spaces dropped": (b"a = 1   \n", b"a = 1\n"),
    "aligned trailing comments": (
        b"a = 1 # one\nbbb = 22 // two\n",
        b"a   = 1  # one\nbbb = 22 // two\n",
    ),
    "whole-line comment indented": (b"a {\n# note\n}\n", b"a {\n  # note\n}\n"),
    "list spacing": (b'x = [ "a" , "b" ]\n', b'x = ["a", "b"]\n'),
    "call spacing": (b"x = max( 1 ,2 )\n", b"x = max(1, 2)\n"),
    "traversal spacing": (b"x = var . a [ 0 ] . b\n", b"x = var.a[0].b\n"),
    "braces keep inner spaces": (b"x = {a=1}\n", b"x = { a = 1 }\n"),
    "empty braces closed up": (b"x = { }\nb { }\n", b"x = {}\nb {}\n"),
    "negation after equals": (b"x = - 1\n", b"x = -1\n"),
    "subtraction spaced": (b"x = a -1\n", b"x = a - 1\n"),
    "negation after operator": (b"x = a * - 1\n", b"x = a * -1\n"),
    "bang closed up": (b"x = ! a\n", b"x = !a\n"),
    "for expression keeps in": (b"x = [for v in [1]: v]\n", b"x = [for v in [1] : v]\n"),
    "conditional spaced": (b"x = a?b:c\n", b"x = a ? b : c\n"),
    "template interpolation closed up": (b'x = "${ a }-${b}"\n', b'x = "${a}-${b}"\n'),
    "object in interpolation spaced": (b'x = "${{a=1}}"\n', b'x = "${ { a = 1 } }"\n'),
    "ellipsis closed up": (b"x = f(a ...)\n", b"x = f(a...)\n"),
    "heredoc body kept": (
        b"x    =   <<EOT\n   keep  ${ a }  this\nEOT\ny = 1\n",
        b"x = <<EOT\n   keep  ${a}  this\nEOT\ny = 1\n",
    ),
    "indented heredoc marker kept": (
        b"a {\nx = <<-EOT\n    body\n    EOT\n}\n",
        b"a {\n  x = <<-EOT\n    body\n    EOT\n}\n",
    ),
    "multi-line expression not aligned": (
        b"a = 1\nlong = [\n1,\n]\n",
        b"a = 1\nlong = [\n  1,\n]\n",
    ),
    "crlf newlines kept": (b"a=1\r\nbb=2\r\n", b"a  = 1\r\nbb = 2\r\n"),
    "no final newline": (b"a=1", b"a = 1"),
    "spaces at end of file kept": (b"a = 1\n   ", b"a = 1\n   "),
    "wide characters aligned": ('"ä" = 1\nbb = 2\n'.encode(), '"ä" = 1\nbb  = 2\n'.encode()),
    "empty file": (b"", b""),
}


@pytest.mark.parametrize(("source", "expected"), LAYOUT_CASES.values(), ids=LAYOUT_CASES.keys())
def test_layout(source: bytes, expected: bytes) -> None:
    assert format_hcl(source) == expected


@pytest.mark.parametrize(("source", "expected"), LAYOUT_CASES.values(), ids=LAYOUT_CASES.keys())
def test_layout_idempotent(source: bytes, expected: bytes) -> None:
    assert format_hcl(expected) == expected


def test_byte_order_mark_dropped() -> None:
    # hclsyntax skips a UTF-8 byte order mark at the start, so Packer's fmt drops it.
    formatted, diagnostics = format_source(b"\xef\xbb\xbfa =1\n")

    assert formatted == b"a = 1\n"
    assert list(diagnostics) == []


def test_byte_order_mark_inside_rejected() -> None:
    formatted, diagnostics = format_source(b"a = 1\n\xef\xbb\xbfb = 2\n")

    assert formatted == b""
    assert diagnostics.has_errors()


def test_format_source_returns_layout() -> None:
    formatted, diagnostics = format_source(b"a =1\n", "main.pkr.hcl")

    assert formatted == b"a = 1\n"
    assert not diagnostics.has_errors()


def test_format_source_rejects_bad_utf8() -> None:
    formatted, diagnostics = format_source(b"a = \xff\n", "main.pkr.hcl")

    assert formatted == b""
    assert diagnostics.has_errors()
    assert diagnostics[0].subject is not None
    assert diagnostics[0].subject.filename == "main.pkr.hcl"


@pytest.mark.conformance
def test_format_source_rejects_syntax_error(conformance: Path) -> None:
    source = (conformance / "packer-command/test-fixtures/fmt_errs/malformed.pkr.hcl").read_bytes()

    formatted, diagnostics = format_source(source, "malformed.pkr.hcl")

    assert formatted == b""
    assert any("An argument or block definition is required here." in d.detail for d in diagnostics)


# Conformance: the golden pair, the fmt command fixtures and the inline stdin cases.


@pytest.mark.conformance
def test_golden_unformatted_to_formatted(conformance: Path) -> None:
    folder = conformance / "packer-hcl2template/testdata/format"
    source = (folder / "unformatted.pkr.hcl").read_bytes()

    formatted, diagnostics = format_source(source, "unformatted.pkr.hcl")

    assert not diagnostics.has_errors()
    assert formatted == (folder / "formatted.pkr.hcl").read_bytes()


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("name", "needs_format"),
    [
        ("packer-command/test-fixtures/fmt/formatted.pkr.hcl", False),
        ("packer-command/test-fixtures/fmt/unformatted.pkr.hcl", True),
        ("packer-command/test-fixtures/fmt/unformatted.pkrvars.hcl", True),
        ("packer-command/test-fixtures/fmt/unformatted.auto.pkrvars.hcl", True),
        ("packer-hcl2template/testdata/format/formatted.pkr.hcl", False),
        ("packer-hcl2template/testdata/format/unformatted.pkr.hcl", True),
        ("packer-hcl2template/testdata/format/unformatted.pkrvars.hcl", True),
    ],
)
def test_fixture_needs_format(conformance: Path, name: str, needs_format: bool) -> None:
    source = (conformance / name).read_bytes()

    formatted, diagnostics = format_source(source, name)

    assert not diagnostics.has_errors()
    assert (formatted != source) is needs_format


def _inline_cases() -> list[tuple[str, bytes, bytes]]:
    cases = []
    for case in cases_of_kind("cli"):
        if case["argv"][0] != "fmt":
            continue
        if "stdin" in case:
            cases.append((case["id"], case["stdin"].encode(), case["expect"]["stdout_equals"].encode()))
        created = case.get("setup", {}).get("create_files_in_tmpdir", {})
        expected = case["expect"].get("file_contents_in_tmpdir", {})
        for name, text in created.items():
            if name.endswith((".pkr.hcl", ".pkrvars.hcl")) and expected[name] != text:
                cases.append((f"{case['id']}:{name}", text.encode(), expected[name].encode()))
    return cases


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("source", "expected"), [c[1:] for c in _inline_cases()], ids=[c[0] for c in _inline_cases()]
)
def test_inline_fmt_case(source: bytes, expected: bytes) -> None:
    assert format_source(source)[0] == expected


@pytest.mark.conformance
def test_diff_header_covers_whole_file(conformance: Path) -> None:
    source = (conformance / "packer-hcl2template/testdata/format/unformatted.pkr.hcl").read_bytes()
    path = "testdata/format/unformatted.pkr.hcl"

    diff = unified_diff(source, format_hcl(source), path)

    assert diff.startswith(f"--- old/{path}\n+++ new/{path}\n@@ -1,149 +1,149 @@\n".encode())


def _fixture_files() -> list[Path]:
    folder = conformance_dir()
    if folder is None:
        return []
    return sorted(
        p for p in folder.rglob("*") if p.name.endswith((".pkr.hcl", ".pkrvars.hcl")) and p.is_file()
    )


def _fixture_id(path: Path) -> str:
    folder = conformance_dir()
    return str(path.relative_to(folder)) if folder else path.name


@pytest.mark.conformance
@pytest.mark.parametrize("path", _fixture_files(), ids=_fixture_id)
def test_fixture_idempotent(path: Path) -> None:
    once = format_hcl(path.read_bytes())

    assert format_hcl(once) == once


# The live oracle: Packer 1.6.6 reads no stdin in `fmt`, so it formats a copy in place.


@pytest.mark.packer
@pytest.mark.skipif(shutil.which("packer") is None, reason="packer is not installed")
@pytest.mark.parametrize("path", _fixture_files(), ids=_fixture_id)
def test_matches_packer_fmt(path: Path, tmp_path: Path) -> None:
    suffix = ".pkrvars.hcl" if path.name.endswith(".pkrvars.hcl") else ".pkr.hcl"
    copy = tmp_path / f"input{suffix}"
    source = path.read_bytes()
    copy.write_bytes(source)
    result = subprocess.run(
        ["packer", "fmt", str(copy)], check=False, capture_output=True, timeout=60, env=_packer_env(tmp_path)
    )
    if result.returncode != 0:
        pytest.skip(f"packer cannot read this file: {result.stdout.decode(errors='replace').strip()[:200]}")

    formatted, diagnostics = format_source(source, path.name)

    assert not diagnostics.has_errors()
    assert formatted == copy.read_bytes()


def _packer_env(home: Path) -> dict[str, str]:
    return {**os.environ, "CHECKPOINT_DISABLE": "1", "HOME": str(home)}


@pytest.mark.packer
@pytest.mark.skipif(shutil.which("diff") is None, reason="diff is not installed")
def test_diff_matches_diff_tool(tmp_path: Path) -> None:
    old = b"a=1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nh = 8\ni=9"
    new = format_hcl(old)
    (tmp_path / "old").write_bytes(old)
    (tmp_path / "new").write_bytes(new)
    labels = ["--label=old/x.pkr.hcl", "--label=new/x.pkr.hcl"]

    expected = subprocess.run(
        ["diff", *labels, "-u", "old", "new"], check=False, capture_output=True, cwd=tmp_path
    ).stdout

    assert unified_diff(old, new, "x.pkr.hcl") == expected
