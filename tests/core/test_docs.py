"""The component reference pages in docs/ match the config dataclasses."""

from __future__ import annotations

import pytest

from conformance import REPO_ROOT
from kiln.core.docs import generate, hcl_type, outdated_pages
from kiln.core.registry import ComponentKind, lookup, type_names
from kiln.sdk.config import Duration, config_fields

DOCS = REPO_ROOT / "docs"


def test_pages_are_current():
    stale = [str(path.relative_to(REPO_ROOT)) for path in outdated_pages(DOCS)]
    assert stale == [], "regenerate with `python -m kiln.core.docs docs`"


def test_every_component_has_a_page():
    pages = generate(DOCS)
    assert DOCS / "provisioners" / "shell.md" in pages
    assert DOCS / "post-processors" / "manifest.md" in pages
    assert DOCS / "builders" / "null.md" in pages


@pytest.mark.parametrize("kind", list(ComponentKind))
def test_every_option_documented(kind):
    undocumented = []
    for name in type_names(kind):
        component = lookup(kind, name)
        if component is None:
            continue
        undocumented += [
            f"{name}.{item.name}" for item in config_fields(component.config_class) if not item.info.doc
        ]
    assert undocumented == []


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (str, "string"),
        (list[str], "list(string)"),
        (dict[str, str], "map(string)"),
        (Duration | None, "duration"),
        (bool | None, "bool"),
        (list[int], "list(number)"),
    ],
)
def test_hcl_type_names(annotation, expected):
    assert hcl_type(annotation) == expected
