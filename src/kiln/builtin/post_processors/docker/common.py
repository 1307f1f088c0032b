"""Helpers of the docker post-processors: input checks and the names of an image artifact."""

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


def image_names(artifact: Artifact) -> list[str]:
    """Return the references an image artifact is known by: its tags, else its id."""
    tags = artifact.state("docker_tags")
    if tags:
        return [str(tag) for tag in tags]
    return [artifact.id]
