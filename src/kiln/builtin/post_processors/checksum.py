"""The `checksum` post-processor: writes digests of the artifact's files to checksum files.

Each line is `HEXDIGEST<TAB>BASENAME`; lines are appended, so one file can collect several
builds. The output path may use `{{.BuildName}}`, `{{.BuilderType}}` and `{{.ChecksumType}}`.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option
from kiln.sdk.interpolate.packer import Context, render

BUILDER_ID = "packer.post-processor.checksum"
CHECKSUM_TYPES = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
DEFAULT_OUTPUT = "packer_{{.BuildName}}_{{.BuilderType}}_{{.ChecksumType}}.checksum"


@dataclass
class ChecksumConfig:
    """Options of the `checksum` post-processor."""

    checksum_types: list[str] = option(
        default_factory=lambda: ["md5"], doc="Digests to compute: md5, sha1, sha224, sha256, sha384, sha512."
    )
    output: str = option(default=DEFAULT_OUTPUT, doc="Path of each checksum file.")
    keep_input_artifact: bool | None = option(
        default=None, doc="Whether the input artifact is kept (always true here)."
    )
    packer_build_name: str = option(
        default="", doc="Set by kiln: the build's source name.", docs_section="Set by kiln"
    )
    packer_builder_type: str = option(
        default="", doc="Set by kiln: the builder type.", docs_section="Set by kiln"
    )


def file_digest(path: str, algorithm: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, algorithm).hexdigest()


def append_checksum(path: str, algorithm: str, output: Path) -> bool:
    """Append `path`'s digest line to `output`; return whether `output` is a new file."""
    created = not output.exists()
    if output.parent != Path(""):
        output.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    line = f"{file_digest(path, algorithm)}\t{os.path.basename(path)}\n"
    descriptor = os.open(output, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(line)
    return created


class ChecksumPostProcessor(PostProcessor[ChecksumConfig]):
    config_class = ChecksumConfig
    render_exclude = frozenset({"output"})

    def prepare(self, config: ChecksumConfig) -> list[str]:
        config.checksum_types = config.checksum_types or ["md5"]
        unknown = [name for name in config.checksum_types if name not in CHECKSUM_TYPES]
        if unknown:
            raise ConfigProblems(
                [
                    ConfigProblem(("checksum_types",), f"Unrecognized checksum type: {name}")
                    for name in unknown
                ]
            )
        self.config = config
        return []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        files = list(artifact.files)
        generated = artifact.state("generated_data")
        data = dict(generated) if isinstance(generated, dict) else {}
        data["BuildName"] = self.config.packer_build_name or context.info.build_name
        data["BuilderType"] = self.config.packer_builder_type or context.info.builder_type
        # As in Packer, the output is rendered per input file, and a checksum file joins the
        # new artifact only when this run created it.
        written: list[str] = []
        for algorithm in self.config.checksum_types:
            data["ChecksumType"] = algorithm
            for path in files:
                output = render(self.config.output or DEFAULT_OUTPUT, Context(data=data))
                if await asyncio.to_thread(append_checksum, path, algorithm, Path(output)):
                    written.append(output)
        new = BasicArtifact(
            BUILDER_ID,
            files=files + written,
            string=f"Created artifact from files: {', '.join(files + written)}",
        )
        return PostProcessResult(new, keep=True, force_override=True)
