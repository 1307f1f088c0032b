"""A connection to a Docker Engine API, shared by the docker builder and post-processors.

kiln talks to the engine through the `docker` SDK over its unix socket (`DOCKER_HOST`, default
`unix:///var/run/docker.sock`); podman's `system service` serves the same API. The SDK is
synchronous, so every call runs in a worker thread through `asyncio.to_thread`, and its
exceptions become `EngineError` here, so components never see `docker.errors` types.

    engine = await Engine.connect()
    image_id = await engine.call(lambda client: client.images.get("busybox").id)
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import docker

logger = logging.getLogger(__name__)

DEFAULT_HOST = "unix:///var/run/docker.sock"
# Docker Engine API 1.41 is the newest podman 4.3 serves; the SDK would otherwise ask the
# engine for its version on every new client.
API_VERSION = "1.41"

T = TypeVar("T")


class EngineError(Exception):
    """A Docker Engine API call failed; the message is the engine's explanation."""


def engine_host() -> str:
    return os.environ.get("DOCKER_HOST") or DEFAULT_HOST


class Engine:
    """A Docker SDK client whose calls run off the event loop."""

    def __init__(self, client: docker.DockerClient) -> None:
        self.client = client

    @classmethod
    async def connect(cls, host: str | None = None) -> Engine:
        """Connect to `host` (default: `DOCKER_HOST`) and check that the engine responds to a ping."""
        import docker
        import docker.errors
        import requests

        base_url = host or engine_host()

        def make_client() -> docker.DockerClient:
            client = docker.DockerClient(base_url=base_url, version=API_VERSION)
            client.ping()
            return client

        try:
            client = await asyncio.to_thread(make_client)
        except (docker.errors.DockerException, requests.RequestException, OSError) as error:
            raise EngineError(
                f"Docker engine at {base_url} is not reachable: {root_cause(error)}. "
                "Start the engine, or set DOCKER_HOST to its socket (e.g. unix:///run/podman/podman.sock)."
            ) from error
        return cls(client)

    async def call(self, function: Callable[[docker.DockerClient], T]) -> T:
        """Run `function(client)` in a worker thread, translating SDK errors to EngineError."""
        import docker.errors
        import requests

        try:
            return await asyncio.to_thread(function, self.client)
        except docker.errors.APIError as error:
            raise EngineError(explain(error)) from error
        except (docker.errors.DockerException, requests.RequestException, OSError) as error:
            raise EngineError(str(error)) from error

    async def close(self) -> None:
        await asyncio.to_thread(self.client.close)


def root_cause(error: BaseException) -> str:
    """Return the innermost OS error's message inside `error` (requests nests it in its args)."""
    pending: list[Any] = [error]
    seen: set[int] = set()
    while pending:
        candidate = pending.pop(0)
        if id(candidate) in seen:
            continue
        seen.add(id(candidate))
        if isinstance(candidate, OSError) and candidate.strerror:
            return candidate.strerror
        if isinstance(candidate, BaseException):
            pending.extend(candidate.args)
            pending.extend(item for item in (candidate.__cause__, candidate.__context__) if item)
    return str(error)


def explain(error: Any) -> str:
    """Return the engine's own message of an APIError, without the SDK's URL prefix."""
    explanation = getattr(error, "explanation", None)
    if explanation:
        return str(explanation)
    return str(error)
