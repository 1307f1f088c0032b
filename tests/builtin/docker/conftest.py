"""Fixtures for the docker components: a podman engine, its registry and DOCKER_HOST."""

from podman import docker_host, podman_engine, registry

__all__ = ["docker_host", "podman_engine", "registry"]
