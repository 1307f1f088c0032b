"""Helpers of the docker post-processors: the builder ids they accept and the input check."""

from __future__ import annotations

from kiln.builtin.builders.docker.artifact import BUILDER_ID_IMPORT
from kiln.sdk.artifact import Artifact

BUILDER_ID_TAG = "packer.post-processor.docker-tag"
# Artifacts naming an image the engine stores: the builder's commit, docker-import, docker-tag.
IMAGE_BUILDER_IDS = (BUILDER_ID_IMPORT, BUILDER_ID_TAG)


class DockerPostProcessError(Exception):
    """A docker post-processor cannot handle its input or the engine failed."""


def check_image_artifact(artifact: Artifact, post_processor: str) -> None:
    """Raise DockerPostProcessError unless `artifact` is an image in the engine."""
    if artifact.builder_id in IMAGE_BUILDER_IDS:
        return
    raise DockerPostProcessError(
        f"Unknown artifact type: {artifact.builder_id}\n"
        f"The {post_processor} post-processor accepts only images from the docker builder with "
        "commit = true, docker-import or docker-tag."
    )
