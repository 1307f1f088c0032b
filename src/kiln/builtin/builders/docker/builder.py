"""The `docker` builder: provisions a container, then commits, exports or discards it.

Steps: connect to the engine, make the shared directory, build the image from a Dockerfile
or pull it, start the container, connect the communicator, provision, then commit or export.
"""

from __future__ import annotations

from typing import Any

from kiln.builtin.builders.docker.artifact import BUILDER_ID, BUILDER_ID_IMPORT, ImageArtifact
from kiln.builtin.builders.docker.config import DockerConfig, check_docker_config
from kiln.builtin.builders.docker.steps import (
    DockerState,
    StepBuildImage,
    StepCommit,
    StepConnect,
    StepConnectEngine,
    StepExport,
    StepPull,
    StepRun,
    StepTempDir,
)
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import BuildContext, Builder
from kiln.sdk.config import ConfigProblems
from kiln.sdk.step import Step, run_steps
from kiln.sdk.steps import StepProvision

# Generated data the builder offers to provisioners and post-processors; the pull and
# commit steps fill them in.
GENERATED_KEYS = ("ImageSha256", "SourceImageDigest", "SourceImageSha256")


class DockerBuilder(Builder[DockerConfig]):
    config_class = DockerConfig
    builder_id = BUILDER_ID
    # Generated data beyond the common set, as Packer's docker builder declares it.
    generated_data_keys = GENERATED_KEYS
    # The builder renders `{{.Image}}` in run_command itself.
    render_exclude = frozenset({"run_command"})

    def prepare(self, config: DockerConfig) -> list[str]:
        problems = check_docker_config(config)
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            raise ConfigProblems(errors)
        self.config = config
        return [problem.message for problem in problems if problem.severity != "error"]

    async def run(self, context: BuildContext) -> Artifact | None:
        for key in GENERATED_KEYS:
            context.generated.extra.setdefault(key, "")
        state = DockerState()
        await run_steps(self._steps(context), state, context.step_policy)
        if state.error is not None:
            raise state.error
        if state.cancelled:
            return None
        return self._artifact(context, state)

    def _steps(self, context: BuildContext) -> list[Step[Any]]:
        config = self.config
        steps: list[Step[Any]] = [
            StepConnectEngine(context, config),
            StepTempDir(context, config),
            StepBuildImage(context, config),
            StepPull(context, config),
            StepRun(context, config),
            StepConnect(context, config),
            StepProvision(context),
        ]
        if config.commit:
            steps.append(StepCommit(context, config))
        elif config.export_path:
            steps.append(StepExport(context, config))
        return steps

    def _artifact(self, context: BuildContext, state: DockerState) -> Artifact:
        generated = {key: context.generated.extra.get(key, "") for key in GENERATED_KEYS}
        states = {"generated_data": generated}
        if self.config.commit:
            assert state.image_id is not None
            return ImageArtifact(BUILDER_ID_IMPORT, state.image_id, states)
        # NOTE: Packer lists an empty file name for a discarded container; kiln lists none.
        files = [self.config.export_path] if self.config.export_path else []
        return BasicArtifact(
            BUILDER_ID,
            files=files,
            id="Container",
            string=f"Exported Docker file: {self.config.export_path}",
            states=states,
            remove_files_on_destroy=True,
        )
