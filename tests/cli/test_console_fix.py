"""Packer's console and fix cases, plus kiln's own checks of both commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cases_of_kind
from kiln.template.fix import dump_json, fix_template


def _cases() -> list:
    return [
        pytest.param(case, id=case["id"], marks=pytest.mark.conformance)
        for case in cases_of_kind("cli")
        if case["argv"][0] in ("console", "fix")
    ]


def run_kiln(arguments, cwd, stdin=None, env=None):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PKR_VAR_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kiln", *arguments],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


@pytest.mark.parametrize("case", _cases())
def test_console_and_fix_cases(case, conformance, tmp_path):
    shutil.copytree(conformance / "packer-command" / "test-fixtures", tmp_path / "test-fixtures")
    result = run_kiln(case["argv"], tmp_path, stdin=case.get("stdin"), env=case.get("env"))

    expect = case["expect"]
    assert result.returncode == expect["exit_code"], result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if "stdout_equals" in expect:
        wanted = expect["stdout_equals"].replace("{cwd}", str(tmp_path).replace("\\", "/"))
        assert result.stdout == wanted
    if "stdout_trimmed_equals" in expect:
        assert result.stdout.strip() == expect["stdout_trimmed_equals"]


def test_console_prints_nested_values_as_hcl(tmp_path):
    result = run_kiln(["console", "-config-type=hcl2"], tmp_path, stdin='[1, "a", {b = true}]\n')
    assert result.stdout == '[\n  1,\n  "a",\n  {\n    "b" = true\n  },\n]\n'


def test_console_reports_errors_and_goes_on(tmp_path):
    result = run_kiln(["console", "-config-type=hcl2"], tmp_path, stdin="var.missing\n2 * 21\n")
    assert result.returncode == 1
    assert result.stdout.endswith("42\n")
    assert "Unsupported attribute" in result.stderr
    assert "^^^" in result.stderr


def test_console_invalid_utf8_is_diagnostic(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kiln", "console", "-config-type=hcl2"],
        cwd=tmp_path,
        input=b'"\xff"\n2 * 21\n',
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert result.stdout.endswith(b"42\n")
    assert b"Invalid character encoding" in result.stderr
    assert b"failed unexpectedly" not in result.stderr


def test_console_legacy_mode_renders_go_templates(tmp_path):
    result = run_kiln(["console", "-var", "name=web"], tmp_path, stdin="{{ user `name` }}-{{ upper `x` }}\n")
    assert result.stdout == "web-X\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"type": "qemu", "ssh_host_port_min": 1, "ssh_host_port_max": 2}, {"type": "qemu", "host_port_min": 1, "host_port_max": 2}),
        ({"type": "qemu", "iso_checksum": "abc", "iso_checksum_type": "sha256"}, {"type": "qemu", "iso_checksum": "sha256:abc"}),
        ({"type": "qemu", "iso_checksum_url": "http://x/SUMS", "iso_checksum_type": "sha256"}, {"type": "qemu", "iso_checksum": "file:http://x/SUMS"}),
        ({"type": "null", "ssh_wait_timeout": "5m"}, {"type": "null", "ssh_timeout": "5m"}),
        ({"type": "docker", "login_email": "a@b"}, {"type": "docker"}),
    ],
)
def test_fixers(before, after):
    assert fix_template({"builders": [before]})["builders"] == [after]


def test_fix_is_idempotent_and_go_style_json():
    template = {"builders": [{"type": "qemu", "iso_md5": "x", "boot_command": ["<enter>&"]}]}
    once = fix_template(template)
    assert fix_template(once) == once
    text = dump_json(once)
    assert '"<enter>&"' not in text
    assert "\\u003center\\u003e\\u0026" in text
    assert json.loads(text) == once
