"""A communicator with an in-memory filesystem and scripted commands."""

from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kiln.sdk.communicator import CommandResult, CommunicatorError, ConnectionLost, RemoteCommand


@dataclass
class ScriptedCommand:
    """The reply to commands matching `pattern` (an fnmatch pattern over the whole command line)."""

    pattern: str
    exit_status: int | None = 0
    stdout: str = ""
    stderr: str = ""
    disconnect: bool = False  # raise ConnectionLost instead of returning
    action: Callable[[RemoteCommand], None] | None = None  # e.g. change `files`


@dataclass
class FakeCommunicator:
    """Runs nothing: commands get scripted replies (exit 0 by default), files live in `files`.

    `files` maps absolute guest paths to contents; `modes` keeps upload modes. `commands`
    records every command line started, in order.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)
    commands: list[RemoteCommand] = field(default_factory=list)
    scripted: list[ScriptedCommand] = field(default_factory=list)
    closed: bool = False
    fail_uploads: int = 0  # the next N uploads raise CommunicatorError, to test retries

    def script(self, pattern: str, **reply: object) -> ScriptedCommand:
        command = ScriptedCommand(pattern, **reply)  # type: ignore[arg-type]
        self.scripted.append(command)
        return command

    async def start(self, command: RemoteCommand) -> CommandResult:
        self.commands.append(command)
        for scripted in self.scripted:
            if fnmatch.fnmatchcase(command.command, scripted.pattern):
                return self._reply(scripted, command)
        return CommandResult(0)

    def _reply(self, scripted: ScriptedCommand, command: RemoteCommand) -> CommandResult:
        if scripted.action is not None:
            scripted.action(command)
        if scripted.stdout and command.on_stdout is not None:
            command.on_stdout(scripted.stdout)
        if scripted.stderr and command.on_stderr is not None:
            command.on_stderr(scripted.stderr)
        if scripted.disconnect:
            raise ConnectionLost("fake connection closed by remote host")
        return CommandResult(scripted.exit_status)

    async def upload(
        self, destination: str, source: BinaryIO, *, size: int | None = None, mode: int = 0o644
    ) -> None:
        if self.fail_uploads > 0:
            self.fail_uploads -= 1
            raise CommunicatorError(f"fake upload to {destination} failed")
        self.files[destination] = source.read()
        self.modes[destination] = mode

    async def upload_dir(self, destination: str, source: Path, *, exclude: list[str] | None = None) -> None:
        text = os.fspath(source)
        root = Path(text)
        if not text.endswith("/"):
            destination = posixpath.join(destination, root.name)
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and not any(fnmatch.fnmatch(relative, pattern) for pattern in exclude or []):
                self.files[posixpath.join(destination, relative)] = path.read_bytes()

    async def download(self, source: str, destination: BinaryIO) -> None:
        if source not in self.files:
            raise CommunicatorError(f"fake download: {source}: no such file")
        destination.write(self.files[source])

    async def download_dir(self, source: str, destination: Path, *, exclude: list[str] | None = None) -> None:
        prefix = source.rstrip("/") + "/"
        base = destination if source.endswith("/") else destination / posixpath.basename(source.rstrip("/"))
        found = False
        for name, content in sorted(self.files.items()):
            if not name.startswith(prefix):
                continue
            found = True
            target = base / name[len(prefix) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if not found:
            raise CommunicatorError(f"fake download: {source}: no such directory")

    async def close(self) -> None:
        self.closed = True

    def command_lines(self) -> list[str]:
        return [command.command for command in self.commands]
