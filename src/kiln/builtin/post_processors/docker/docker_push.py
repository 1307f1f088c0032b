"""The `docker-push` post-processor: pushes a tagged image from the engine to its registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiln.builtin.builders.docker.artifact import BUILDER_ID_IMPORT, ImageArtifact
from kiln.builtin.builders.docker.engine import Engine, EngineError
from kiln.builtin.builders.docker.steps import registry_credentials, split_reference
from kiln.builtin.post_processors.docker.common import DockerPostProcessError, check_image_artifact
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

LOGIN_SECTION = "Registry login"


@dataclass
class DockerPushConfig:
    """Options of the `docker-push` post-processor."""

    login: bool = option(
        default=False, doc="Log in to `login_server` before pushing.", docs_section=LOGIN_SECTION
    )
    login_server: str = option(default="", doc="Registry to log in to.", docs_section=LOGIN_SECTION)
    login_username: str = option(default="", doc="User name for the registry.", docs_section=LOGIN_SECTION)
    login_password: str = option(
        default="", sensitive=True, doc="Password for the registry.", docs_section=LOGIN_SECTION
    )
    ecr_login: bool = option(
        default=False, doc="Log in to Amazon ECR (not supported by kiln).", docs_section=LOGIN_SECTION
    )
    platform: str = option(
        default="", doc="Platform of the image to push, e.g. `linux/amd64` (ignored by kiln)."
    )
    keep_input_artifact: bool | None = option(default=None, doc="Whether the image is kept in the engine.")


class PushError(DockerPostProcessError):
    """The registry rejected the push; the engine reports this inside the progress stream."""


class DockerPushPostProcessor(PostProcessor[DockerPushConfig]):
    config_class = DockerPushConfig

    def prepare(self, config: DockerPushConfig) -> list[str]:
        problems = []
        if config.ecr_login:
            problems.append(ConfigProblem(("ecr_login",), "Amazon ECR login is not supported by kiln."))
        if config.login and not config.login_server:
            problems.append(ConfigProblem(("login_server",), "login_server must be specified with login."))
        if problems:
            raise ConfigProblems(problems)
        self.config = config
        # TODO: pass `platform` once the Docker SDK's push call accepts it (docker 7.2 does not).
        return ["platform is ignored: kiln's docker-push cannot select it yet"] if config.platform else []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        check_image_artifact(artifact, "docker-push")
        tags = [str(tag) for tag in artifact.state("docker_tags") or []]
        names = [artifact.id, *tags]
        digest = ""

        credentials = registry_credentials(
            self.config.login,
            self.config.login_username,
            self.config.login_password,
            self.config.login_server,
        )
        if credentials is not None:
            context.ui.message("Logging in...")

        engine = await Engine.connect()
        try:
            for name in names:
                context.ui.message(f"Pushing: {name}")
                digest = await engine.call(lambda client, name=name: push(client, name, credentials))
        except EngineError as error:
            raise DockerPostProcessError(f"Error pushing image: {error}") from error
        finally:
            await engine.close()
        if credentials is not None:
            context.ui.message("Logging out...")

        generated = dict(artifact.state("generated_data") or {})
        generated["Digest"] = digest
        states = {"generated_data": generated, "docker_tags": tags}
        new = ImageArtifact(BUILDER_ID_IMPORT, artifact.id, states)
        return PostProcessResult(new, keep=True, force_override=False)


def push(client: Any, name: str, credentials: dict[str, str] | None = None) -> str:
    """Push `name` and return the pushed manifest's digest (empty when the engine did not report it)."""
    repository, tag = split_reference(name)
    digest = ""
    for message in client.api.push(repository, tag=tag, stream=True, decode=True, auth_config=credentials):
        if message.get("error"):
            raise PushError(f"Error pushing {name}: {message['error']}")
        aux = message.get("aux") or {}
        digest = aux.get("Digest", digest)
    return digest
