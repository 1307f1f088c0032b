"""Import directions of the engine's packages: sdk below builtin below core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conformance import REPO_ROOT

SOURCE = REPO_ROOT / "src" / "kiln"

# Package -> the kiln packages its modules may import at run time.
ALLOWED = {
    "sdk": {"kiln.sdk", "kiln.hcl.diagnostics", "kiln.lang"},
    "sdk/testing": {"kiln.sdk"},
    "builtin": {"kiln.sdk", "kiln.communicator", "kiln.builtin", "kiln.hcl.diagnostics", "kiln.lang"},
}


def kiln_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return [name for name in names if name == "kiln" or name.startswith("kiln.")]


def _allowed(name: str, prefixes: set[str]) -> bool:
    # The package root holds only version constants, so every layer may import it.
    if name == "kiln":
        return True
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_lower_layers(package):
    violations = []
    for path in sorted((SOURCE / package).rglob("*.py")):
        if package == "sdk" and "testing" in path.relative_to(SOURCE / "sdk").parts:
            continue
        violations += [
            f"{path.relative_to(SOURCE)} imports {name}"
            for name in kiln_imports(path)
            if not _allowed(name, ALLOWED[package])
        ]
    assert violations == []
