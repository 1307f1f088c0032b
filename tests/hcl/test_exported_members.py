"""The public names of kiln.hcl and kiln.hcl.syntax: sorted, importable, and all listed."""

from __future__ import annotations

import pytest

import kiln.hcl
import kiln.hcl.syntax


@pytest.mark.parametrize("module", [kiln.hcl, kiln.hcl.syntax], ids=lambda m: m.__name__)
def test_exports_are_sorted_and_importable(module: object) -> None:
    exported = module.__all__  # type: ignore[attr-defined]

    assert exported == sorted(exported)
    assert [name for name in exported if not hasattr(module, name)] == []


def test_expression_nodes_exported_at_top_level() -> None:
    nodes = [name for name in kiln.hcl.syntax.__all__ if name.endswith("Expr")]

    assert [name for name in nodes if name not in kiln.hcl.__all__] == []
