"""The `none` communicator: the build has no connection to the machine.

Builders skip connecting; any provisioner then fails before it runs, as in Packer.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from kiln.sdk.communicator import CommandResult, CommunicatorError, RemoteCommand

NO_COMMUNICATOR_MESSAGE = (
    "No communicator found for provisioners! This is usually because the\n"
    '`communicator` config was set to "none". If you have any provisioners\n'
    "then a communicator is required. Please fix this to continue."
)


class NoneCommunicator:
    """A `Communicator` whose every operation fails with Packer's message."""

    async def start(self, command: RemoteCommand) -> CommandResult:
        raise CommunicatorError(NO_COMMUNICATOR_MESSAGE)

    async def upload(
        self, destination: str, source: BinaryIO, *, size: int | None = None, mode: int = 0o644
    ) -> None:
        raise CommunicatorError(NO_COMMUNICATOR_MESSAGE)

    async def upload_dir(
        self, destination: str, source: Path | str, *, exclude: list[str] | None = None
    ) -> None:
        raise CommunicatorError(NO_COMMUNICATOR_MESSAGE)

    async def download(self, source: str, destination: BinaryIO) -> None:
        raise CommunicatorError(NO_COMMUNICATOR_MESSAGE)

    async def download_dir(self, source: str, destination: Path, *, exclude: list[str] | None = None) -> None:
        raise CommunicatorError(NO_COMMUNICATOR_MESSAGE)

    async def close(self) -> None:
        return None
