"""The `null` data source: returns its `input` as `output`, for tests and examples.

data "null" "greeting" { input = "hello" }   # data.null.greeting.output == "hello"
"""

from __future__ import annotations

from dataclasses import dataclass

from kiln.sdk.component import Datasource
from kiln.sdk.config import ConfigProblem, ConfigProblems, option


@dataclass
class NullDatasourceConfig:
    input: str = option(required=True, doc="The value to return as `output`.")


@dataclass
class NullDatasourceOutput:
    output: str = option(default="", doc="The configured `input`.")


class NullDatasource(Datasource[NullDatasourceConfig]):
    config_class = NullDatasourceConfig
    output_class = NullDatasourceOutput

    def prepare(self, config: NullDatasourceConfig) -> list[str]:
        if not config.input:
            raise ConfigProblems([ConfigProblem(("input",), "the `input` option is missing: set it to the value to return")])
        self.config = config
        return []

    async def execute(self) -> NullDatasourceOutput:
        return NullDatasourceOutput(output=self.config.input)
