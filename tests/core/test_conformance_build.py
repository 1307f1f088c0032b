"""Packer's own `packer build` cases, run in-process against a copy of its test fixtures.

Each case runs `kiln build ARGS` in a fresh work directory holding `test-fixtures`, then checks
the exit code, files and output Packer's tests assert, with the test-only components Packer's
harness registers (`mock` data source, `parallel-test` and `lock` builders) in the registry.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sys
import threading
from pathlib import Path

import pytest

from conformance import cases_of_kind, conformance_dir
from kiln.core.secrets import SECRETS
from packer_test_components import Coordination, registered_test_components

pytestmark = pytest.mark.conformance

# Cases whose behaviour needs another part of kiln first; each reason names what is missing.
EXPECTED_FAILURES: dict[str, str] = {}

# Cases checked elsewhere or needing a harness this file does not have.
NOT_HERE = {
    "parsed_args",  # argument parsing only: the command-line tests cover it
    "all_steps_pass",  # several runs in one work directory: test_multi_step_case
}


def _selected_cases() -> list[dict]:
    cases = []
    for case in cases_of_kind("cli"):
        if case["argv"][0] != "build" or NOT_HERE & set(case["expect"]):
            continue
        if case.get("platform") == "windows":
            continue
        cases.append(case)
    return cases


def _case_params() -> list:
    params = []
    for case in _selected_cases():
        marks = []
        if case["id"] in EXPECTED_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=EXPECTED_FAILURES[case["id"]]))
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


@pytest.fixture
def test_components():
    with registered_test_components():
        yield
    SECRETS.clear()


@pytest.fixture
def work_dir(tmp_path, monkeypatch):
    root = conformance_dir()
    if root is None:
        pytest.skip("conformance corpus not found (set KILN_CONFORMANCE_DIR)")
    shutil.copytree(root / "packer-command" / "test-fixtures", tmp_path / "test-fixtures", symlinks=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PACKER_RUN_UUID", raising=False)
    return tmp_path


def run_kiln(argv: list[str]) -> int:
    from kiln.cli.main import main

    try:
        return main(argv)
    finally:
        os.environ.pop("PACKER_RUN_UUID", None)


def _normalise_manifest(text: str) -> str:
    text = re.sub(r'"packer_run_uuid": "[^"]*"', '"packer_run_uuid": ""', text)
    text = re.sub(r'"last_run_uuid": "[^"]*"', '"last_run_uuid": ""', text)
    return re.sub(r'\n *"build_time": \d+,', "", text)


def check_expectations(
    expect: dict, work: Path, code: int, stdout: str, stderr: str, normalise_manifest: bool = True
) -> None:
    if expect["exit_code"] == "nonzero":
        assert code != 0
    else:
        assert code == expect["exit_code"], stdout + stderr
    for name in expect.get("files_exist", []):
        assert (work / name).exists(), f"{name} missing\n{stdout}{stderr}"
    for name in expect.get("files_absent", []):
        assert not (work / name).exists(), f"{name} present"
    for name, content in expect.get("file_contents", {}).items():
        actual = (work / name).read_text()
        # Packer's test sets PACKER_RUN_UUID and build_time to fixed values; kiln's vary per run.
        if name.endswith("manifest.json") and normalise_manifest:
            actual = _normalise_manifest(actual)
        assert actual == content
    combined = stdout + stderr
    for key, text in (("stdout", stdout), ("stderr", stderr), ("output", combined)):
        for part in expect.get(f"{key}_contains", []):
            assert part in text
        for part in expect.get(f"{key}_not_contains", []):
            assert part not in text
    for pattern in expect.get("stderr_regex", []):
        assert re.search(pattern, stderr)
    for count in expect.get("count", []):
        stream = stdout if count["stream"] == "stdout" else stderr
        assert stream.count(count["substring"]) == count["equals"]


@pytest.mark.usefixtures("test_components")
@pytest.mark.parametrize(
    "case", [param for param in _case_params() if "behaviour" not in param.values[0]["expect"]]
)
def test_build_case(case, work_dir, capfd, monkeypatch):
    stdin_fixture = case.get("setup", {}).get("stdin_from_fixture")
    if stdin_fixture:
        content = (conformance_dir() / stdin_fixture).read_bytes()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(content)))
    code = run_kiln(case["argv"])
    stdout, stderr = capfd.readouterr()
    check_expectations(case["expect"], work_dir, code, stdout, stderr)


def _wait_until(predicate, timeout: float = 15.0) -> bool:
    event = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if predicate():
            return True
        event.wait(0.01)
    return False


def _parallel_count(case: dict) -> int:
    match = re.search(r"(\d+) parallel-test builds", case["expect"]["behaviour"])
    return int(match.group(1)) if match else 0


@pytest.mark.usefixtures("test_components")
@pytest.mark.parametrize(
    "case",
    [
        param
        for param in _case_params()
        if "behaviour" in param.values[0]["expect"] and ".cancel." not in param.id
    ],
)
def test_parallel_builds_with_lock(case, work_dir, capfd):
    """The unlocked builds finish while a lock build still blocks; then the lock is released."""
    expected_runs = _parallel_count(case)
    released = {}

    def release() -> None:
        released["in_time"] = _wait_until(lambda: Coordination.ran >= expected_runs)
        Coordination.unlock.set()

    helper = threading.Thread(target=release)
    helper.start()
    code = run_kiln(case["argv"])
    helper.join()
    stdout, stderr = capfd.readouterr()

    assert released["in_time"], f"only {Coordination.ran} of {expected_runs} builds ran while the lock was held"
    if case["expect"]["exit_code"] == "nonzero":
        assert code != 0
    else:
        assert code == case["expect"]["exit_code"], stdout + stderr


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to the test process")
@pytest.mark.usefixtures("test_components")
@pytest.mark.parametrize("case", [param for param in _case_params() if ".cancel." in param.id])
def test_cancel_builds(case, work_dir, capfd):
    """An interrupt while builds are blocked ends the command with exit code 1 within 15 s."""
    expected_runs = _parallel_count(case)

    def interrupt() -> None:
        _wait_until(lambda: Coordination.ran >= expected_runs and Coordination.locked >= 1)
        os.kill(os.getpid(), signal.SIGINT)

    helper = threading.Thread(target=interrupt, daemon=True)
    helper.start()
    code = run_kiln(case["argv"])
    helper.join(timeout=15)
    stdout, _ = capfd.readouterr()

    assert code == 1
    assert "Cleanly cancelled builds after being interrupted." in stdout


def _multi_step_cases() -> list:
    return [
        pytest.param(case, id=case["id"])
        for case in cases_of_kind("cli")
        if case["argv"][0] == "build" and case["expect"].get("all_steps_pass")
    ]


def _substitute(value, uuids: dict[str, str]):
    if isinstance(value, str):
        for placeholder, replacement in uuids.items():
            value = value.replace(placeholder, replacement)
        return value
    if isinstance(value, list):
        return [_substitute(item, uuids) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, uuids) for key, item in value.items()}
    return value


@pytest.mark.usefixtures("test_components")
@pytest.mark.parametrize("case", _multi_step_cases())
def test_multi_step_case(case, work_dir, capfd, monkeypatch):
    """Runs in one work directory, each with its own environment (fresh PACKER_RUN_UUIDs)."""
    import uuid

    uuids = {f"<UUID{index}>": str(uuid.uuid4()) for index in range(1, 10)}
    for step in case["steps"]:
        for key, value in _substitute(step.get("env", {}), uuids).items():
            monkeypatch.setenv(key, value)
        code = run_kiln(step["argv"])
        stdout, stderr = capfd.readouterr()
        check_expectations(_substitute(step["expect"], uuids), work_dir, code, stdout, stderr, False)
