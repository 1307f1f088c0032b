"""The `artifice` post-processor: replaces the artifact's files with the listed ones."""

from __future__ import annotations

import os
from dataclasses import dataclass

from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

BUILDER_ID = "packer.post-processor.artifice"


@dataclass
class ArtificeConfig:
    """Options of the `artifice` post-processor."""

    files: list[str] = option(default_factory=list, doc="Files that make up the new artifact (required).")
    keep_input_artifact: bool | None = option(default=None, doc="Whether the input artifact is kept.")


class ArtificePostProcessor(PostProcessor[ArtificeConfig]):
    config_class = ArtificeConfig

    def prepare(self, config: ArtificeConfig) -> list[str]:
        if not config.files:
            raise ConfigProblems([ConfigProblem(("files",), "No files specified in artifice configuration")])
        self.config = config
        return []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        if artifact.files:
            context.ui.say(f"Discarding files from artifact: {', '.join(artifact.files)}")
        files = list(self.config.files)
        for path in files:
            if not os.path.exists(path):
                raise FileNotFoundError(f"stat {path}: no such file or directory")
        context.ui.say(f"Using these artifact files: {', '.join(files)}")
        new = BasicArtifact(
            BUILDER_ID, files=files, string=f"Created artifact from files: {', '.join(files)}"
        )
        return PostProcessResult(new, keep=True, force_override=False)
