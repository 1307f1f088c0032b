"""The command dispatcher: help, version, exit codes and machine-readable output."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from kiln import PACKER_COMPAT_VERSION, __version__
from kiln.cli.main import COMMANDS, main, split_invocation
from kiln.cli.output import escape_machine_field, format_machine_line


def test_global_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: kiln [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n")
    assert "    validate        check that a template is valid\n" in out
    assert "plugin " not in out  # hidden alias


def test_no_command_exits_127(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 127
    assert "Available commands are:" in capsys.readouterr().out


def test_unknown_command_exits_127(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bogus"]) == 127
    assert "Available commands are:" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["version"], ["--version"], ["-v"], ["-version"]])
def test_version_forms(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    assert (
        capsys.readouterr().out == f"kiln v{__version__} (compatible with Packer v{PACKER_COMPAT_VERSION})\n"
    )


def test_version_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version", "-machine-readable"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",", 1)[1] for line in lines] == [
        f",version,{__version__}",
        ",version-prelease,",
        ",version-commit,",
        f",ui,say,kiln v{__version__} (compatible with Packer v{PACKER_COMPAT_VERSION})",
    ]
    assert all(line.split(",", 1)[0].isdigit() for line in lines)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([name, "-h"]) == 0
    assert capsys.readouterr().out.startswith("Usage: kiln ")


def test_help_flag_after_arguments_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "t.pkr.hcl", "--help"]) == 0
    assert capsys.readouterr().out.startswith("Usage: kiln validate [options] TEMPLATE")


def test_bad_flag_prints_problem_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-bogus", "t.pkr.hcl"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "flag provided but not defined: -bogus\n"
    assert captured.out.startswith("Usage: kiln validate [options] TEMPLATE")


def test_wrong_argument_count_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.startswith("Usage: kiln validate")


def test_unimplemented_stub_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    from kiln.cli import unimplemented
    from kiln.cli.output import CommandOutput

    assert unimplemented.run("push", [], CommandOutput()) == 1
    assert "not implemented" in capsys.readouterr().err


def test_bare_plugins_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 1
    assert capsys.readouterr().out.startswith("Usage: kiln plugins <subcommand>")


def test_machine_readable_anywhere() -> None:
    invocation = split_invocation(["validate", "x.pkr.hcl", "-machine-readable"])
    assert invocation.machine_readable
    assert invocation.command == "validate"
    assert invocation.arguments == ("x.pkr.hcl",)


def test_version_flag_after_command_is_an_argument() -> None:
    invocation = split_invocation(["validate", "-v"])
    assert not invocation.wants_version
    assert invocation.arguments == ("-v",)


def test_machine_field_escaping() -> None:
    assert escape_machine_field("a,b\nc\rd") == "a%!(PACKER_COMMA)b\\nc\\rd"


def test_machine_line_layout() -> None:
    assert (
        format_machine_line("null.a", "ui", "say", "x,y", timestamp=42)
        == "42,null.a,ui,say,x%!(PACKER_COMMA)y\n"
    )


def test_help_imports_no_template_layer() -> None:
    code = (
        "import sys; from kiln.cli.main import main; main(['--help']); "
        "print(sorted(m for m in sys.modules if m.startswith('kiln.') and not m.startswith('kiln.cli')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_help_process_is_fast() -> None:
    # Measured at about 30 ms on a 2-core machine; the bound leaves room for slow runners.
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kiln", "--help"], capture_output=True, check=True)
    assert time.perf_counter() - started < 5.0


def _explode(name: str, arguments: list[str], output: object) -> int:
    raise RuntimeError("boom")


def test_unexpected_error_has_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kiln.cli.version

    monkeypatch.delenv("KILN_DEBUG", raising=False)
    monkeypatch.delenv("PACKER_LOG", raising=False)
    monkeypatch.setattr(kiln.cli.version, "run", _explode)
    assert main(["version"]) == 1
    err = capsys.readouterr().err
    assert "kiln version failed unexpectedly: RuntimeError: boom" in err
    assert "KILN_DEBUG=1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("variable", ["KILN_DEBUG", "PACKER_LOG"])
def test_debug_lets_traceback_through(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiln.cli.version

    monkeypatch.setenv(variable, "1")
    monkeypatch.setattr(kiln.cli.version, "run", _explode)
    with pytest.raises(RuntimeError, match="boom"):
        main(["version"])
