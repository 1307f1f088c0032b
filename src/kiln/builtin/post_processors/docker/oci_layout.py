"""The `oci-layout` post-processor: exports an image in the engine as an OCI image layout directory.

The engine's `docker save` archive (a `manifest.json`, the image config and one tar per layer)
is rewritten as an OCI image layout: an `oci-layout` marker, `index.json` naming the manifest
under the `org.opencontainers.image.ref.name` annotation, and content-addressed files under
`blobs/sha256/`. Tools such as `skopeo copy oci:DIR:REF ...` read the result. The directory is
written next to its final place and renamed at the end, so a failed export leaves no
half-written layout.

    post-processor "oci-layout" { path = "out/app-oci", ref_name = "1.0" }
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kiln.builtin.builders.docker.engine import Engine, EngineError
from kiln.builtin.post_processors.docker.common import DockerPostProcessError, check_image_artifact
from kiln.builtin.post_processors.docker.docker_save import save_image
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

BUILDER_ID = "kiln.post-processor.oci-layout"
LAYOUT_VERSION = "1.0.0"
INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"
MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json"
LAYER_MEDIA_TYPES = {
    "none": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
}
REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name"
CHUNK = 1 << 20


@dataclass
class OCILayoutConfig:
    """Options of the `oci-layout` post-processor."""

    path: str = option(
        default="", doc="Directory to write the OCI image layout to (required); replaced if present."
    )
    ref_name: str = option(
        default="latest", doc="Name of the image in the layout's index, as in `oci:PATH:REF_NAME`."
    )
    compression: str = option(default="gzip", doc="Layer compression: `gzip` or `none`.")
    keep_input_artifact: bool | None = option(default=None, doc="Whether the image is kept in the engine.")


@dataclass(frozen=True)
class Descriptor:
    """An OCI content descriptor: what a blob is, its digest and size in bytes."""

    media_type: str
    digest: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size}


class OCILayoutPostProcessor(PostProcessor[OCILayoutConfig]):
    config_class = OCILayoutConfig

    def prepare(self, config: OCILayoutConfig) -> list[str]:
        problems = []
        if not config.path:
            problems.append(ConfigProblem(("path",), "path must be specified"))
        if config.compression not in LAYER_MEDIA_TYPES:
            problems.append(
                ConfigProblem(
                    ("compression",), f'Invalid compression "{config.compression}": expected gzip or none.'
                )
            )
        if not config.ref_name:
            problems.append(ConfigProblem(("ref_name",), "ref_name must not be empty"))
        if problems:
            raise ConfigProblems(problems)
        self.config = config
        return []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        check_image_artifact(artifact, "oci-layout")
        destination = Path(self.config.path)
        context.ui.message(f"Exporting image {artifact.id} as an OCI image layout: {destination}")

        engine = await Engine.connect()
        try:
            await engine.call(lambda client: self._export(client, artifact.id, destination))
        except EngineError as error:
            raise DockerPostProcessError(f"Error exporting image {artifact.id}: {error}") from error
        finally:
            await engine.close()

        files = sorted(str(path) for path in destination.rglob("*") if path.is_file())
        new = BasicArtifact(
            BUILDER_ID,
            files=files,
            id=f"oci:{destination}:{self.config.ref_name}",
            string=f"OCI image layout in {destination} ({self.config.ref_name})",
            states={"generated_data": artifact.state("generated_data")},
        )
        return PostProcessResult(new, keep=True, force_override=False)

    def _export(self, client: Any, reference: str, destination: Path) -> None:
        destination.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
        try:
            archive_path = staging / "image.tar"
            save_image(client, reference, archive_path)
            layout = staging / "layout"
            write_layout(archive_path, layout, self.config.ref_name, self.config.compression)
            if destination.exists():
                shutil.rmtree(destination)
            layout.rename(destination)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def write_layout(archive_path: Path, layout: Path, ref_name: str, compression: str) -> Descriptor:
    """Write the OCI image layout of the `docker save` archive at `archive_path`; return the manifest's descriptor."""
    blobs = layout / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    with tarfile.open(archive_path) as archive:
        entries = json.load(_member(archive, "manifest.json"))
        if len(entries) != 1:
            raise DockerPostProcessError(f"expected one image in the saved archive, found {len(entries)}")
        entry = entries[0]
        config_bytes = _member(archive, entry["Config"]).read()
        config = _write_blob(blobs, config_bytes, CONFIG_MEDIA_TYPE)
        layers = [_write_layer(blobs, _member(archive, name), compression) for name in entry["Layers"]]

    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST_MEDIA_TYPE,
        "config": config.to_json(),
        "layers": [layer.to_json() for layer in layers],
    }
    manifest_descriptor = _write_blob(blobs, _canonical_json(manifest), MANIFEST_MEDIA_TYPE)
    index = {
        "schemaVersion": 2,
        "mediaType": INDEX_MEDIA_TYPE,
        "manifests": [{**manifest_descriptor.to_json(), "annotations": {REF_NAME_ANNOTATION: ref_name}}],
    }
    (layout / "index.json").write_bytes(_canonical_json(index))
    (layout / "oci-layout").write_bytes(_canonical_json({"imageLayoutVersion": LAYOUT_VERSION}))
    return manifest_descriptor


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    try:
        handle = archive.extractfile(name)
    except KeyError as error:
        raise DockerPostProcessError(f"the saved image archive lacks {name}") from error
    if handle is None:
        raise DockerPostProcessError(f"{name} in the saved image archive is not a regular file")
    return handle


def _canonical_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def _write_blob(blobs: Path, data: bytes, media_type: str) -> Descriptor:
    digest = hashlib.sha256(data).hexdigest()
    (blobs / digest).write_bytes(data)
    return Descriptor(media_type, f"sha256:{digest}", len(data))


def _write_layer(blobs: Path, source: IO[bytes], compression: str) -> Descriptor:
    # The layer is streamed through a temporary file because its digest, which names the
    # blob, is known only at the end. mtime=0 keeps gzip output the same for the same layer.
    with tempfile.NamedTemporaryFile(dir=blobs, delete=False) as spool:
        hashing = _HashingWriter(spool)
        if compression == "gzip":
            with gzip.GzipFile(fileobj=hashing, mode="wb", mtime=0) as compressed:
                shutil.copyfileobj(source, compressed, CHUNK)
        else:
            shutil.copyfileobj(source, hashing, CHUNK)
    digest = hashing.sha256.hexdigest()
    Path(spool.name).rename(blobs / digest)
    return Descriptor(LAYER_MEDIA_TYPES[compression], f"sha256:{digest}", hashing.size)


class _HashingWriter:
    """A write-only file object that hashes and counts what passes through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.target.write(data)

    def flush(self) -> None:
        self.target.flush()
