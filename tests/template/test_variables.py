"""Variable values: each rung of the precedence ladder, with HCL and JSON variable files mixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiln.template import LoadOptions, parse_template
from kiln.template.model import ValueOrigin

TEMPLATE = 'variable "fruit" {\n  type    = string\n  default = "default"\n}\n'


def load(path: Path, **options) -> tuple:
    config, diagnostics = parse_template(
        LoadOptions(path=str(path), environ=options.pop("environ", {}), **options)
    )
    assert config is not None
    return config, diagnostics


def effective(config) -> tuple[str, ValueOrigin]:
    variable = config.variables["fruit"]
    return variable.value().as_str(), variable.origin()


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    (tmp_path / "main.pkr.hcl").write_text(TEMPLATE)
    return tmp_path


def test_rung_default(template_dir: Path) -> None:
    config, diagnostics = load(template_dir)
    assert not diagnostics
    assert effective(config) == ("default", ValueOrigin.DEFAULT)


def test_rung_environment(template_dir: Path) -> None:
    config, _ = load(template_dir, environ={"PKR_VAR_fruit": "env"})
    assert effective(config) == ("env", ValueOrigin.ENV)


def test_rung_auto_hcl_over_environment(template_dir: Path) -> None:
    (template_dir / "a.auto.pkrvars.hcl").write_text('fruit = "auto-hcl"\n')
    config, _ = load(template_dir, environ={"PKR_VAR_fruit": "env"})
    assert effective(config) == ("auto-hcl", ValueOrigin.VARFILE)


def test_rung_auto_json_over_auto_hcl(template_dir: Path) -> None:
    # The JSON auto file sorts first by name but loads after every HCL auto file.
    (template_dir / "0.auto.pkrvars.json").write_text('{"fruit": "auto-json"}')
    (template_dir / "z.auto.pkrvars.hcl").write_text('fruit = "auto-hcl"\n')
    config, _ = load(template_dir)
    assert effective(config) == ("auto-json", ValueOrigin.VARFILE)


def test_rung_var_files_in_flag_order(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("vars")
    (template_dir / "a.auto.pkrvars.json").write_text('{"fruit": "auto-json"}')
    (outside / "one.json").write_text('{"fruit": "file-json"}')
    (outside / "two.hcl").write_text('fruit = "file-hcl"\n')
    config, _ = load(template_dir, var_files=[str(outside / "one.json"), str(outside / "two.hcl")])
    assert effective(config) == ("file-hcl", ValueOrigin.VARFILE)
    config, _ = load(template_dir, var_files=[str(outside / "two.hcl"), str(outside / "one.json")])
    assert effective(config) == ("file-json", ValueOrigin.VARFILE)


def test_rung_cli_var_over_everything(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("vars")
    (outside / "v.hcl").write_text('fruit = "file"\n')
    (template_dir / "a.auto.pkrvars.hcl").write_text('fruit = "auto"\n')
    config, _ = load(
        template_dir,
        environ={"PKR_VAR_fruit": "env"},
        var_files=[str(outside / "v.hcl")],
        cli_vars=[("fruit", "cli-1"), ("fruit", "cli-2")],
    )
    assert effective(config) == ("cli-2", ValueOrigin.CMD)
    origins = [assignment.origin for assignment in config.variables["fruit"].values]
    assert origins == [
        ValueOrigin.DEFAULT,
        ValueOrigin.ENV,
        ValueOrigin.VARFILE,
        ValueOrigin.VARFILE,
        ValueOrigin.CMD,
        ValueOrigin.CMD,
    ]


def test_single_file_ignores_auto_var_files(template_dir: Path) -> None:
    (template_dir / "a.auto.pkrvars.hcl").write_text('fruit = "auto"\n')
    config, _ = load(template_dir / "main.pkr.hcl")
    assert effective(config) == ("default", ValueOrigin.DEFAULT)


def test_cli_string_keeps_quotes(template_dir: Path) -> None:
    config, _ = load(template_dir, cli_vars=[("fruit", '"quoted"')])
    assert effective(config) == ('"quoted"', ValueOrigin.CMD)


def test_cli_list_parses_as_hcl(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text('variable "names" {\n  type = list(string)\n}\n')
    config, diagnostics = load(tmp_path, cli_vars=[("names", '["a", "b"]')])
    assert not diagnostics.has_errors()
    assert config.variables["names"].value().to_python() == ["a", "b"]


def test_cli_undeclared_is_error(template_dir: Path) -> None:
    _config, diagnostics = load(template_dir, cli_vars=[("vegetable", "x")])
    assert [d.summary for d in diagnostics] == ["Undefined -var variable"]


def test_cli_parse_error_names_arguments(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text('variable "names" {\n  type = list(string)\n}\n')
    _config, diagnostics = load(tmp_path, cli_vars=[("names", "[1")])
    assert diagnostics.has_errors()
    filenames = {d.subject.filename for d in diagnostics if d.subject is not None}
    assert filenames == {"<value for var.names from arguments>"}


def test_cli_type_mismatch_summary(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text('variable "n" {\n  type = number\n}\n')
    _config, diagnostics = load(tmp_path, cli_vars=[("n", "many")])
    (diagnostic,) = diagnostics
    assert diagnostic.summary == "Invalid argument value for -var variable"
    assert diagnostic.detail.startswith("The received arg value for n is not compatible")


def test_var_file_undeclared_warns_when_asked(template_dir: Path) -> None:
    (template_dir / "a.auto.pkrvars.hcl").write_text('vegetable = "x"\n')
    _config, quiet = load(template_dir)
    _config, warned = load(template_dir, warn_undeclared_var=True)
    assert list(quiet) == []
    assert [(d.summary, d.is_error) for d in warned] == [("Undefined variable", False)]


def test_var_file_type_mismatch_points_at_value(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text('variable "n" {\n  type = number\n}\n')
    (tmp_path / "v.auto.pkrvars.hcl").write_text('n = "many"\n')
    _config, diagnostics = load(tmp_path)
    (diagnostic,) = diagnostics
    assert diagnostic.summary == "Invalid value for variable"
    assert diagnostic.subject is not None
    assert (diagnostic.subject.filename, diagnostic.subject.start.line, diagnostic.subject.start.column) == (
        str(tmp_path / "v.auto.pkrvars.hcl"),
        1,
        5,
    )


def test_var_file_with_block_is_error(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("vars")
    (outside / "v.hcl").write_text('variable "fruit" {}\n')
    _config, diagnostics = load(template_dir, var_files=[str(outside / "v.hcl")])
    assert diagnostics.has_errors()


def test_var_file_needs_known_extension(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("vars")
    (outside / "v.txt").write_text('fruit = "x"\n')
    _config, diagnostics = load(template_dir, var_files=[str(outside / "v.txt")])
    assert any(d.summary.startswith("Could not guess format of") for d in diagnostics)


def _validation_template(condition: str, message: str) -> str:
    return (
        'variable "name" {\n  default = "ab"\n  validation {\n'
        f"    condition     = {condition}\n    error_message = {message}\n  }}\n}}\n"
    )


def test_validation_failure_shows_message(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text(
        _validation_template("length(var.name) > 3", '"The name is too short."')
    )
    config, diagnostics = load(tmp_path)
    assert list(diagnostics) == []
    (problem,) = config.initialize()
    assert problem.summary == "Invalid value for variable"
    assert problem.detail.startswith("The name is too short.")
    assert problem.subject is not None
    assert problem.subject.start.line == 2


def test_validation_passes_with_cli_value(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text(
        _validation_template("length(var.name) > 3", '"The name is too short."')
    )
    config, _ = load(tmp_path, cli_vars=[("name", "long enough")])
    assert list(config.initialize()) == []


def test_validation_message_must_be_sentence(tmp_path: Path) -> None:
    (tmp_path / "t.pkr.hcl").write_text(_validation_template("true", '"too short"'))
    _config, diagnostics = load(tmp_path)
    assert [d.summary for d in diagnostics] == ["Invalid validation error message"]


def test_validation_condition_only_sees_itself(tmp_path: Path) -> None:
    text = 'variable "other" {\n  default = 1\n}\n' + _validation_template("var.other > 0", '"Bad."')
    (tmp_path / "t.pkr.hcl").write_text(text)
    _config, diagnostics = load(tmp_path)
    assert [d.summary for d in diagnostics] == ["Invalid variable validation condition"]
