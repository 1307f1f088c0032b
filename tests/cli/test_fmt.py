"""`kiln fmt`: which files it touches, what it prints and its exit statuses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kiln.cli.main import main

UNFORMATTED = 'a =1\nbb = "x"\n'
FORMATTED = 'a  = 1\nbb = "x"\n'


def test_formats_in_place_and_names_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.pkr.hcl"
    path.write_text(UNFORMATTED)
    assert main(["fmt", str(path)]) == 0
    assert path.read_text() == FORMATTED
    assert capsys.readouterr().out == f"{path}\n"


def test_check_exits_three_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "t.pkrvars.hcl"
    path.write_text(UNFORMATTED)
    assert main(["fmt", "-check", str(path)]) == 3
    assert path.read_text() == UNFORMATTED


def test_check_formatted_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.pkr.hcl"
    path.write_text(FORMATTED)
    assert main(["fmt", "-check", str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_write_false_leaves_file(tmp_path: Path) -> None:
    path = tmp_path / "t.pkr.hcl"
    path.write_text(UNFORMATTED)
    assert main(["fmt", "-write=false", str(path)]) == 0
    assert path.read_text() == UNFORMATTED


def test_directory_skips_other_and_editor_files(tmp_path: Path) -> None:
    for name in ("t.pkr.hcl", "t.pkr.hcl~", "#t.pkr.hcl#", ".hidden.pkr.hcl", "t.json", "notes.hcl"):
        (tmp_path / name).write_text(UNFORMATTED)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.pkr.hcl").write_text(UNFORMATTED)
    assert main(["fmt", str(tmp_path)]) == 0
    changed = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.read_text() == FORMATTED)
    assert changed == ["t.pkr.hcl"]
    assert main(["fmt", "-recursive", str(tmp_path)]) == 0
    assert (tmp_path / "sub" / "s.pkr.hcl").read_text() == FORMATTED


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(UNFORMATTED.encode())))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == FORMATTED


def test_named_non_hcl_file_is_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.json"
    path.write_text("{}")
    assert main(["fmt", str(path)]) == 1
    # The detail is wrapped at 80 columns, so compare with whitespace collapsed.
    assert f"file {path} is not a HCL file" in " ".join(capsys.readouterr().err.split())


def test_syntax_error_is_reported_with_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.pkr.hcl"
    path.write_text("a = 1\ninvalid\n")
    assert main(["fmt", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"on {path} line 2" in err
    assert "   2: invalid\n      ^^^^^^^\n" in err
    assert path.read_text() == "a = 1\ninvalid\n"


def test_diff_shows_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.pkr.hcl"
    path.write_text(UNFORMATTED)
    assert main(["fmt", "-check", "-diff", str(path)]) == 3
    out = capsys.readouterr().out
    assert f"--- old/{path}\n+++ new/{path}\n" in out
    assert "-a =1\n" in out


def test_current_directory_names_are_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "t.pkr.hcl").write_text(UNFORMATTED)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.pkr.hcl").write_text(UNFORMATTED)
    monkeypatch.chdir(tmp_path)
    assert main(["fmt", "-check", "-recursive", "."]) == 3
    assert capsys.readouterr().out == "sub/s.pkr.hcl\nt.pkr.hcl\n"
