"""The artifact of an image in the Docker engine, made by the builder's commit and the post-processors."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiln.builtin.builders.docker.engine import Engine, EngineError

logger = logging.getLogger(__name__)

BUILDER_ID = "packer.docker"
BUILDER_ID_IMPORT = "packer.post-processor.docker-import"


@dataclass
class ImageArtifact:
    """An image the engine stores, named by id or `repository:tag`; it has no local files.

    `states["docker_tags"]` lists the tags a docker-tag post-processor gave it.
    """

    builder_id: str
    id: str
    states: Mapping[str, Any] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return []

    @property
    def tags(self) -> list[str]:
        return [str(tag) for tag in self.states.get("docker_tags") or []]

    def __str__(self) -> str:
        if self.tags:
            return f"Imported Docker image: {self.id} with tags {' '.join(self.tags)}"
        return f"Imported Docker image: {self.id}"

    def state(self, name: str) -> Any:
        return self.states.get(name)

    async def destroy(self) -> None:
        """Remove the image from the engine."""
        engine = await Engine.connect()
        try:
            await engine.call(lambda client: client.images.remove(self.id, force=True))
        except EngineError as error:
            logger.warning("removing image %s failed: %s", self.id, error)
        finally:
            await engine.close()
