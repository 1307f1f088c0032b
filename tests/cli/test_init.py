"""`kiln init`: required plug-ins against the components kiln ships."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiln.cli.main import main

PACKER_BLOCK = (
    'packer {{\n  required_plugins {{\n    {name} = {{\n      source  = "github.com/hashicorp/{name}"\n'
    '      version = ">= 1.0"\n    }}\n  }}\n}}\n'
)


def test_no_requirements_succeeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.pkr.hcl").write_text('source "null" "a" {}\n')
    assert main(["init", str(tmp_path)]) == 0
    assert "No plugins requirement found" in capsys.readouterr().out


def test_built_in_plugin_needs_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.pkr.hcl").write_text(PACKER_BLOCK.format(name="qemu"))
    assert main(["init", str(tmp_path)]) == 0
    assert "github.com/hashicorp/qemu is built into kiln (qemu)" in capsys.readouterr().out


def test_missing_plugin_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.pkr.hcl").write_text(PACKER_BLOCK.format(name="amazon"))
    assert main(["init", str(tmp_path)]) == 1
    assert "github.com/hashicorp/amazon is not available" in capsys.readouterr().err


def test_legacy_json_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.json").write_text('{"builders": []}')
    assert main(["init", str(tmp_path / "t.json")]) == 1
    assert "HCL2 configuration templates only" in capsys.readouterr().err


def test_plugins_required_lists_requirements(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.pkr.hcl").write_text(PACKER_BLOCK.format(name="qemu"))
    assert main(["plugins", "required", str(tmp_path)]) == 0
    assert capsys.readouterr().out == 'qemu github.com/hashicorp/qemu ">= 1.0"\n'


def test_plugins_install_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins", "install", "github.com/hashicorp/qemu"]) == 1
    assert "not supported" in capsys.readouterr().err
