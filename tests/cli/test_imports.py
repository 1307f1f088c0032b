"""What `kiln validate -syntax-only` and `import kiln.hcl` load.

Each check runs in a fresh interpreter, because this test process has imported everything.
The syntax-only check competes with Packer's start-up, so it must load the scanner, parser,
template loader and diagnostics, but not the evaluator, the plug-in layers or `logging`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TEMPLATE = """
variable "name" {
  type        = string
  default     = "web"
  description = "The image name"
}

variable "size" {
  type    = number
  default = 10
}

locals {
  label = "${var.name}-${upper("x")}"
}

source "null" "example" {
  communicator = "none"
}

build {
  sources = ["source.null.example"]

  provisioner "shell-local" {
    inline = ["echo ${local.label}"]
  }
}
"""

# Modules that only evaluation, planning and building need.
NOT_FOR_SYNTAX_ONLY = [
    "kiln.lang.eval",
    "kiln.lang.convert",
    "kiln.lang.functions",
    "kiln.lang.typeexpr",
    "kiln.cli.prepare",
    "kiln.core",
    "kiln.sdk",
    "kiln.builtin",
    "logging",
    # Standard modules that cost milliseconds of start-up and that the check does without.
    "dataclasses",
    "inspect",
    "pathlib",
]


def loaded_modules(code: str, cwd: Path) -> dict[str, Any]:
    """Run `code` in a new interpreter; return the `status` it sets and its sorted module names."""
    script = (
        "import contextlib, io, json, sys\n"
        f"{code}\n"
        "json.dump({'status': status, 'modules': sorted(sys.modules)}, sys.__stderr__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=True
    )
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_syntax_only_skips_evaluator(tmp_path: Path) -> None:
    (tmp_path / "build.pkr.hcl").write_text(TEMPLATE)
    code = (
        "from kiln.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    status = main(['validate', '-syntax-only', 'build.pkr.hcl'])"
    )

    loaded = loaded_modules(code, tmp_path)

    assert loaded["status"] == 0
    assert "kiln.hcl.syntax.parser" in loaded["modules"]
    assert "kiln.template.parser" in loaded["modules"]
    for name in NOT_FOR_SYNTAX_ONLY:
        assert name not in loaded["modules"], f"{name} was imported"


@pytest.mark.parametrize(
    "default",
    ['upper("web")', '["a", "b"]', '"${env("HOME")}"'],
    ids=["function-call", "tuple", "interpolation"],
)
def test_syntax_only_evaluates_other_defaults(tmp_path: Path, default: str) -> None:
    # Defaults that are not plain literals still go through the evaluator and its checks.
    (tmp_path / "build.pkr.hcl").write_text(f'variable "x" {{\n  default = {default}\n}}\n')
    code = (
        "from kiln.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    status = main(['validate', '-syntax-only', 'build.pkr.hcl'])"
    )

    loaded = loaded_modules(code, tmp_path)

    assert "kiln.lang.eval" in loaded["modules"]
    # Only `env` may be called in a variable default, as in Packer.
    assert loaded["status"] == (1 if default.startswith("upper") else 0)


def test_hcl_package_loads_parser_lazily(tmp_path: Path) -> None:
    code = "import kiln.hcl.diagnostics\nstatus = 0"

    loaded = loaded_modules(code, tmp_path)

    assert "kiln.hcl.diagnostics" in loaded["modules"]
    assert "kiln.hcl.syntax" not in loaded["modules"]
    assert "kiln.hcl.syntax.parser" not in loaded["modules"]


def test_hcl_lazy_exports_resolve() -> None:
    import kiln.hcl
    import kiln.template

    assert kiln.hcl.parse_config.__module__ == "kiln.hcl.syntax.parser"
    assert kiln.hcl.Body.__module__ == "kiln.hcl.schema"
    assert kiln.template.PackerConfig.__module__ == "kiln.template.config"
    with pytest.raises(AttributeError):
        kiln.hcl.no_such_name  # noqa: B018
