"""The communicator of `communicator = "none"`: present, but every operation fails.

Packer hands provisioners such a communicator, so local provisioners (`shell-local`,
`breakpoint`, `sleep`) work while remote ones fail with a clear message.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from kiln.sdk.communicator import CommandResult, CommunicatorError, RemoteCommand


class NoneCommunicator:
    def _fail(self, action: str) -> CommunicatorError:
        return CommunicatorError(
            f'cannot {action}: the communicator is "none"; set `communicator` to reach the machine'
        )

    async def start(self, command: RemoteCommand) -> CommandResult:
        raise self._fail("run a command")

    async def upload(
        self, destination: str, source: BinaryIO, *, size: int | None = None, mode: int = 0o644
    ) -> None:
        raise self._fail("upload a file")

    async def upload_dir(self, destination: str, source: Path, *, exclude: list[str] | None = None) -> None:
        raise self._fail("upload a directory")

    async def download(self, source: str, destination: BinaryIO) -> None:
        raise self._fail("download a file")

    async def download_dir(self, source: str, destination: Path, *, exclude: list[str] | None = None) -> None:
        raise self._fail("download a directory")

    async def close(self) -> None:
        return None
