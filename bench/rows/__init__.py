"""Shared types for benchmark rows: each module here defines `ROWS`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def kiln_command() -> list[str]:
    """Return the kiln entry point of this checkout's virtual environment."""
    return [str(REPO / ".venv" / "bin" / "kiln")]


def packer_command() -> list[str]:
    packer = shutil.which("packer")
    if packer is None:
        raise RuntimeError("packer is not installed (apt-get install packer)")
    return [packer]


@dataclass(frozen=True)
class Commands:
    """The two command lines to time; the baseline is Packer 1.6.6 unless a row names another tool."""

    kiln: list[str]
    baseline: list[str]
    env: dict[str, str] | None = None
    baseline_name: str = "packer"
    cleanup: Callable[[], None] | None = None  # stops servers the row started
    between_runs: Callable[[], None] | None = None  # resets state before each timed command


def quiet_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, CHECKPOINT_DISABLE="1", PACKER_NO_COLOR="1")
    env.update(extra)
    return env


@dataclass(frozen=True)
class Row:
    name: str
    prepare: Callable[[Path], Commands]  # writes inputs into the folder, returns what to time
    target: float = 1.0  # the kiln/Packer ratio to stay at or below
    repeats: int = 7
    notes: str = field(default="")
