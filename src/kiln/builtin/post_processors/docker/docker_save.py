"""The `docker-save` post-processor: writes an image in the engine to a `docker save` tar file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiln.builtin.builders.docker.engine import Engine, EngineError
from kiln.builtin.post_processors.docker.common import DockerPostProcessError, check_image_artifact
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option


@dataclass
class DockerSaveConfig:
    """Options of the `docker-save` post-processor."""

    path: str = option(default="", doc="File to write the image archive to (required).")
    keep_input_artifact: bool | None = option(default=None, doc="Whether the image is kept in the engine.")


class DockerSavePostProcessor(PostProcessor[DockerSaveConfig]):
    config_class = DockerSaveConfig

    def prepare(self, config: DockerSaveConfig) -> list[str]:
        if not config.path:
            raise ConfigProblems([ConfigProblem(("path",), "path must be specified")])
        self.config = config
        return []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        check_image_artifact(artifact, "docker-save")
        path = Path(self.config.path)
        context.ui.message(f"Saving image: {artifact.id}")

        engine = await Engine.connect()
        try:
            await engine.call(lambda client: save_image(client, artifact.id, path))
        except EngineError as error:
            path.unlink(missing_ok=True)
            raise DockerPostProcessError(f"Error saving image {artifact.id}: {error}") from error
        finally:
            await engine.close()

        context.ui.message(f"Saved to: {path}")
        # As in Packer, the result is the input image artifact: the saved file is not tracked.
        return PostProcessResult(artifact, keep=True, force_override=False)


def save_image(client: Any, reference: str, path: Path) -> None:
    """Stream the engine's `docker save` archive of `reference` into `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as output:
        output.writelines(client.api.get_image(reference))
