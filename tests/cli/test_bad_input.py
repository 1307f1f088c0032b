"""Mistakes a new user makes: each gives one diagnostic with its place, exit 1, no traceback."""

from __future__ import annotations

import builtins
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiln.cli.main import main

SOURCE = 'source "null" "a" {\n  communicator = "none"\n}\n'
BUILD = 'build {\n  sources = ["source.null.a"]\n}\n'


def validate(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str]:
    code = main(["validate", *flags, str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def write(tmp_path: Path, text: str | bytes, name: str = "t.pkr.hcl") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def assert_points_at(output: str, path: Path, line: int, source_line: str, caret: str) -> None:
    """Check the location line, the numbered source line and the caret under the subject."""
    assert f"  on {path} line {line}" in output
    assert f"{line:4d}: {source_line}\n" in output
    assert "\n" + " " * 6 + caret + "\n" in output
    assert "Traceback" not in output


def test_typo_in_block_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SOURCE.replace("source", "sorce") + BUILD)
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Unsupported block type" in output
    assert 'Did you mean "source"?' in output
    assert_points_at(output, path, 1, 'sorce "null" "a" {', "^^^^^")


def test_unknown_argument_suggests_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SOURCE.replace("communicator", "communicatr") + BUILD)
    code, output = validate(path, capsys)
    assert code == 1
    assert 'An argument named "communicatr" is not expected here. Did you mean\n"communicator"?' in output
    assert_points_at(output, path, 2, '  communicatr = "none"', "  " + "^" * len("communicatr"))


def test_wrong_type_points_at_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = BUILD.replace("}\n", '  provisioner "shell-local" {\n    inline = "echo hi"\n  }\n}\n')
    path = write(tmp_path, SOURCE + build)
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Incorrect attribute value type" in output
    assert_points_at(
        output, path, 7, '    inline = "echo hi"', "    " + " " * len("inline = ") + "^" * len('"echo hi"')
    )


def test_missing_variable_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, 'variable "region" {}\n' + SOURCE + BUILD)
    code, output = validate(path, capsys)
    assert code == 1
    assert 'Error: Unset variable "region"' in output
    assert f"  on {path} line 1" in output
    assert '   1: variable "region" {}\n' in output
    # The subject is the block header; whether it takes the brace is up to the parser.
    minimum = len('variable "region"')
    assert re.search(r"\n {6}\^{" + str(minimum) + r",}\n", output)


def test_cycle_between_locals_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "locals {\n  a = local.b\n  b = local.a\n}\n")
    code, output = validate(path, capsys)
    assert code == 1
    assert "local.a -> local.b -> local.a" in output
    assert_points_at(output, path, 2, "  a = local.b", "  " + "^" * len("a = local.b"))


def test_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, SOURCE + BUILD)
    original = builtins.open

    def reject_read(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return original(file, *args, **kwargs)

    # The suite may run as root, which can read a file whatever its mode.
    monkeypatch.setattr(builtins, "open", reject_read)
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Failed to read file" in output
    assert "Permission denied" in output
    assert "Traceback" not in output


def test_invalid_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, b'locals {\n  a = "\xff"\n}\n')
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Invalid character encoding" in output
    assert f"  on {path} line 2" in output


def test_directory_without_templates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    code, output = validate(tmp_path, capsys)
    assert code == 1
    assert f"Error: Could not find any config file in {tmp_path}" in output


def test_missing_template_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = validate(tmp_path / "absent.pkr.hcl", capsys)
    assert code == 1
    # The detail wraps at 80 columns, between the long path and the words after it.
    assert f"{tmp_path / 'absent.pkr.hcl'} does not exist" in " ".join(output.split())


def test_unknown_source_reference_lists_known(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SOURCE + BUILD.replace("null.a", "null.b"))
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Unknown source null.b" in output
    assert "Known: [null.a]" in output


def test_unknown_builder_type_suggests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SOURCE.replace('"null"', '"nul"') + BUILD.replace("null.a", "nul.a"))
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Unknown builder type nul" in output
    assert 'Did you mean "null"?' in output


