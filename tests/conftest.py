"""Shared fixtures: the optional conformance corpus and real SSH servers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# No per-example time limit: CI machines are shared, and a slow example is not a failure.
settings.register_profile("kiln", deadline=None)
settings.load_profile("kiln")

from conformance import REPO_ROOT, cases_of_kind, conformance_cases, conformance_dir  # noqa: F401

@pytest.fixture
def conformance() -> Path:
    folder = conformance_dir()
    if folder is None:
        pytest.skip("conformance corpus not found (set KILN_CONFORMANCE_DIR)")
    return folder


# Real SSH servers (OpenSSH sshd and dropbear) for communicator and builder tests.
from sshservers import dropbear_server, ssh_server, sshd_server  # noqa: E402, F401
