"""The `file` builder: writes one local file from `source` or `content`, then runs provisioners.

Provisioners get an in-memory communicator that accepts every operation, as Packer's mock
one does, so a template can try provisioners without a machine.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import BuildContext, Builder
from kiln.sdk.config import ConfigProblem, ConfigProblems, option
from kiln.sdk.testing import FakeCommunicator

BUILDER_ID = "packer.file"


@dataclass
class FileConfig:
    """Configuration of the `file` builder."""

    target: str = option(default="", required=False, doc="Path of the file to write (required).")
    source: str = option(default="", doc="Local file to copy to `target`. Conflicts with `content`.")
    content: str = option(default="", doc="Text to write to `target`. Conflicts with `source`.")


class FileBuilder(Builder[FileConfig]):
    config_class = FileConfig
    builder_id = BUILDER_ID

    def prepare(self, config: FileConfig) -> list[str]:
        self.config = config
        problems: list[ConfigProblem] = []
        warnings: list[str] = []
        if not config.target:
            problems.append(ConfigProblem(("target",), "target is required"))
        if config.source and config.content:
            problems.append(ConfigProblem(("content",), "source and content cannot both be specified"))
        if not config.source and not config.content:
            warnings.append("Both source file and contents are blank; target will have no content")
        if problems:
            raise ConfigProblems(problems)
        return warnings

    async def run(self, context: BuildContext) -> Artifact | None:
        config = self.config
        if config.source:
            context.ui.say(f"Copying {config.source} to {config.target}")
        copied = await asyncio.to_thread(self._write)
        if config.source:
            context.ui.say(f"Copied {copied} bytes")
        await context.hook.provision(FakeCommunicator(), context.generated)
        return BasicArtifact(
            BUILDER_ID,
            files=[config.target],
            id="File",
            string=f"Stored file: {config.target}",
            remove_files_on_destroy=True,
        )

    def _write(self) -> int:
        """Write the target; return the number of bytes copied from `source` (0 for `content`)."""
        target = Path(self.config.target)
        if target.parent != Path(""):
            target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        if self.config.source:
            shutil.copyfile(self.config.source, target)
            return target.stat().st_size
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(self.config.content)
        return 0
