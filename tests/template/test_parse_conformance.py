"""Packer's hcl2template parser tests, run against kiln.template.

Paths in the cases are relative to the `packer-hcl2template` fixture folder, which the
tests use as the working directory, as Packer's Go tests did.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conformance import cases_of_kind
from kiln.hcl.diagnostics import Diagnostics
from kiln.template import LoadOptions, parse_template
from template.mock_components import execute_mock, lookup_mock, mock_config_dict

ROOT = "packer-hcl2template"

# Cases kiln does not pass yet, with the reason. Strict: a case that starts passing fails
# the run until it is taken off this list.
KNOWN_FAILURES: dict[str, str] = {}


def _params(subkind: str) -> list:
    params = []
    for case in cases_of_kind("parse", subkind=subkind):
        marks = [pytest.mark.conformance]
        if case["id"] in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case["id"]]))
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


@pytest.fixture
def hcl2template_dir(conformance: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = conformance / ROOT
    monkeypatch.chdir(folder)
    return folder


def check_category(diagnostics: Diagnostics, category: str | None) -> None:
    errors = [d.summary for d in diagnostics if d.is_error]
    if category == "none":
        assert list(diagnostics) == [], [d.summary for d in diagnostics]
    elif category == "errors":
        assert errors, "expected at least one error"
    elif category in ("no-errors",):
        assert not errors, errors
    elif category == "warnings-only":
        assert diagnostics and not errors, errors


def type_text(type_: Any) -> str:
    return "dynamic" if type_ is None or type_.is_dynamic() else type_.type_expression().replace(" ", "")


def value_entry(assignment: Any) -> dict[str, Any]:
    value = assignment.value.unmark_deep()[0]
    if not value.is_wholly_known:
        return {"from": str(assignment.origin), "unknown": True, "value_type": type_text(value.type)}
    return {"from": str(assignment.origin), "value": value.to_python()}


def expected_value_entry(entry: dict[str, Any]) -> dict[str, Any]:
    if entry.get("unknown"):
        return {"from": entry["from"], "unknown": True, "value_type": entry["value_type"].replace(" ", "")}
    return {"from": entry["from"], "value": entry.get("value")}


def check_variables(config: Any, expected: dict[str, Any]) -> None:
    assert sorted(config.variables) == sorted(expected)
    for name, want in expected.items():
        variable = config.variables[name]
        assert type_text(variable.type) == want["type"].replace(" ", ""), name
        assert [value_entry(a) for a in variable.values] == [
            expected_value_entry(e) for e in want["values"]
        ], name
        assert variable.sensitive == want.get("sensitive", False), name
        assert variable.description == want.get("description", ""), name


def check_locals(config: Any, expected: dict[str, Any]) -> None:
    assert sorted(config.locals) == sorted(expected)
    for name, want in expected.items():
        local = config.locals[name]
        value = local.value.unmark_deep()[0]
        assert type_text(value.type) == want["type"].replace(" ", ""), name
        assert value.to_python() == want["values"][-1].get("value"), name
        assert local.sensitive == want.get("sensitive", False), name


def check_builds(config: Any, expected: list[dict[str, Any]]) -> None:
    assert len(config.builds) == len(expected)
    for build, want in zip(config.builds, expected, strict=True):
        assert build.name == want.get("name", "")
        assert build.description == want.get("description", "")
        sources = [
            {"ref": use.ref, **({"local_name": use.local_name} if use.local_name else {})}
            for use in build.sources
        ]
        assert sources == want.get("sources", [])
        assert [p.type for p in build.provisioners] == [p["type"] for p in want.get("provisioners", [])]
        chains = [[p.type for p in chain] for chain in build.post_processor_chains]
        assert chains == [[p["type"] for p in chain] for chain in want.get("post_processors", [])]


def check_config(config: Any, expected: dict[str, Any]) -> None:
    assert config.basedir == expected["basedir"]
    if "input_variables" in expected:
        check_variables(config, expected["input_variables"])
    if expected.get("local_variables") is not None:
        check_locals(config, expected["local_variables"])
    # A null entry means Packer had not decoded that part yet (a parse-only case).
    if expected.get("sources") is not None:
        # Packer keeps sources in a map, so their order carries no meaning.
        found = sorted((s.type, s.name) for s in config.source_blocks.values())
        assert found == sorted((s["type"], s["name"]) for s in expected["sources"])
    if expected.get("builds") is not None:
        check_builds(config, expected["builds"])


def check_core_builds(plans: list[Any], expected: list[dict[str, Any]]) -> None:
    assert [plan.name.split(".", 1)[-1] if plan.build_block_name else plan.name for plan in plans] == [
        build["type"] for build in expected
    ]
    for plan, want in zip(plans, expected, strict=True):
        assert plan.builder.type == want["builder_type"]
        assert plan.build_block_name == want.get("build_name", "")
        provisioners = [{"type": p.type, "config": mock_config_dict(p.config)} for p in plan.provisioners]
        assert provisioners == [
            {"type": p["type"], "config": p.get("config", {})} for p in want["provisioners"]
        ]
        chains = [
            [{"type": p.type, "config": mock_config_dict(p.config)} for p in chain]
            for chain in plan.post_processor_chains
        ]
        want_chains = [
            [{"type": p["type"], "config": p.get("config", {})} for p in chain]
            for chain in want["post_processors"]
        ]
        assert chains == want_chains


@pytest.mark.parametrize("case", _params("config"))
def test_parse_config(case: dict, hcl2template_dir: Path) -> None:
    load = case["load"]
    options = LoadOptions(
        path=load["path"],
        var_files=list(load.get("var_files", [])),
        cli_vars=list(load.get("vars", {}).items()),
        environ={},
        lookup=lookup_mock,
        core_version=case.get("core_version", "v1.5.0"),
        datasource_executor=execute_mock,
    )
    config, diagnostics = parse_template(options)
    expect = case["expect"]
    if expect.get("config_is_null"):
        assert config is None or diagnostics.has_errors()
        return
    assert config is not None
    if case["procedure"] != "parse_only":
        diagnostics.extend(config.initialize(evaluate_datasources=True))
    check_category(diagnostics, expect["diagnostics"])
    if expect["diagnostics"] == "errors":
        return
    if "config" in expect:
        check_config(config, expect["config"])
    if "builds" in expect:
        plans, problems = config.get_builds()
        check_category(problems, expect.get("builds_diagnostics", "none"))
        check_core_builds(plans, expect["builds"])


@pytest.mark.parametrize("case", _params("variable-values"))
def test_variable_values(case: dict, tmp_path: Path) -> None:
    lines = []
    for name, declaration in case["input"].get("declared_variables", {}).items():
        default = declaration["values"][0]["value"] if declaration.get("values") else None
        lines.append(f'variable "{name}" {{\n  type = {declaration["type"]}\n')
        if declaration.get("values"):
            lines.append(f"  default = {_hcl_literal(default)}\n")
        lines.append("}\n")
    (tmp_path / "vars.pkr.hcl").write_text("".join(lines))
    var_files = []
    for index, content in enumerate(case["input"].get("auto_var_file_contents", [])):
        path = tmp_path / f"{index}.auto.pkrvars.hcl"
        path.write_text(content)
        var_files.append(str(path))
    environ = dict(entry.split("=", 1) for entry in case["input"].get("env", []) if "=" in entry)
    options = LoadOptions(
        path=str(tmp_path / "vars.pkr.hcl"),
        var_files=var_files,
        cli_vars=list(case["input"].get("cli_vars", {}).items()),
        environ=environ,
        warn_undeclared_var=case["input"].get("warn_on_undeclared_var", False),
    )
    config, diagnostics = parse_template(options)
    assert config is not None
    expect = case["expect"]
    check_category(diagnostics, expect["diagnostics"])
    if "variables" in expect:
        check_variables(config, {name: {"type": v["type"], **v} for name, v in expect["variables"].items()})


def _hcl_literal(value: Any) -> str:
    import json

    return json.dumps(value)


@pytest.mark.parametrize("case", _params("only-except-glob"))
def test_filter_glob(case: dict) -> None:
    from kiln.template.glob import GlobError, compile_glob

    for pattern, valid in case["expect"]["valid"].items():
        try:
            compile_glob(pattern)
            compiled = True
        except GlobError:
            compiled = False
        assert compiled == valid, pattern


@pytest.mark.parametrize("case", _params("required-plugins"))
def test_required_plugins(case: dict, tmp_path: Path) -> None:
    (tmp_path / "packer.pkr.hcl").write_text(case["input"]["packer_block_file"])
    (tmp_path / "rest.pkr.hcl").write_text(case["input"]["rest_file"])
    config, diagnostics = parse_template(LoadOptions(path=str(tmp_path), environ={}))
    assert config is not None
    check_category(diagnostics, case["expect"]["diagnostics"])
    found = [
        {name: {"name": r.name, "source": r.source, "version": r.version} for name, r in block.items()}
        for block in config.required_plugins
    ]
    assert found == (case["expect"]["required_plugins"] or [])


@pytest.mark.parametrize("case", _params("provisioner-block"))
def test_provisioner_block(case: dict, tmp_path: Path) -> None:
    template = case["input"]["hcl"] + '\nsource "null" "test" {}\n'
    text = 'source "null" "test" {}\nbuild {\n  sources = ["null.test"]\n' + case["input"]["hcl"] + "}\n"
    del template
    (tmp_path / "t.pkr.hcl").write_text(text)
    config, diagnostics = parse_template(LoadOptions(path=str(tmp_path / "t.pkr.hcl"), environ={}))
    assert config is not None
    diagnostics.extend(config.initialize())
    check_category(diagnostics, case["expect"]["diagnostics"])
    summary = case["expect"].get("error_summary_equals")
    if summary is not None:
        assert next(d.summary for d in diagnostics if d.is_error) == summary


@pytest.mark.parametrize("case", _params("formatter"))
def test_formatter(
    case: dict, conformance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from kiln.cli.fmt import Formatter
    from kiln.cli.output import CommandOutput

    work = tmp_path / "work"
    shutil.copytree(conformance / ROOT / "testdata" / "format", work / "testdata" / "format")
    monkeypatch.chdir(work)
    expect = case["expect"]
    inputs = case["input"]
    if "copy_to_tmp_as" in inputs:
        target = tmp_path / "copy.pkr.hcl"
        shutil.copy(inputs["from"], target)
        formatter = Formatter(CommandOutput())
        formatter.format_path(str(target))
        assert not formatter.diagnostics.has_errors()
        assert target.read_bytes() == (conformance / expect["tmp_file_equals_fixture"]).read_bytes()
        return
    for run in inputs.get("runs", []):
        formatter = Formatter(CommandOutput(), write=False)
        for path in run["paths"]:
            formatter.format_path(path)
        printed = capsys.readouterr().out
        assert bool(printed) == run["needs_format"], run["paths"]
    if "runs" in inputs:
        return
    paths = inputs.get("paths") or [inputs.get("path") or inputs.get("from")]
    formatter = Formatter(
        CommandOutput(), write=inputs.get("write", False), show_diff=inputs.get("show_diff", False)
    )
    for path in paths:
        formatter.format_path(path)
    output = capsys.readouterr().out
    if "first_error_detail_equals" in expect:
        assert next(d.detail for d in formatter.diagnostics if d.is_error) == expect[
            "first_error_detail_equals"
        ]
    for text in expect.get("output_contains", []):
        assert text in output
