"""The type of a data source's value while it is not executed, as in `validate`."""

from __future__ import annotations

from pathlib import Path

from kiln.cli.session import component_lookup, execute_datasource
from kiln.lang.types import STRING, ListType, MapType, ObjectType
from kiln.template import LoadOptions, parse_template


def initialize(tmp_path: Path, text: str):
    (tmp_path / "t.pkr.hcl").write_text(text)
    options = LoadOptions(
        path=str(tmp_path), environ={}, lookup=component_lookup(), datasource_executor=execute_datasource
    )
    config, diagnostics = parse_template(options)
    assert config is not None
    diagnostics.extend(config.initialize(evaluate_datasources=False))
    return config, diagnostics


def test_unknown_value_has_output_type(tmp_path: Path) -> None:
    config, diagnostics = initialize(tmp_path, 'data "http" "page" {\n  url = "http://127.0.0.1:1/"\n}\n')
    assert list(diagnostics) == []
    value = config.data_sources["data.http.page"].value
    assert not value.is_known
    assert value.type == ObjectType(
        {
            "url": STRING,
            "request_headers": MapType(STRING),
            "body": STRING,
            "response_headers": MapType(ListType(STRING)),
        }
    )


def test_unknown_value_rejects_missing_attribute(tmp_path: Path) -> None:
    text = 'data "null" "a" {\n  input = "x"\n}\nlocals {\n  value = data.null.a.missing\n}\n'
    _config, diagnostics = initialize(tmp_path, text)
    assert [d.summary for d in diagnostics if d.is_error] == ["Unsupported attribute"]


def test_unknown_attribute_is_unknown_string(tmp_path: Path) -> None:
    text = 'data "null" "a" {\n  input = "x"\n}\nlocals {\n  value = data.null.a.output\n}\n'
    config, diagnostics = initialize(tmp_path, text)
    assert list(diagnostics) == []
    value = config.locals["value"].value
    assert not value.is_known
    assert value.type == STRING
