"""The `file` provisioner: uploads files and directories to the machine, or downloads them.

Directory sources follow rsync's rule: `dir` creates `destination/dir`, `dir/` copies the
contents of `dir` into `destination`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from kiln.sdk.communicator import CommunicatorError
from kiln.sdk.component import ProvisionContext, Provisioner, ProvisionError
from kiln.sdk.config import ConfigProblem, ConfigProblems, option
from kiln.sdk.ui import ProgressReader


@dataclass
class FileProvisionerConfig:
    """Options of the `file` provisioner."""

    source: str = option(default="", doc="Path of a file or directory to copy.")
    sources: list[str] = option(default_factory=list, doc="Several paths to copy; conflicts with `content`.")
    content: str = option(default="", doc="Text to write to `destination` instead of copying a file.")
    destination: str = option(default="", doc="Where to copy to (required). Ends with `/` for a directory.")
    direction: str = option(default="upload", doc="`upload` (default) or `download`.")
    generated: bool = option(
        default=False, doc="The source is created during the build, so do not check it exists now."
    )


class FileProvisioner(Provisioner[FileProvisionerConfig]):
    config_class = FileProvisionerConfig

    def prepare(self, config: FileProvisionerConfig) -> list[str]:
        problems: list[ConfigProblem] = []
        if config.direction not in ("upload", "download"):
            problems.append(ConfigProblem(("direction",), "Direction must be one of: download, upload."))
        if config.source:
            # Packer appends `source` after `sources`.
            config.sources = [*config.sources, config.source]
            config.source = ""
        if config.content and config.sources:
            problems.append(ConfigProblem(("content",), "Cannot specify both content and source(s)."))
        if not config.content and not config.sources:
            problems.append(ConfigProblem(("source",), "Source must be specified."))
        if not config.destination:
            problems.append(ConfigProblem(("destination",), "Destination must be specified."))
        if config.direction == "upload" and not config.generated:
            for path in config.sources:
                if not os.path.exists(path):
                    problems.append(ConfigProblem(("source",), f"Bad source '{path}': file does not exist"))
        if problems:
            raise ConfigProblems(problems)
        self.config = config
        return []

    async def provision(self, context: ProvisionContext) -> None:
        communicator = context.communicator
        if communicator is None:
            raise ProvisionError("the file provisioner needs a communicator")
        config = self.config
        if config.content:
            context.ui.say(f"Uploading content => {config.destination}")
            data = config.content.encode()
            await communicator.upload(config.destination, io.BytesIO(data), size=len(data))
            return
        for source in config.sources:
            try:
                if config.direction == "download":
                    if await self._download(context, source):
                        # Packer stops after downloading a directory, whatever sources follow.
                        return
                else:
                    await self._upload(context, source)
            except CommunicatorError as error:
                action = "Download" if config.direction == "download" else "Upload"
                context.ui.error(f"{action} failed: {error}")
                raise

    async def _upload(self, context: ProvisionContext, source: str) -> None:
        assert context.communicator is not None
        destination = self.config.destination
        context.ui.say(f"Uploading {source} => {destination}")
        if os.path.isdir(source):
            await context.communicator.upload_dir(destination, source)  # type: ignore[arg-type]
            return
        if destination.endswith("/"):
            destination += os.path.basename(source)
        with open(source, "rb") as handle:  # noqa: ASYNC230 - the communicator reads it in chunks
            status = os.fstat(handle.fileno())
            with context.ui.progress(os.path.basename(source), status.st_size) as progress:
                reader = ProgressReader(handle, progress)
                await context.communicator.upload(
                    destination, reader, size=status.st_size, mode=status.st_mode & 0o7777
                )

    async def _download(self, context: ProvisionContext, source: str) -> bool:
        """Download one source; return True when it was a directory (or a glob)."""
        assert context.communicator is not None
        destination = self.config.destination
        context.ui.say(f"Downloading {source} => {destination}")
        # A destination ending in `/` is a directory; otherwise its parent must exist.
        folder = destination
        if not destination.endswith("/"):
            folder = os.path.dirname(destination)
        elif not source.endswith(("/", "*")):
            destination = os.path.join(destination, os.path.basename(source))
        if folder:
            os.makedirs(folder, mode=0o755, exist_ok=True)
        if source.endswith("/") or any(character in source for character in "*?["):
            await context.communicator.download_dir(source, Path(destination))
            return True
        descriptor = os.open(destination, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            await context.communicator.download(source, handle)
        return False
