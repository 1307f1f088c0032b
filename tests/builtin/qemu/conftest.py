"""The tiny test image for QEMU boot tests, built once by scripts/build-test-image."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def test_image() -> Path:
    """Return the folder holding disk.qcow2, boot.iso and id_ed25519, building it when missing."""
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("qemu-system-x86_64 is not installed")
    result = subprocess.run(
        [str(REPO / "scripts" / "build-test-image")], capture_output=True, text=True, timeout=900, check=False
    )
    if result.returncode != 0:
        pytest.skip(f"scripts/build-test-image failed: {result.stderr.strip()[-500:]}")
    return Path(result.stdout.strip().splitlines()[-1])


def _kiln_argv() -> list[str]:
    installed = REPO / ".venv" / "bin" / "kiln"
    return [str(installed)] if installed.exists() else ["kiln"]


@pytest.fixture
def kiln_argv() -> list[str]:
    """The command that runs this checkout's kiln."""
    return _kiln_argv()


@pytest.fixture
def run_kiln(tmp_path: Path):
    """Run `kiln build` on a template text in tmp_path; return the completed process."""

    def run(template: str, *arguments: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        (tmp_path / "build.pkr.hcl").write_text(template)
        environment = {**os.environ, "PACKER_CACHE_DIR": str(tmp_path / "cache")}
        return subprocess.run(
            [*_kiln_argv(), "build", *arguments, "."],
            cwd=tmp_path, capture_output=True, text=True, timeout=timeout, env=environment, check=False,
        )  # fmt: skip

    return run
