"""Go templates in HCL2 component options, rendered while preparing when they need no build data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kiln.sdk.config import option
from kiln.sdk.interpolate.packer import Context, render_before_build
from kiln.template import LoadOptions, parse_template


@dataclass
class NestedConfig:
    label: str = option(default="")


@dataclass
class StepConfig:
    message: str = option(default="")
    inline: list[str] = option(default_factory=list)
    labels: dict[str, str] = option(default_factory=dict)
    nested: NestedConfig | None = option(default=None)


def lookup(kind: str, type_name: str) -> type | None:
    return StepConfig if type_name == "step" else None


def plan_for(tmp_path: Path, build_body: str, source_body: str = ""):
    text = f'source "step" "a" {{\n{source_body}}}\nbuild {{\n  sources = ["step.a"]\n{build_body}}}\n'
    (tmp_path / "t.pkr.hcl").write_text(text)
    options = LoadOptions(path=str(tmp_path), environ={}, lookup=lookup, core_version="1.2.3")
    config, diagnostics = parse_template(options)
    assert config is not None
    assert not diagnostics.has_errors(), [d.summary for d in diagnostics]
    problems = config.initialize()
    assert not problems.has_errors(), [d.summary for d in problems]
    (plan,), problems = config.get_builds()
    assert not problems.has_errors(), [d.summary for d in problems]
    return plan


def test_builder_options_rendered(tmp_path: Path) -> None:
    plan = plan_for(tmp_path, "", '  message = "v{{ packer_version }} {{ build_name }}/{{ build_type }}"\n')
    assert plan.builder.config.message == "v1.2.3 a/step"


def test_provisioner_strings_rendered_everywhere(tmp_path: Path) -> None:
    provisioner = (
        '  provisioner "step" {\n'
        '    inline = ["{{ upper `x` }}", "plain"]\n'
        '    labels = { version = "{{packer_version}}" }\n'
        '    nested {\n      label = "{{ build_name }}"\n    }\n'
        "  }\n"
    )
    spec = plan_for(tmp_path, provisioner).provisioners[0]
    assert spec.config.inline == ["X", "plain"]
    assert spec.config.labels == {"version": "1.2.3"}
    assert spec.config.nested.label == "a"


def test_raw_config_keeps_templates(tmp_path: Path) -> None:
    provisioner = '  provisioner "step" {\n    message = "{{ packer_version }}"\n  }\n'
    spec = plan_for(tmp_path, provisioner).provisioners[0]
    assert spec.raw_config["message"] == "{{ packer_version }}"


def test_user_function_left_for_engine(tmp_path: Path) -> None:
    provisioner = '  provisioner "step" {\n    message = "{{ user `name` }}"\n  }\n'
    spec = plan_for(tmp_path, provisioner).provisioners[0]
    assert spec.config.message == "{{ user `name` }}"


def test_generated_data_left_for_engine(tmp_path: Path) -> None:
    provisioner = '  provisioner "step" {\n    message = "{{ packer_version }} {{ .Host }}"\n  }\n'
    spec = plan_for(tmp_path, provisioner).provisioners[0]
    assert spec.config.message == "{{ packer_version }} {{ .Host }}"


def test_reevaluated_config_rendered(tmp_path: Path) -> None:
    provisioner = '  provisioner "step" {\n    message = "${build.ID} {{ packer_version }}"\n  }\n'
    spec = plan_for(tmp_path, provisioner).provisioners[0]
    assert spec.config.message == "<unknown> 1.2.3"
    assert spec.reevaluate is not None
    assert spec.reevaluate({"ID": "i-1"}).message == "i-1 1.2.3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no template", "no template"),
        ("{{ build_name }}-{{ lower `A` }}", "web-a"),
        ("{{ user `missing` }}|", "|"),
        ("{{ .Host }}", "{{ .Host }}"),
        ("{{ build `ID` }}", "{{ build `ID` }}"),
        ("{{ upper `a` }} {{ .Host }}", "{{ upper `a` }} {{ .Host }}"),
        ("{{ env `HOME` }}", "{{ env `HOME` }}"),
        ('{{ "{{" }} .Host }}', '{{ "{{" }} .Host }}'),
        ("{{ unclosed", "{{ unclosed"),
        ("{{ replace `b` `c` `ababa` 2 }}", "{{ replace `b` `c` `ababa` 2 }}"),
    ],
)
def test_render_before_build(text: str, expected: str) -> None:
    assert render_before_build(text, Context(build_name="web")) == expected
