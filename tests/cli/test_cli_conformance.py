"""Packer's command tests for validate, inspect, fmt and version, run against `kiln`.

Each case runs `python -m kiln` in a fresh work directory holding copies of the fixtures it
names under `test-fixtures/`, as Packer's Go tests ran with the command folder as cwd. A case
that needs one of Packer's test components runs in-process, with the component registered.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cases_of_kind
from packer_test_components import MockDatasource, registered_test_components

COMMANDS = ("validate", "inspect", "fmt", "version", "init")
FIXTURE_ROOT = "packer-command/"

# Cases kiln does not pass yet, with the reason. Strict: a case that starts passing fails
# the run until it is taken off this list.
KNOWN_FAILURES: dict[str, str] = {
    "cli.validate.show-line-for-missing-source": (
        "kiln deliberately prints the offending source line with a caret under it, where Packer "
        "prints '(source code not available)' because its diagnostic writer gets no file map"
    ),
}

# The test components kiln's tests can register, by the name the cases give them, each with
# the calls it records.
TEST_COMPONENT_CALLS = {"datasource.mock": MockDatasource}

# Runs kiln's command line as `python -m kiln` does, after setting the Packer version that kiln
# reports and checks `min_packer_version` and `required_version` against. The first argument is
# that version, and it must be set before any other kiln module imports it. Packer's Go tests
# forced the running core version for the same cases.
FORCED_VERSION_LAUNCHER = """
import sys

import kiln

kiln.PACKER_COMPAT_VERSION = sys.argv.pop(1)

from kiln.cli.main import main

raise SystemExit(main())
"""


def _cases() -> list[dict]:
    return [case for case in cases_of_kind("cli") if case["argv"] and case["argv"][0] in COMMANDS]


def _params() -> list:
    params = []
    for case in _cases():
        marks = [pytest.mark.conformance]
        reason = KNOWN_FAILURES.get(case["id"]) or _unsupported(case)
        if reason:
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


def _unsupported(case: dict) -> str:
    if not set(case.get("needs", [])) <= set(TEST_COMPONENT_CALLS):
        return "needs a test plug-in component that kiln's registry does not have"
    return ""


def _prepare_work_dir(conformance: Path, work: Path) -> None:
    # Cases refer to fixtures beyond the ones they list (a template naming another file), so
    # each work directory gets a copy of the whole folder (under 1 MB).
    shutil.copytree(conformance / FIXTURE_ROOT / "test-fixtures", work / "test-fixtures")


def _setup_tmpdir(case: dict, work: Path) -> Path:
    tmpdir = work / "case-tmp"
    tmpdir.mkdir()
    for name, content in case.get("setup", {}).get("create_files_in_tmpdir", {}).items():
        path = tmpdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return tmpdir


def _environment(extra: dict | None) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("PKR_VAR_", "PACKER_"))
    }
    environment.update(extra or {})
    return environment


def run_kiln(
    argv: list[str],
    cwd: Path,
    *,
    env: dict | None = None,
    stdin: str | None = None,
    combined: bool = False,
    core_version: str | None = None,
):
    command = [sys.executable, "-m", "kiln"]
    if core_version is not None:
        command = [sys.executable, "-c", FORCED_VERSION_LAUNCHER, core_version]
    return subprocess.run(
        [*command, *argv],
        cwd=cwd,
        env=_environment(env),
        input=stdin if stdin is not None else "",
        capture_output=not combined,
        stdout=subprocess.PIPE if combined else None,
        stderr=subprocess.STDOUT if combined else None,
        text=True,
        timeout=120,
        check=False,
    )


def run_kiln_in_process(
    argv: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> subprocess.CompletedProcess:
    """Run kiln's command line in this process, where the test components are registered."""
    from kiln.cli.main import main

    monkeypatch.chdir(cwd)
    for key in os.environ:
        if key.startswith(("PKR_VAR_", "PACKER_")):
            monkeypatch.delenv(key)
    with registered_test_components():
        code = main(argv)
    stdout, stderr = capfd.readouterr()
    return subprocess.CompletedProcess(argv, code, stdout, stderr)


def check_component_calls(expected: dict[str, dict[str, bool]]) -> None:
    for name, calls in expected.items():
        recorded = TEST_COMPONENT_CALLS[name].calls
        assert ("execute" in recorded) == calls["execute_called"], (name, recorded)
        assert ("output_spec" in recorded) == calls["output_spec_called"], (name, recorded)


@pytest.mark.parametrize("case", _params())
def test_cli_case(
    case: dict,
    conformance: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    _prepare_work_dir(conformance, tmp_path)
    tmpdir = _setup_tmpdir(case, tmp_path)
    argv = [str(tmpdir) if arg == "<tmpdir>" else arg for arg in case["argv"]]
    combined = case.get("output_capture") == "combined"
    if case.get("needs"):
        # In-process runs use this process's environment, input and Packer version.
        assert not {"env", "stdin", "core_version"} & set(case), case["id"]
        result = run_kiln_in_process(argv, tmp_path, monkeypatch, capfd)
    else:
        result = run_kiln(
            argv,
            tmp_path,
            env=case.get("env"),
            stdin=case.get("stdin"),
            combined=combined,
            core_version=case.get("core_version"),
        )
    stdout = result.stdout or ""
    stderr = "" if combined else (result.stderr or "")
    expect = case["expect"]

    expected_code = expect.get("exit_code")
    if expected_code == "nonzero":
        assert result.returncode != 0, stdout + stderr
    elif expected_code is not None:
        assert result.returncode == expected_code, stdout + stderr

    if "stdout_equals" in expect:
        assert stdout == expect["stdout_equals"]
    if "stderr_equals" in expect:
        assert stderr == expect["stderr_equals"]
    if "stdout_trimmed_equals" in expect:
        assert stdout.strip() == expect["stdout_trimmed_equals"]
    if "stdout_equals_fixture" in expect:
        assert stdout == (conformance / expect["stdout_equals_fixture"]).read_text()
    for text in expect.get("stdout_contains", []):
        assert text in stdout
    for text in expect.get("stdout_not_contains", []):
        assert text not in stdout
    for text in expect.get("stderr_contains", []):
        assert text in stderr
    for text in expect.get("output_contains", []):
        assert text in stdout + stderr
    for pattern in expect.get("stderr_regex", []):
        assert re.search(pattern, stderr), pattern
    for name, content in expect.get("file_contents_in_tmpdir", {}).items():
        assert (tmpdir / name).read_text() == content, name
    for name, content in expect.get("file_contents", {}).items():
        assert (tmp_path / name).read_text() == content, name
    check_component_calls(expect.get("component_calls", {}))
