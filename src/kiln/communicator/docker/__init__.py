"""A communicator for containers: commands through the engine's exec API, files as tar archives."""

from kiln.communicator.docker.communicator import DockerCommunicator

__all__ = ["DockerCommunicator"]
