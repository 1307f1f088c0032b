"""The `manifest` post-processor: appends each build's artifact to a JSON file.

The file is Packer's format: `{"builds": [...], "last_run_uuid": "..."}`, indented two
spaces, no trailing newline. A lock file beside it keeps parallel builds from losing entries.
With `-force`, a file left by another run is started afresh.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiln.sdk.artifact import Artifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import option


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


def append_entry(output: Path, entry: dict[str, Any], run_uuid: str, force: bool) -> None:
    """Add `entry` to the manifest at `output`, under a lock shared with other builds."""
    if output.parent != Path(""):
        output.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{output}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest: dict[str, Any] = {"builds": [], "last_run_uuid": ""}
        if output.exists() and output.stat().st_size:
            manifest = json.loads(output.read_text())
            if force and manifest.get("last_run_uuid") != run_uuid:
                manifest = {"builds": [], "last_run_uuid": ""}
        manifest.setdefault("builds", [])
        manifest["builds"] = (manifest["builds"] or []) + [entry]
        manifest["last_run_uuid"] = run_uuid
        output.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    os.remove(f"{output}.lock")


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
