"""The `docker-import` post-processor: imports an exported container file system as an image."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kiln.builtin.builders.docker.artifact import BUILDER_ID, BUILDER_ID_IMPORT, ImageArtifact
from kiln.builtin.builders.docker.engine import Engine, EngineError
from kiln.builtin.post_processors.docker.common import DockerPostProcessError
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

ARTIFICE_BUILDER_ID = "packer.post-processor.artifice"


@dataclass
class DockerImportConfig:
    """Options of the `docker-import` post-processor."""

    repository: str = option(default="", doc="Repository of the imported image, e.g. `local/app` (required).")
    tag: str = option(default="", doc="Tag of the imported image; the engine uses `latest` when empty.")
    changes: list[str] = option(default_factory=list, doc="Dockerfile instructions applied while importing.")
    platform: str = option(
        default="", doc="Platform recorded in the image, e.g. `linux/amd64` (ignored by kiln)."
    )
    keep_input_artifact: bool | None = option(default=None, doc="Whether the exported file is kept.")


class DockerImportPostProcessor(PostProcessor[DockerImportConfig]):
    config_class = DockerImportConfig

    def prepare(self, config: DockerImportConfig) -> list[str]:
        if not config.repository:
            raise ConfigProblems([ConfigProblem(("repository",), "repository must be specified")])
        self.config = config
        # TODO: pass `platform` once the Docker SDK's import call accepts it (docker 7.2 does not).
        return ["platform is ignored: kiln's docker-import cannot set it yet"] if config.platform else []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        if artifact.builder_id not in (BUILDER_ID, ARTIFICE_BUILDER_ID) or not artifact.files:
            raise DockerPostProcessError(
                f"Unknown artifact type: {artifact.builder_id}\n"
                "docker-import accepts only files from the docker builder with export_path or from "
                "artifice. With commit = true the image is already in the engine: use docker-tag."
            )
        repository = self.config.repository
        if self.config.tag:
            repository += f":{self.config.tag}"
        context.ui.message(f"Importing image: {artifact.id}")
        context.ui.message(f"Repository: {repository}")

        engine = await Engine.connect()
        try:
            output = await engine.call(lambda client: self._import(client, artifact.files[0]))
        except EngineError as error:
            raise DockerPostProcessError(f"Error importing {artifact.files[0]}: {error}") from error
        finally:
            await engine.close()

        context.ui.message(f"Imported ID: {imported_id(output)}")
        return PostProcessResult(
            ImageArtifact(BUILDER_ID_IMPORT, repository), keep=False, force_override=False
        )

    def _import(self, client: Any, path: str) -> str:
        output = client.api.import_image_from_file(
            path,
            repository=self.config.repository,
            tag=self.config.tag or None,
            changes=self.config.changes or None,
        )
        # podman 4.3's Docker API ignores the import's tag and names the image REPOSITORY:latest,
        # so the tag is set again explicitly. NOTE: on podman the image keeps the extra
        # `latest` name.
        image_id = imported_id(output)
        if self.config.tag and image_id:
            client.api.tag(image_id, self.config.repository, self.config.tag)
        return output


def imported_id(output: str | bytes) -> str:
    """Return the image id from the engine's import output: JSON progress lines ending in the id."""
    text = output.decode() if isinstance(output, bytes) else output
    image_id = ""
    for line in text.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(message, dict) and message.get("status"):
            image_id = str(message["status"]).strip()
    return image_id
