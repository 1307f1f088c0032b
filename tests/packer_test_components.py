"""The test-only components Packer's command tests register, for kiln's conformance tests.

Packer's harness adds a `mock` data source and the `parallel-test` and `lock` builders. The
mock data source records each use kiln makes of it, so a test can check that `validate` reads
its output type without executing it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from kiln.core import registry
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import BuildContext, Builder, Datasource
from kiln.sdk.config import option


@dataclass
class MockDatasourceConfig:
    foo: str = option(default="", doc="Returned as `foo`; `bar` when empty.")


@dataclass
class MockDatasourceOutput:
    foo: str = option(default="", doc="The configured `foo`.")


class _RecordingDatasourceType(type):
    """Metaclass that records each read of `output_class`, kiln's form of Packer's OutputSpec call."""

    @property
    def output_class(cls) -> type[Any]:
        cls.calls.append("output_spec")
        return MockDatasourceOutput


class MockDatasource(Datasource[MockDatasourceConfig], metaclass=_RecordingDatasourceType):
    config_class = MockDatasourceConfig
    calls: ClassVar[list[str]] = []  # "output_spec" and "execute", in the order kiln made them

    async def execute(self) -> MockDatasourceOutput:
        type(self).calls.append("execute")
        return MockDatasourceOutput(foo=self.config.foo or "bar")


@dataclass
class EmptyConfig:
    pass


class Coordination:
    """State the parallel builders share with a test: a run counter and the unlock signal."""

    ran = 0
    locked = 0
    lock = threading.Lock()
    unlock = threading.Event()

    @classmethod
    def reset(cls) -> None:
        cls.ran = 0
        cls.locked = 0
        cls.unlock = threading.Event()


class ParallelTestBuilder(Builder[EmptyConfig]):
    config_class = EmptyConfig

    async def run(self, context: BuildContext) -> Artifact | None:
        context.ui.say("building")
        with Coordination.lock:
            Coordination.ran += 1
        return None


class LockBuilder(Builder[EmptyConfig]):
    config_class = EmptyConfig

    async def run(self, context: BuildContext) -> Artifact | None:
        context.ui.say("locking build")
        with Coordination.lock:
            Coordination.locked += 1
        while not Coordination.unlock.is_set():
            await asyncio.sleep(0.01)
        return None


TEST_COMPONENTS = (
    ("data", "mock", MockDatasource),
    ("builder", "parallel-test", ParallelTestBuilder),
    ("builder", "lock", LockBuilder),
)


@contextmanager
def registered_test_components() -> Iterator[None]:
    """Register the test components in kiln's registry for the duration of the block."""
    for kind, name, component in TEST_COMPONENTS:
        registry.register(kind, name, component)
    MockDatasource.calls = []
    Coordination.reset()
    try:
        yield
    finally:
        for kind, name, _component in TEST_COMPONENTS:
            registry.unregister(kind, name)
        Coordination.unlock.set()
