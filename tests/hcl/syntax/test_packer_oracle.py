"""Compare syntax errors with Packer 1.6.6's `validate -syntax-only`, when it is installed.

For each broken template, kiln's first error must have Packer's summary and start on the line
Packer names. kiln may report more errors after it, because it resumes at the next body item
where hclsyntax stays quiet for the rest of the file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiln.hcl.syntax import parse_config

pytestmark = [
    pytest.mark.packer,
    pytest.mark.skipif(shutil.which("packer") is None, reason="packer is not installed"),
]

BROKEN = {
    "bare-word": b'variable "a" {}\ninvalid\n',
    "missing-value": b"locals {\n  a =\n}\n",
    "unclosed-block": b'variable "a" {\n  default = 1\n',
    "unclosed-string": b'locals {\n  a = "x\n}\n',
    "redefined": b"locals {\n  a = 1\n  a = 2\n}\n",
    "missing-newline": b"locals {\n  a = 1 b = 2\n}\n",
    "comma": b'locals {\n  a = "x", b = 1\n}\n',
    "tuple-separator": b"locals {\n  a = [1 2]\n}\n",
    "call-separator": b"locals {\n  a = max(1 2)\n}\n",
    "object-separator": b"locals {\n  a = { b 1 }\n}\n",
    "interpolation-extra": b'locals {\n  a = "${b c}"\n}\n',
    "bad-directive": b'locals {\n  a = "%{ iff x }y%{ endif }"\n}\n',
    "missing-endif": b'locals {\n  a = "%{ if x }y"\n}\n',
    "single-quote": b"locals {\n  a = 'x'\n}\n",
    "bitwise": b"locals {\n  a = 1 & 2\n}\n",
    "block-equals": b'source "null" "a" = {\n}\n',
    "nested-single-line": b'source "null" "a" { b {} }\n',
    "legacy-index": b"locals {\n  a = b.0.1\n}\n",
    "unterminated-heredoc": b"locals {\n  a = <<EOF\n  x\n}\n",
    "bad-escape": b'locals {\n  a = "\\q"\n}\n',
    "bad-utf8": b'locals {\n  a = "\xff"\n}\n',
}

VALID = {
    "heredocs": b'locals {\n  a = <<-EOT\n    x ${upper("y")}\n    %{ for v in [1] ~}\n    ${v}\n    %{ endfor ~}\n  EOT\n  b = <<EOF\nEOF\n}\n',
    "splats": b"locals {\n  l = [{ a = 1 }]\n  a = local.l[*].a\n  b = local.l.*.a\n  c = local.l.0.a\n}\n",
    "comments": b"# a\nlocals { # b\n  /* c */ a = 1 // d\n  b = [ # e\n    1, # f\n  ]\n}\n",
    "crlf-and-tabs": b"locals {\r\n\ta = 1\r\n\tb = {\r\n\t\tc = 2\r\n\t}\r\n}\r\n",
    "operators": b'locals {\n  a = !true || 1 + 2 * 3 % 4 - -5 >= 6 && "x" != "y" ? {} : { k = 1 }\n}\n',
    "for-expressions": b'locals {\n  a = { for k, v in { x = 1 } : upper(k) => v... if v > 0 }\n  b = [for s in ["a"] : s]\n}\n',
    "dashed-names": b'variable "a-b" {\n  default = "x"\n}\nlocals {\n  c-d = var.a-b\n}\n',
    "escapes": b'locals {\n  a = "$${x} %%{y} \\u00e9 \\" \\\\"\n}\n',
    "single-line-blocks": b'source "null" "a" { communicator = "none" }\nbuild { sources = ["source.null.a"] }\n',
}

# Cases where Packer 1.6.6's older HCL words the error differently from current HCL, which kiln
# follows.
NEWER_HCL = {
    "unclosed-block": (
        "current HCL reports 'Unclosed configuration block' at the opening brace, as its spec suite"
        " expects; Packer 1.6.6 reports 'Argument or block definition required' at the end of the file"
    ),
}


def packer_first_error(template: Path) -> tuple[str, int]:
    result = subprocess.run(
        ["packer", "validate", "-syntax-only", template.name],
        cwd=template.parent,
        check=False,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=60,
    )
    output = result.stdout + result.stderr
    summary = re.search(r"^Error: (.+)$", output, re.MULTILINE)
    line = re.search(r"^  on \S+ line (\d+)", output, re.MULTILINE)
    assert result.returncode != 0, output
    assert summary is not None and line is not None, output
    return summary.group(1), int(line.group(1))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name, marks=[pytest.mark.xfail(strict=True, reason=NEWER_HCL[name])] if name in NEWER_HCL else []
        )
        for name in BROKEN
    ],
)
def test_first_error_matches_packer(name: str, tmp_path: Path) -> None:
    template = tmp_path / "broken.pkr.hcl"
    template.write_bytes(BROKEN[name])

    _, diags = parse_config(BROKEN[name], "broken.pkr.hcl")
    errors = [d for d in diags if d.is_error and d.subject is not None]

    assert errors, "kiln found no error"
    assert (errors[0].summary, errors[0].subject.start.line) == packer_first_error(template)


@pytest.mark.parametrize("name", list(VALID))
def test_valid_template_accepted_like_packer(name: str, tmp_path: Path) -> None:
    template = tmp_path / "valid.pkr.hcl"
    template.write_bytes(VALID[name])

    _, diags = parse_config(VALID[name], "valid.pkr.hcl")
    result = subprocess.run(
        ["packer", "validate", "-syntax-only", template.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert [d.summary for d in diags] == []
