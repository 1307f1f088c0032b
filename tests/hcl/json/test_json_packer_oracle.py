"""JSON syntax errors against `packer validate` (1.6.6) as a live oracle."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiln.hcl.json import parse_json

BROKEN = {
    "trailing comma": b'{"build": {"sources": ["source.null.x"],}}',
    "missing comma": b'{"build": {"sources": ["source.null.x"] "name": "y"}}',
    "equals sign": b'{"build" = {}}',
    "capitalised keyword": b'{"source": {"null": {"x": {"communicator": True}}}}',
    "unclosed object": b'{"build": {"sources": []}\n',
    "unclosed array": b'{"build": {"sources": ["a"\n}}',
    "bad escape": b'{"build": {"name": "a\\qb"}}',
    "leading zero": b'{"variable": {"x": {"default": 01}}}',
    "number as name": b'{"build": {1: 2}}',
    "single quotes": b"{'build': {}}",
    "data after value": b"{}\n{}",
    "root is a string": b'"build"',
    "empty file": b"",
    "brace closes array": b'{"build": {"sources": ["a"}}',
    "colon in array": b'{"build": {"sources": ["a": 1]}}',
}

# Cases where hcl follows the first error with errors that only echo it (an "Unclosed object"
# around a mismatched bracket, a missing comma after a bad property name). kiln reports the
# first error alone, so its errors are a strict subset of Packer's there.
ECHOES = {"unclosed array", "number as name", "single quotes", "brace closes array"}

_ERROR = re.compile(r"^Error: (.+)$")
_LOCATION = re.compile(r"^  on \S+ line (\d+)")


def _packer_errors(output: str) -> set[tuple[str, int | None]]:
    """Return the (summary, line) pairs of the errors Packer printed, without repeats."""
    found: set[tuple[str, int | None]] = set()
    lines = output.splitlines()
    for index, line in enumerate(lines):
        match = _ERROR.match(line)
        if match is None:
            continue
        location = _LOCATION.match(lines[index + 2]) if index + 2 < len(lines) else None
        found.add((match.group(1), int(location.group(1)) if location else None))
    return found


@pytest.mark.packer
@pytest.mark.skipif(shutil.which("packer") is None, reason="packer is not installed")
@pytest.mark.parametrize(("name", "source"), BROKEN.items(), ids=BROKEN.keys())
def test_syntax_errors_match_packer(name: str, source: bytes, tmp_path: Path) -> None:
    template = tmp_path / "t.pkr.json"
    template.write_bytes(source)
    environment = {**os.environ, "CHECKPOINT_DISABLE": "1", "HOME": str(tmp_path)}
    result = subprocess.run(
        ["packer", "validate", template.name],
        check=False,
        capture_output=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )

    _, diagnostics = parse_json(source, template.name)

    assert result.returncode != 0
    expected = _packer_errors(result.stdout.decode() + result.stderr.decode())
    found = {(d.summary, d.subject.start.line if d.subject else None) for d in diagnostics}
    if name in ECHOES:
        assert found < expected
    else:
        assert found == expected
