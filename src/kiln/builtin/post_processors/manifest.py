"""The `manifest` post-processor: appends each build's artifact to a JSON file.

The file is Packer's format: `{"builds": [...], "last_run_uuid": "..."}`, indented two
spaces, no trailing newline. A lock shared by the builds of one run, and a lock file beside the manifest against other
processes, keep parallel builds from losing entries.
With `-force`, a file left by another run is started afresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiln.sdk.artifact import Artifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import option

logger = logging.getLogger(__name__)


@dataclass
class ManifestConfig:
    """Options of the `manifest` post-processor."""

    output: str = option(default="packer-manifest.json", doc="Path of the manifest file.")
    strip_path: bool = option(default=False, doc="Record only the base name of each artifact file.")
    strip_time: bool = option(
        default=False, doc="Leave out `build_time`, so manifests of equal builds are equal."
    )
    custom_data: dict[str, str] | None = option(
        default=None, doc="Extra key/value pairs recorded with the build; may use generated data."
    )
    keep_input_artifact: bool | None = option(
        default=None, doc="Whether the input artifact is kept (always true here)."
    )
    packer_build_name: str = option(
        default="", doc="Set by kiln: the build's source name.", docs_section="Set by kiln"
    )
    packer_builder_type: str = option(
        default="", doc="Set by kiln: the builder type.", docs_section="Set by kiln"
    )
    packer_force: bool = option(
        default=False, doc="Set by kiln: whether `-force` was given.", docs_section="Set by kiln"
    )


def manifest_entry(config: ManifestConfig, artifact: Artifact, run_uuid: str) -> dict[str, Any]:
    """Return one build's entry, keys in Packer's order."""
    files = [
        {"name": os.path.basename(path) if config.strip_path else path, "size": _size(path)}
        for path in artifact.files
    ]
    entry: dict[str, Any] = {"name": config.packer_build_name, "builder_type": config.packer_builder_type}
    if not config.strip_time:
        entry["build_time"] = int(time.time())
    entry["files"] = files or None
    entry["artifact_id"] = artifact.id
    entry["packer_run_uuid"] = run_uuid
    entry["custom_data"] = config.custom_data
    return entry


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# Builds of one kiln run share the process, so a thread lock orders their updates. The lock
# file beside the manifest, created exclusively as Packer does, keeps out other processes.
_IN_PROCESS = threading.Lock()
LOCK_ATTEMPTS = 3


def encode_manifest(manifest: dict[str, Any]) -> str:
    """Serialise as Go's json.MarshalIndent does: two-space indent, HTML characters escaped."""
    text = json.dumps(manifest, indent=2, ensure_ascii=False)
    for character, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escape)
    return text


def append_entry(output: Path, entry: dict[str, Any], run_uuid: str, force: bool) -> None:
    """Add `entry` to the manifest at `output`; start afresh under `force` when another run wrote it."""
    if output.parent != Path(""):
        output.parent.mkdir(parents=True, exist_ok=True)
    with _IN_PROCESS, _lock_file(Path(f"{output}.lock")):
        manifest: dict[str, Any] = {"builds": [], "last_run_uuid": ""}
        if output.exists() and output.stat().st_size:
            try:
                manifest = json.loads(output.read_text())
            except json.JSONDecodeError as error:
                raise ValueError(f"Unable to parse content from {output}: {error}") from error
        if force and manifest.get("last_run_uuid") != run_uuid:
            manifest = {"builds": [], "last_run_uuid": ""}
        manifest["builds"] = (manifest.get("builds") or []) + [entry]
        manifest["last_run_uuid"] = run_uuid
        output.write_text(encode_manifest(manifest))


@contextlib.contextmanager
def _lock_file(path: Path) -> Iterator[None]:
    for attempt in range(LOCK_ATTEMPTS):
        time.sleep(attempt * 0.2)
        try:
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            logger.info("manifest lock %s is held; retrying", path)
    # Like Packer, go ahead after the last attempt: a lock left by a killed run must not block.
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


class ManifestPostProcessor(PostProcessor[ManifestConfig]):
    config_class = ManifestConfig

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        config = self.config
        if not config.packer_build_name:
            config.packer_build_name = context.info.build_name
        if not config.packer_builder_type:
            config.packer_builder_type = context.info.builder_type
        entry = manifest_entry(config, artifact, context.info.run_uuid)
        force = config.packer_force or context.info.force
        await asyncio.to_thread(append_entry, Path(config.output), entry, context.info.run_uuid, force)
        return PostProcessResult(artifact, keep=True, force_override=True)