def test_bad_input_has_no_traceback_in_a_process(tmp_path: Path) -> None:
    path = write(tmp_path, b"source {{{\n\xff")
    result = subprocess.run(
        [sys.executable, "-m", "kiln", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Error:" in result.stderr


def test_hcl_file_without_pkr_suffix_gets_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SOURCE + BUILD, name="template.hcl")
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Template read as legacy JSON" in output
    assert "Rename it to end in .pkr.hcl" in " ".join(output.split())
    assert "Traceback" not in output


LIST_VARIABLE = 'variable "x" {\n  type = list(string)\n}\n'


def test_invalid_var_flag_shows_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, LIST_VARIABLE + SOURCE + BUILD)
    code, output = validate(path, capsys, "-var", "x=[1,")
    assert code == 1
    assert "Error: Missing expression" in output
    assert "  on <value for var.x from arguments> line 1:" in output
    assert "   1: [1,\n" in output
    assert "\n" + " " * 9 + "^\n" in output


def test_invalid_sensitive_var_hides_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sensitive = LIST_VARIABLE.replace("list(string)", "list(string)\n  sensitive = true")
    path = write(tmp_path, sensitive + SOURCE + BUILD)
    code, output = validate(path, capsys, "-var", "x=[hunter2")
    assert code == 1
    assert "  on <value for var.x from arguments> line 1:" in output
    assert "hunter2" not in output


def test_build_shows_prepare_problem_at_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad_source = 'source "file" "bad" {\n  target  = "out.txt"\n  content = "x"\n  source  = "in.txt"\n}\n'
    build = 'build {\n  sources = ["source.file.bad", "source.null.a"]\n}\n'
    path = write(tmp_path, SOURCE + bad_source + build)
    code = main(["build", str(path)])
    output = capsys.readouterr()
    assert code == 1
    assert 'Error: Failed preparing source "file"' in output.err
    assert_points_at(output.err, path, 6, '  content = "x"', " " * len("  content = ") + "^^^")
    assert "source and content cannot both be specified" in output.err
    assert "Build 'null.a' finished" in output.out
    assert "file.bad" not in output.out


@pytest.mark.parametrize("flags", [(), ("-machine-readable",)])
def test_validate_masks_sensitive_in_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...]
) -> None:
    # Long enough that the problem's detail is wrapped across lines.
    secret = " ".join(["hunter2"] * 15)
    variable = f'variable "pw" {{\n  default   = "{secret}"\n  sensitive = true\n}}\n'
    path = write(tmp_path, variable + SOURCE.replace('"none"', "var.pw") + BUILD)
    code, output = validate(path, capsys, *flags)
    assert code == 1
    assert 'Unknown communicator type "<sensitive>"' in output
    assert "hunter2" not in output


def test_legacy_json_syntax_error_shows_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '{\n  "builders": [\n    {"type": "null",}\n  ]\n}\n', name="t.json")
    code, output = validate(path, capsys)
    assert code == 1
    assert "Error: Failed to parse template" in output
    assert f"  on {path} line 3:" in output
    assert '   3:     {"type": "null",}\n' in output
    assert "\n" + " " * 6 + " " * 20 + "^\n" in output


def test_function_error_masks_sensitive_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    variable = 'variable "secret" {\n  default   = "hunter2-file"\n  sensitive = true\n}\n'
    source = 'source "file" "a" {\n  target  = "out.txt"\n  content = file(var.secret)\n}\n'
    path = write(tmp_path, variable + source + 'build {\n  sources = ["source.file.a"]\n}\n')
    code, output = validate(path, capsys)
    assert code == 1
    assert 'Call to function "file" failed' in output
    assert "hunter2" not in output


def test_inspect_masks_sensitive_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    variable = 'variable "pin" {\n  type      = number\n  default   = 424242\n  sensitive = true\n}\n'
    path = write(tmp_path, variable + SOURCE + BUILD)
    assert main(["inspect", str(path)]) == 0
    output = capsys.readouterr().out
    assert 'var.pin: "<sensitive>"' in output
    assert "424242" not in output
