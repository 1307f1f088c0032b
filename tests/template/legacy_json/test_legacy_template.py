import json
from dataclasses import dataclass, field

import pytest

from kiln.sdk.config import Duration, option
from kiln.template.legacy_json import check_min_version, parse_template, plan_builds, resolve_variables
from kiln.template.legacy_json.decode import decode_plain


@dataclass
class FileConfig:
    target: str = option(required=True)
    content: str = ""


@dataclass
class NullConfig:
    communicator: str = "ssh"


@dataclass
class ShellLocalConfig:
    inline: list[str] = option(default_factory=list)
    execute_command: list[str] = option(default_factory=list)
    timeout: Duration | None = None


COMPONENTS = {
    ("builder", "file"): FileConfig,
    ("builder", "null"): NullConfig,
    ("provisioner", "shell-local"): ShellLocalConfig,
    ("post-processor", "shell-local"): ShellLocalConfig,
}


def lookup(kind, type_name):
    return COMPONENTS.get((kind, type_name))


def load(data, **variables):
    template, diagnostics = parse_template(json.dumps(data).encode(), "t.json")
    assert not diagnostics.has_errors(), [d.detail for d in diagnostics]
    values, diagnostics = resolve_variables(template, cli_vars=variables)
    assert not diagnostics.has_errors(), [d.detail for d in diagnostics]
    return template, values


def test_provisioner_override_and_build_name():
    template, values = load(
        {
            "builders": [{"type": "null", "name": "example1"}, {"type": "null", "name": "example2"}],
            "provisioners": [
                {
                    "type": "shell-local",
                    "inline": ["echo {{ build_name }} not overridden"],
                    "override": {"example1": {"inline": ["echo yes overridden"]}},
                }
            ],
        }
    )
    plans, diagnostics = plan_builds(template, values, lookup)
    assert not diagnostics
    assert [plan.name for plan in plans] == ["example1", "example2"]
    assert plans[0].provisioners[0].config.inline == ["echo yes overridden"]
    assert plans[1].provisioners[0].config.inline == ["echo example2 not overridden"]


def test_data_references_survive_for_the_engine():
    template, values = load(
        {
            "builders": [{"type": "null"}],
            "provisioners": [{"type": "shell-local", "inline": ["echo {{ build `ID` }} {{ .Vars }} {{ user `v` }}"]}],
            "variables": {"v": "value"},
        }
    )
    plans, _ = plan_builds(template, values, lookup)
    assert plans[0].provisioners[0].config.inline == ["echo {{.ID}} {{.Vars}} value"]


def test_variables_precedence_and_references(tmp_path):
    var_file = tmp_path / "vars.json"
    var_file.write_text('{"fruit": "apple", "other": "x"}')
    template, diagnostics = parse_template(
        json.dumps({"variables": {"fruit": None, "label": "{{ user `fruit` }}-pie", "other": "d"}, "builders": []}).encode(),
        "t.json",
    )
    values, diagnostics = resolve_variables(template, [var_file], {"other": "cli"})
    assert not diagnostics
    assert values == {"fruit": "apple", "label": "apple-pie", "other": "cli"}


def test_required_variable_missing():
    template, _ = parse_template(b'{"variables": {"null_var": null}, "builders": []}', "t.json")
    _, diagnostics = resolve_variables(template)
    assert [d.detail for d in diagnostics] == ["required variable not set: null_var"]


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        (b'{"builders": [], "bogus": 1}', "Unknown root level key in template: 'bogus'"),
        (b'{"builders": [{"type": "null"}, {"type": "null"}]}', "builder null: builder with this name already exists"),
        (b'{"builders": [], "builders": []}', "template has duplicate field: builders"),
        (b'{"builders": [], "post-processors": [[["x"]]]}', "post-processor 1: nested arrays are not allowed"),
        (
            b'{"builders": [{"type": "null"}], "provisioners": [{"type": "shell-local", "only": ["nope"]}]}',
            "shell-local: 'nope' is not a known builder name",
        ),
    ],
)
def test_structure_errors(source, detail):
    _, diagnostics = parse_template(source, "t.json")
    assert detail in [d.detail for d in diagnostics]


def test_syntax_error_has_position():
    _, diagnostics = parse_template(b'{\n  "builders": [\n    {"type": "null",}\n  ]\n}', "t.json")
    (diagnostic,) = diagnostics
    assert diagnostic.subject is not None
    assert (diagnostic.subject.start.line, diagnostic.subject.start.column) == (3, 21)


def test_unknown_option_and_builder_type_reported_valid_builds_kept():
    template, values = load(
        {
            "builders": [
                {"type": "file", "name": "good", "target": "a.txt"},
                {"type": "non-existing", "name": "bad"},
                {"type": "file", "name": "typo", "target": "b", "comment": "x"},
            ]
        }
    )
    plans, diagnostics = plan_builds(template, values, lookup)
    assert [plan.name for plan in plans] == ["good"]
    details = [d.detail for d in diagnostics]
    assert "unknown builder type: 'non-existing'" in details
    assert "builder file: '' has invalid keys: comment" in details


def test_except_drops_post_processor_and_rest_of_chain():
    template, values = load(
        {
            "builders": [{"type": "null", "name": "a"}, {"type": "null", "name": "b"}],
            "post-processors": [
                [{"type": "shell-local", "name": "pear"}, {"type": "shell-local", "name": "banana"}],
                [{"type": "shell-local", "name": "tomato", "only": ["b"]}],
            ],
        }
    )
    plans, _ = plan_builds(template, values, lookup, except_=["pear"])
    assert [[pp.name for pp in chain] for chain in plans[0].post_processor_chains] == []
    assert [[pp.name for pp in chain] for chain in plans[1].post_processor_chains] == [["tomato"]]


def test_min_version():
    template, _ = parse_template(b'{"builders": [], "min_packer_version": "101.0.0"}', "t.json")
    (diagnostic,) = check_min_version(template, "100.0.0")
    assert diagnostic.detail == "This template requires Packer version 101.0.0 or higher; using 100.0.0"
    assert not check_min_version(template, "101.0.0")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"inline": "echo yop"}, ["echo yop"]),
        ({"inline": "a,b"}, ["a", "b"]),
        ({"inline": ["x", 1]}, ["x", "1"]),
    ],
)
def test_weak_decoding_to_lists(data, expected):
    config, problems = decode_plain(data, ShellLocalConfig)
    assert not problems
    assert config.inline == expected


def test_weak_decoding_durations_and_errors():
    config, _ = decode_plain({"timeout": "5m"}, ShellLocalConfig)
    assert float(config.timeout) == 300.0
    _, problems = decode_plain({"timeout": "soon"}, ShellLocalConfig)
    assert problems[0].message == "error decoding 'timeout': time: invalid duration \"soon\""
