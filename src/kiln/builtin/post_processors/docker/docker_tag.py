"""The `docker-tag` post-processor: gives an image in the engine one or more `repository:tag` names."""

from __future__ import annotations

from dataclasses import dataclass

from kiln.builtin.builders.docker.artifact import ImageArtifact
from kiln.builtin.builders.docker.engine import Engine, EngineError
from kiln.builtin.post_processors.docker.common import (
    BUILDER_ID_TAG,
    DockerPostProcessError,
    check_image_artifact,
)
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option


@dataclass
class DockerTagConfig:
    """Options of the `docker-tag` post-processor."""

    repository: str = option(
        default="", doc="Repository to tag the image in, e.g. `registry:5000/app` (required)."
    )
    tags: list[str] = option(default_factory=list, doc="Tags to give the image; `latest` when empty.")
    tag: list[str] = option(default_factory=list, doc="Tags to give the image.", deprecated="use tags")
    force: bool = option(
        default=False, doc="Move a tag that already names another image (Docker before 1.12)."
    )
    keep_input_artifact: bool | None = option(
        default=None, doc="Whether the input artifact is kept (always)."
    )


class DockerTagPostProcessor(PostProcessor[DockerTagConfig]):
    config_class = DockerTagConfig

    def prepare(self, config: DockerTagConfig) -> list[str]:
        if not config.repository:
            raise ConfigProblems([ConfigProblem(("repository",), "repository must be specified")])
        self.config = config
        return ["tag is deprecated: use tags"] if config.tag else []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        check_image_artifact(artifact, "docker-tag")
        tags = [*self.config.tags, *self.config.tag] or [""]
        names: list[str] = []

        engine = await Engine.connect()
        try:
            for tag in tags:
                name = self.config.repository + (f":{tag}" if tag else "")
                context.ui.message(f"Tagging image: {artifact.id}")
                context.ui.message(f"Repository: {name}")
                await engine.call(
                    lambda client, tag=tag: client.api.tag(
                        artifact.id, self.config.repository, tag or None, force=self.config.force
                    )
                )
                names.append(name)
        except EngineError as error:
            raise DockerPostProcessError(f"Error tagging image: {error}") from error
        finally:
            await engine.close()

        # As in Packer, tagging with the bare repository (the engine adds `latest`) records no
        # tag in docker_tags, so docker-push then pushes only the artifact's id.
        tagged = [name for name, tag in zip(names, tags, strict=True) if tag]
        states = {"generated_data": artifact.state("generated_data"), "docker_tags": tagged}
        new = ImageArtifact(BUILDER_ID_TAG, names[-1], states)
        return PostProcessResult(new, keep=True, force_override=True)
