"""The `docker` builder: provisions a container through the Docker Engine API."""

from kiln.builtin.builders.docker.builder import DockerBuilder

__all__ = ["DockerBuilder"]
