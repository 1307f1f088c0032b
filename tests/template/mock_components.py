"""Test components with the config schema Packer's hcl2template tests share (its internal mock).

Every mock builder, provisioner, post-processor and data source accepts the same options;
the mock data source returns its own configuration as its output.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from kiln.sdk.config import Duration, option


@dataclass
class MockTag:
    key: str = option(default="")
    value: str = option(default="")


@dataclass
class MockNested:
    # Fields named after Python types get a trailing underscore and keep their template name.
    string: str = option(default="")
    int_: int = option(default=0, name="int")
    int64: int = option(default=0)
    bool_: bool = option(default=False, name="bool")
    trilean: bool | None = option(default=None)
    duration: Duration = option(default=Duration(0))
    map_string_string: dict[str, str] = option(default_factory=dict)
    slice_string: list[str] = option(default_factory=list)
    slice_slice_string: list[list[str]] = option(default_factory=list)
    named_map_string_string: dict[str, str] = option(default_factory=dict)
    named_string: str = option(default="")
    data_source: str = option(default="")
    tag: list[MockTag] = option(default_factory=list)


@dataclass
class MockConfig(MockNested):
    not_squashed: str = option(default="")
    nested: MockNested | None = option(default=None)
    nested_slice: list[MockNested] = option(default_factory=list)


def lookup_mock(kind: str, type_name: str) -> type | None:
    """Return config classes as Packer's hcl2template test harness registers them."""
    from kiln.builtin.builders.null import NullConfig
    from kiln.builtin.datasources.null import NullDatasourceConfig

    table: dict[tuple[str, str], type] = {
        ("builder", "amazon-ebs"): MockConfig,
        ("builder", "virtualbox-iso"): MockConfig,
        ("builder", "null"): NullConfig,
        ("provisioner", "shell"): MockConfig,
        ("provisioner", "file"): MockConfig,
        ("post-processor", "amazon-import"): MockConfig,
        ("post-processor", "manifest"): MockConfig,
        ("datasource", "amazon-ami"): MockConfig,
        ("datasource", "null"): NullDatasourceConfig,
    }
    return table.get((kind, type_name))


def execute_mock(type_name: str, config: Any) -> Any:
    if type_name == "null":
        return {"output": config.input}
    return mock_config_dict(config, keep_empty=True)


def mock_config_dict(config: Any, *, keep_empty: bool = False) -> dict[str, Any]:
    """Return a mock config as Packer's mapstructure names it, zero-valued scalars left out."""
    result: dict[str, Any] = {}
    for config_field in dataclasses.fields(config):
        name = config_field.metadata.get("kiln").name if config_field.metadata.get("kiln") else None
        name = name or config_field.name
        value = getattr(config, config_field.name)
        if dataclasses.is_dataclass(value):
            value = mock_config_dict(value, keep_empty=keep_empty)
        elif isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            value = [mock_config_dict(item, keep_empty=keep_empty) for item in value]
        elif isinstance(value, Duration):
            value = str(value) if value else ""
        if name in ("tag", "nested_slice"):
            result[name] = value or []
        elif keep_empty or value not in (None, "", 0, False, [], {}):
            result[name] = value
    return result
