"""Fixtures for the examples: a podman engine for the container sources."""

from podman import podman_engine

__all__ = ["podman_engine"]
