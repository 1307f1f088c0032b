"""Data sources in templates: evaluation order, `validate`'s unknowns, and the built-in ones."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiln.builtin.datasources.http import HttpDatasource, HttpDatasourceConfig
from kiln.builtin.datasources.null import NullDatasource, NullDatasourceConfig
from kiln.cli.session import component_lookup, execute_datasource
from kiln.lang.types import STRING, ListType, MapType, ObjectType
from kiln.sdk.config import ConfigProblems
from kiln.template import LoadOptions, parse_template

TEMPLATE = """
locals {
  greeting = "${data.null.second.output}!"
}
data "null" "second" {
  input = "${data.null.first.output} world"
}
data "null" "first" {
  input = "hello"
}
"""


def load(tmp_path: Path, text: str, *, execute: bool):
    (tmp_path / "t.pkr.hcl").write_text(text)
    options = LoadOptions(
        path=str(tmp_path), environ={}, lookup=component_lookup(), datasource_executor=execute_datasource
    )
    config, diagnostics = parse_template(options)
    assert config is not None
    diagnostics.extend(config.initialize(evaluate_datasources=execute))
    return config, diagnostics


def test_data_sources_evaluate_in_dependency_order(tmp_path: Path) -> None:
    config, diagnostics = load(tmp_path, TEMPLATE, execute=True)
    assert list(diagnostics) == []
    assert config.locals["greeting"].value.as_str() == "hello world!"


def test_unexecuted_data_sources_stay_unknown(tmp_path: Path) -> None:
    config, diagnostics = load(tmp_path, TEMPLATE, execute=False)
    assert list(diagnostics) == []
    assert not config.locals["greeting"].value.is_known


def test_cycle_between_data_sources(tmp_path: Path) -> None:
    text = 'data "null" "a" {\n  input = data.null.b.output\n}\ndata "null" "b" {\n  input = data.null.a.output\n}\n'
    _config, diagnostics = load(tmp_path, text, execute=True)
    (diagnostic,) = diagnostics
    assert "data.null.a -> data.null.b -> data.null.a" in diagnostic.detail


def test_null_datasource_requires_input() -> None:
    with pytest.raises(ConfigProblems):
        NullDatasource().prepare(NullDatasourceConfig(input=""))


def test_null_datasource_returns_input() -> None:
    source = NullDatasource()
    source.prepare(NullDatasourceConfig(input="x"))
    assert asyncio.run(source.execute()).output == "x"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 404 if self.path == "/missing" else 200
        body = f"path={self.path} token={self.headers.get('X-Token', '')}".encode()
        self.send_response(status)
        self.send_header("X-Served-By", "test")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_datasource_fetches_body_and_headers(local_server: str) -> None:
    source = HttpDatasource()
    source.prepare(HttpDatasourceConfig(url=f"{local_server}/motd", request_headers={"X-Token": "t1"}))
    output = asyncio.run(source.execute())
    assert output.body == "path=/motd token=t1"
    assert output.response_headers["X-Served-By"] == ["test"]
    assert output.url == f"{local_server}/motd"


def test_http_datasource_rejects_error_status(local_server: str) -> None:
    source = HttpDatasource()
    source.prepare(HttpDatasourceConfig(url=f"{local_server}/missing"))
    with pytest.raises(RuntimeError, match="Response code: 404"):
        asyncio.run(source.execute())


def test_http_datasource_in_template(tmp_path: Path, local_server: str) -> None:
    text = f'data "http" "motd" {{\n  url = "{local_server}/hello"\n}}\nlocals {{\n  motd = data.http.motd.body\n}}\n'
    config, diagnostics = load(tmp_path, text, execute=True)
    assert list(diagnostics) == []
    assert config.locals["motd"].value.as_str() == "path=/hello token="


def test_failing_datasource_is_a_diagnostic(tmp_path: Path, local_server: str) -> None:
    text = f'data "http" "motd" {{\n  url = "{local_server}/missing"\n}}\n'
    _config, diagnostics = load(tmp_path, text, execute=True)
    (diagnostic,) = diagnostics
    assert diagnostic.summary == "Failed to execute data source data.http.motd"
    assert "404" in diagnostic.detail
    assert diagnostic.subject is not None
    assert diagnostic.subject.start.line == 1


def test_dependency_inside_nested_block(tmp_path: Path) -> None:
    from template.mock_components import execute_mock, lookup_mock

    text = (
        'data "amazon-ami" "image" {\n  nested {\n    string = data.null.name.output\n  }\n}\n'
        'data "null" "name" {\n  input = "noble"\n}\n'
        "locals {\n  picked = data.amazon-ami.image.nested.string\n}\n"
    )
    (tmp_path / "t.pkr.hcl").write_text(text)
    options = LoadOptions(
        path=str(tmp_path), environ={}, lookup=lookup_mock, datasource_executor=execute_mock
    )
    config, diagnostics = parse_template(options)
    assert config is not None
    diagnostics.extend(config.initialize(evaluate_datasources=True))
    assert list(diagnostics) == []
    assert config.locals["picked"].value.as_str() == "noble"


def test_unknown_value_has_output_type(tmp_path: Path) -> None:
    config, diagnostics = load(
        tmp_path, 'data "http" "page" {\n  url = "http://127.0.0.1:1/"\n}\n', execute=False
    )
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
    _config, diagnostics = load(tmp_path, text, execute=False)
    assert [d.summary for d in diagnostics if d.is_error] == ["Unsupported attribute"]


def test_unknown_attribute_is_unknown_string(tmp_path: Path) -> None:
    text = 'data "null" "a" {\n  input = "x"\n}\nlocals {\n  value = data.null.a.output\n}\n'
    config, diagnostics = load(tmp_path, text, execute=False)
    assert list(diagnostics) == []
    value = config.locals["value"].value
    assert not value.is_known
    assert value.type == STRING
