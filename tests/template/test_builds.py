"""Build plans from HCL2 templates: names, filters, meta-arguments and re-evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kiln.sdk.config import Duration, option
from kiln.template import LoadOptions, parse_template


@dataclass
class BuilderConfig:
    communicator: str = option(default="none")
    password: str = option(default="", sensitive=True)


@dataclass
class StepConfig:
    inline: list[str] = option(default_factory=list)
    message: str = option(default="")
    count: int = option(default=0)
    wait: Duration = option(default=Duration(0))


def lookup(kind: str, type_name: str) -> type | None:
    table = {
        ("builder", "null"): BuilderConfig,
        ("provisioner", "step"): StepConfig,
        ("post-processor", "step"): StepConfig,
    }
    return table.get((kind, type_name))


def plans_for(tmp_path: Path, text: str, **filters):
    (tmp_path / "t.pkr.hcl").write_text(text)
    config, diagnostics = parse_template(LoadOptions(path=str(tmp_path), environ={}, lookup=lookup))
    assert config is not None
    assert not diagnostics.has_errors(), [d.summary for d in diagnostics]
    problems = config.initialize()
    assert not problems.has_errors(), [d.summary for d in problems]
    plans, more = config.get_builds(**filters)
    return plans, more


SOURCES = 'source "null" "a" {}\nsource "null" "b" {}\n'


def test_build_names_and_prefix(tmp_path: Path) -> None:
    plans, _ = plans_for(
        tmp_path, SOURCES + 'build {\n  name = "web"\n  sources = ["null.a", "source.null.b"]\n}\n'
    )
    assert [plan.name for plan in plans] == ["web.null.a", "web.null.b"]
    assert [plan.source_name for plan in plans] == ["a", "b"]
    assert [plan.build_block_name for plan in plans] == ["web", "web"]


def test_only_glob_crosses_dots(tmp_path: Path) -> None:
    plans, _ = plans_for(
        tmp_path, SOURCES + 'build {\n  name = "web"\n  sources = ["null.a", "null.b"]\n}\n', only=["*.a"]
    )
    assert [plan.name for plan in plans] == ["web.null.a"]


def test_except_drops_matching_build(tmp_path: Path) -> None:
    plans, _ = plans_for(
        tmp_path, SOURCES + 'build {\n  sources = ["null.a", "null.b"]\n}\n', except_=["null.b"]
    )
    assert [plan.name for plan in plans] == ["null.a"]


def test_except_post_processor_cuts_chain(tmp_path: Path) -> None:
    build = (
        'build {\n  sources = ["null.a"]\n  post-processors {\n'
        '    post-processor "step" { name = "first" }\n'
        '    post-processor "step" { name = "second" }\n'
        '    post-processor "step" { name = "third" }\n  }\n'
        '  post-processor "step" { name = "alone" }\n}\n'
    )
    plans, _ = plans_for(tmp_path, SOURCES + build, except_=["second"])
    assert [[spec.name for spec in chain] for chain in plans[0].post_processor_chains] == [
        ["first"],
        ["alone"],
    ]


def test_unmatched_filter_warns(tmp_path: Path) -> None:
    _plans, diagnostics = plans_for(
        tmp_path, SOURCES + 'build {\n  sources = ["null.a"]\n}\n', only=["nothing"]
    )
    assert [(d.summary, d.is_error) for d in diagnostics] == [
        ('No build matches the -only pattern "nothing"', False)
    ]
    assert "null.a" in diagnostics[0].detail


def test_invalid_glob_is_error(tmp_path: Path) -> None:
    _plans, diagnostics = plans_for(tmp_path, SOURCES + 'build {\n  sources = ["null.a"]\n}\n', only=["a[]b"])
    assert diagnostics.has_errors()


def test_provisioner_only_uses_renamed_source(tmp_path: Path) -> None:
    build = (
        'build {\n  source "source.null.a" {\n    name = "renamed"\n  }\n  sources = ["null.b"]\n'
        '  provisioner "step" {\n    only = ["null.renamed"]\n    message = "for renamed"\n  }\n'
        '  provisioner "step" {\n    except = ["null.renamed"]\n    message = "for others"\n  }\n}\n'
    )
    plans, _ = plans_for(tmp_path, SOURCES + build)
    messages = {plan.name: [spec.config.message for spec in plan.provisioners] for plan in plans}
    assert messages == {"null.b": ["for others"], "null.renamed": ["for renamed"]}


def test_override_applies_per_source(tmp_path: Path) -> None:
    build = (
        'build {\n  sources = ["null.a", "null.b"]\n'
        '  provisioner "step" {\n    message = "plain"\n    override = {\n      b = { message = "special" }\n    }\n  }\n}\n'
    )
    plans, _ = plans_for(tmp_path, SOURCES + build)
    assert [plan.provisioners[0].config.message for plan in plans] == ["plain", "special"]


def test_meta_arguments_decode(tmp_path: Path) -> None:
    build = (
        'build {\n  sources = ["null.a"]\n'
        '  provisioner "step" {\n    pause_before = "1m30s"\n    timeout = "5s"\n    max_retries = "2"\n'
        '    continue_on_error = true\n    count = "42"\n    wait = "2s"\n  }\n}\n'
    )
    plans, _ = plans_for(tmp_path, SOURCES + build)
    spec = plans[0].provisioners[0]
    assert (spec.pause_before, spec.timeout, spec.max_retries, spec.continue_on_error) == (90.0, 5.0, 2, True)
    assert spec.config.count == 42
    assert float(spec.config.wait) == 2.0


def test_build_values_unknown_then_reevaluated(tmp_path: Path) -> None:
    build = 'build {\n  name = "web"\n  sources = ["null.a"]\n  provisioner "step" {\n    message = "${build.name}:${upper(build.ID)}"\n  }\n}\n'
    plans, _ = plans_for(tmp_path, SOURCES + build)
    spec = plans[0].provisioners[0]
    assert spec.config.message == "web:<UNKNOWN>"
    assert spec.reevaluate is not None
    assert spec.reevaluate({"ID": "Null"}).message == "web:NULL"


def test_sensitive_option_values_are_masked(tmp_path: Path) -> None:
    template = 'source "null" "a" {\n  password = "hunter2"\n}\nbuild {\n  sources = ["null.a"]\n}\n'
    plans, _ = plans_for(tmp_path, template)
    assert plans[0].sensitive_values == ["hunter2"]


def test_sensitive_variable_values_are_masked(tmp_path: Path) -> None:
    template = (
        'variable "token" {\n  default = "s3cret"\n  sensitive = true\n}\n'
        + SOURCES
        + 'build {\n  sources = ["null.a"]\n}\n'
    )
    plans, _ = plans_for(tmp_path, template)
    assert plans[0].sensitive_values == ["s3cret"]


@pytest.mark.parametrize(
    ("argument", "summary"),
    [
        ('pause_before = "5"', "Invalid pause_before duration"),
        ("max_retries = true", "Incorrect attribute value type"),
        ('count = "many"', "Incorrect attribute value type"),
        ('messag = "x"', "Unsupported argument"),
    ],
)
def test_provisioner_argument_errors(tmp_path: Path, argument: str, summary: str) -> None:
    (tmp_path / "t.pkr.hcl").write_text(
        SOURCES + f'build {{\n  sources = ["null.a"]\n  provisioner "step" {{\n    {argument}\n  }}\n}}\n'
    )
    config, _ = parse_template(LoadOptions(path=str(tmp_path), environ={}, lookup=lookup))
    diagnostics = config.initialize()
    _plans, more = config.get_builds()
    diagnostics.extend(more)
    errors = [d for d in diagnostics if d.is_error]
    assert [d.summary for d in errors] == [summary]
    assert errors[0].subject is not None
    assert errors[0].subject.start.line == 6
