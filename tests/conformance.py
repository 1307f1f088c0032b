"""The optional conformance corpus (Packer's and HCL's own test fixtures) and its cases.

A plain module rather than conftest.py, so test modules import it by a name that no other
folder's conftest.py shadows.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def conformance_dir() -> Path | None:
    """Return the folder of Packer's and HCL's test fixtures, or None when it is absent."""
    configured = os.environ.get("KILN_CONFORMANCE_DIR")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO_ROOT.parent / "shared" / "conformance")
    for candidate in candidates:
        if (candidate / "expectations.json").is_file():
            return candidate
    return None


@cache
def conformance_cases() -> list[dict]:
    folder = conformance_dir()
    if folder is None:
        return []
    return json.loads((folder / "expectations.json").read_text())["cases"]


def cases_of_kind(kind: str, **fields: str) -> list[dict]:
    """Return conformance cases of `kind` whose top-level fields equal `fields`."""
    return [
        case
        for case in conformance_cases()
        if case["kind"] == kind and all(case.get(key) == value for key, value in fields.items())
    ]
