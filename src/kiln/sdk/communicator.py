"""The contract between provisioners and the machine being built.

A communicator runs commands in the machine and moves files in and out of it. Provisioners
see only this interface, so the same `shell` and `file` provisioners work over SSH, through a
container engine's exec API, or on the local host. All methods are coroutines: kiln runs every
build on one asyncio event loop, and cancelling the task that awaits a method must stop the
remote work promptly and release its channel.

Errors raised by an implementation are `CommunicatorError` or a subclass, with the lower
library's exception as `__cause__`; callers never see transport-specific exception types.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

# Receives one chunk of a remote command's output as it arrives (already decoded as UTF-8 with
# replacement). The UI splits chunks into lines.
OutputCallback = Callable[[str], None]


class CommunicatorError(Exception):
    """A remote operation failed: connection lost, transfer failed, command could not start."""


class ConnectionLost(CommunicatorError):
    """The connection dropped while an operation was in flight.

    Provisioners with `expect_disconnect` treat this as success.
    """


@dataclass(slots=True)
class RemoteCommand:
    """A command line to run in the machine, with where its output goes."""

    command: str
    stdin: bytes | None = None
    on_stdout: OutputCallback | None = None
    on_stderr: OutputCallback | None = None
    environment: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CommandResult:
    """How a remote command ended: its exit status, or None when it ended without one (a signal)."""

    exit_status: int | None
    signal: str | None = None


@runtime_checkable
class Communicator(Protocol):
    async def start(self, command: RemoteCommand) -> CommandResult:
        """Run `command` to completion and return how it ended."""
        ...

    async def upload(self, destination: str, source: BinaryIO, *, size: int | None = None, mode: int = 0o644) -> None:
        """Write the bytes of `source` to the file `destination` in the machine."""
        ...

    async def upload_dir(self, destination: str, source: Path | str, *, exclude: list[str] | None = None) -> None:
        """Copy the directory `source` to `destination`, with Packer's trailing-slash rules.

        `source` ending without a slash creates `destination/<basename>`; ending with a slash
        copies its contents into `destination`. Only a `str` can end with a slash, because
        `Path` drops it.
        """
        ...

    async def download(self, source: str, destination: BinaryIO) -> None:
        """Write the bytes of the machine's file `source` to `destination`."""
        ...

    async def download_dir(self, source: str, destination: Path, *, exclude: list[str] | None = None) -> None: ...

    async def close(self) -> None:
        """Release the connection; safe to call more than once."""
        ...


# Builders hand provisioners a connected communicator; a factory lets a builder reconnect
# after a provisioner with expect_disconnect rebooted the machine.
CommunicatorFactory = Callable[[], Awaitable[Communicator]]
