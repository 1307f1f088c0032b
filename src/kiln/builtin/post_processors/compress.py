"""The `compress` post-processor: packs the artifact's files into one archive or compressed file.

The format follows the output's extensions: `.tar`, `.zip`, `.gz`/`.tgz`, `.bgzf`, `.lz4`,
`.xz`, `.zst`, `.bz2`, and `.tar.<compression>`. An output without a known extension gets
tar with gzip. A compression without `.tar` takes exactly one input file.

Every format compresses on all CPUs: gzip and bgzf in 1 MiB (bgzf: 64 KiB) blocks as Packer's
pgzip does, lz4, xz and bzip2 as concatenated streams of 4, 24 and 8 MiB blocks (xz on at
most 4 threads, for memory), and zstd with its own worker threads. Packer compresses xz on
one core; its output and kiln's decode the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult
from kiln.sdk.config import option
from kiln.sdk.interpolate.packer import Context, render

BUILDER_ID = "packer.post-processor.compress"
DEFAULT_OUTPUT = "packer_{{.BuildName}}_{{.BuilderType}}"
COMPRESSIONS = ("gz", "bgzf", "lz4", "xz", "zst", "bz2")
_ALIASES = {"gzip": "gz", "tgz": "gz", "zstd": "zst", "bzip2": "bz2"}
BLOCK_SIZE = 1 << 20
# kiln reads input files in pieces of this size, so the cost of each Python call is small
# next to compressing the piece.
COPY_SIZE = 8 << 20
# lzma needs about 100 MiB per compressor at preset 6, so xz runs at most this many at once.
XZ_WORKERS = 4


@dataclass
class CompressConfig:
    """Options of the `compress` post-processor."""

    output: str = option(
        default=DEFAULT_OUTPUT,
        doc="Path of the archive; its extensions choose the format (`.tar.gz`, `.zip`, `.xz`, ...).",
    )
    format: str = option(default="", doc="Format to use instead of the one the output's extension names.")
    compression_level: int = option(
        default=6, doc="1 (fastest) to 9 (smallest); 0 or -1 mean the default 6, and above 9 means 9."
    )
    keep_input_artifact: bool | None = option(default=None, doc="Whether the input artifact is kept.")
    packer_build_name: str = option(
        default="", doc="Set by kiln: the build's source name.", docs_section="Set by kiln"
    )
    packer_builder_type: str = option(
        default="", doc="Set by kiln: the builder type.", docs_section="Set by kiln"
    )


@dataclass(frozen=True)
class ArchiveFormat:
    """`archive` is "tar", "zip" or ""; `compression` one of COMPRESSIONS or ""."""

    archive: str
    compression: str


def detect_format(output: str, explicit: str = "") -> ArchiveFormat:
    """Return the format Packer would pick for `output` (or the explicit `format` option)."""
    parts = (explicit or os.path.basename(output)).lower().split(".")
    names = [_ALIASES.get(part, part) for part in (parts if explicit else parts[1:])]
    if parts and parts[-1] == "tgz":
        return ArchiveFormat("tar", "gz")
    archive = next((name for name in names if name in ("tar", "zip")), "")
    compression = next((name for name in reversed(names) if name in COMPRESSIONS), "")
    if not archive and not compression:
        return ArchiveFormat("tar", "gz")
    return ArchiveFormat(archive, compression)


# Packer's names for the compressions, as its messages show them.
_ALGORITHM_NAMES = {"gz": "pgzip", "bgzf": "bgzf", "lz4": "lz4", "xz": "xz", "zst": "zstd", "bz2": "bzip2"}


def progress_messages(output: str, archive_format: ArchiveFormat, files: list[str]) -> list[str]:
    """Return Packer's messages before compressing: the compressor, then the archive step."""
    compression = archive_format.compression
    algorithm = _ALGORITHM_NAMES.get(compression, "no compression")
    lines = []
    if compression:
        cores = min(os.cpu_count() or 1, XZ_WORKERS if compression == "xz" else os.cpu_count() or 1)
        lines.append(f"Using {algorithm} compression with {cores} cores for {output}")
    if archive_format.archive == "tar":
        lines.append(f"Tarring {output} with {algorithm}")
    elif archive_format.archive == "zip":
        lines.append(f"Zipping {output}")
    elif files:
        lines.append(f"Archiving {files[0]} with {algorithm}")
    return lines


def effective_level(level: int) -> int:
    if level in (0, -1):
        return 6
    return max(1, min(level, 9))


class CompressionCancelled(Exception):
    """Raised inside the compressing thread once the build has been cancelled."""


class _CancellableFile(io.RawIOBase):
    """Passes writes to `raw` until `cancelled` is set, then raises CompressionCancelled."""

    def __init__(self, raw: BinaryIO, cancelled: threading.Event) -> None:
        self.raw = raw
        self.cancelled = cancelled

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.cancelled.is_set():
            raise CompressionCancelled
        self.raw.write(data)
        return len(data)


def compress_files(
    files: list[str],
    output: Path,
    archive_format: ArchiveFormat,
    level: int,
    cancelled: threading.Event | None = None,
) -> None:
    """Write `files` to `output` in `archive_format`; raise ValueError when the format cannot hold them.

    Setting `cancelled` makes the next write to `output` raise CompressionCancelled.
    """
    if not archive_format.archive and len(files) != 1:
        raise ValueError(
            f"Can only have 1 input file when not using tar/zip. Found {len(files)} files: {', '.join(files)}"
        )
    if output.parent != Path(""):
        output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "wb") as file:
        raw: BinaryIO = _CancellableFile(file, cancelled) if cancelled else file  # type: ignore[assignment]
        _write_archive(raw, files, archive_format, level)


def _write_archive(raw: BinaryIO, files: list[str], archive_format: ArchiveFormat, level: int) -> None:
    with _compressor(raw, archive_format.compression, level) as stream:
        if archive_format.archive == "zip":
            _write_zip(stream, files, level)
        elif archive_format.archive == "tar":
            _write_tar(stream, files)
        else:
            _copy_file(files[0], stream)


def _copy_file(path: str, stream: BinaryIO) -> None:
    """Write the file at `path` to `stream` through one reused buffer.

    Each piece is passed as a view of that buffer, so `stream.write` must consume or copy
    it before returning, as every writer from `_compressor` does.
    """
    buffer = bytearray(COPY_SIZE)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as source:
        while count := source.readinto(buffer):
            stream.write(view[:count])


def _write_tar(stream: BinaryIO, files: list[str]) -> None:
    import tarfile

    # tarfile's stream mode ("w|") re-slices its buffer for every 10 KiB record it passes on.
    # Plain write mode writes each header and COPY_SIZE piece of data straight to `stream`
    # and only needs tell() once, at the start, which _CountingWriter provides.
    counted: Any = _CountingWriter(stream)
    with tarfile.open(fileobj=counted, mode="w", format=tarfile.PAX_FORMAT, copybufsize=COPY_SIZE) as archive:
        for path in files:
            archive.add(path, arcname=os.path.basename(path), recursive=False)


class _CountingWriter:
    """A write-only file that passes data to `stream` and counts it for tell()."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.position = 0

    def write(self, data: bytes) -> int:
        self.stream.write(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position


def _write_zip(stream: BinaryIO, files: list[str], level: int) -> None:
    import zipfile

    # zipfile needs to seek back to patch headers; a non-seekable stream gets data descriptors.
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for path in files:
            # Packer names zip entries by the path as given, not its base name.
            archive.write(path, arcname=path.replace(os.sep, "/"))


class _Passthrough(io.RawIOBase):
    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.raw.write(data)
        return len(data)


def _compressor(raw: BinaryIO, compression: str, level: int) -> BinaryIO:
    if compression == "gz":
        return ParallelGzipWriter(raw, level)  # type: ignore[return-value]
    if compression == "bgzf":
        return BgzfWriter(raw, level)  # type: ignore[return-value]
    if compression == "xz":
        import lzma

        return ConcatenatedStreamWriter(
            raw, lambda block: lzma.compress(block, preset=level), block_size=24 << 20, max_workers=XZ_WORKERS
        )  # type: ignore[return-value]
    if compression == "bz2":
        import bz2

        return ConcatenatedStreamWriter(
            raw, lambda block: bz2.compress(block, compresslevel=level), block_size=8 << 20
        )  # type: ignore[return-value]
    if compression == "zst":
        import zstandard

        compressor = zstandard.ZstdCompressor(level=level, threads=-1)
        # The default write size (128 KiB) stays. With 8 MiB writes to a file on ext4, a 1 GiB
        # image took 0.5-0.8 s more system time (python-zstandard 0.25, 2-core virtual machine).
        return compressor.stream_writer(raw, closefd=False)  # type: ignore[return-value]
    if compression == "lz4":
        import lz4.frame

        return ConcatenatedStreamWriter(
            raw, lambda block: lz4.frame.compress(block, compression_level=level), block_size=4 << 20
        )  # type: ignore[return-value]
    return io.BufferedWriter(_Passthrough(raw))  # type: ignore[return-value]


class _BlockWriter(io.RawIOBase):
    """Compresses fixed-size blocks on a thread pool; zlib releases the GIL, so blocks run in parallel."""

    def __init__(self, raw: BinaryIO, level: int, max_workers: int | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.raw = raw
        self.level = level
        self.buffer = bytearray()
        self.workers = min(os.cpu_count() or 1, max_workers or os.cpu_count() or 1)
        self.pool = ThreadPoolExecutor(max_workers=self.workers)
        self.pending: list = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.buffer += data
        while len(self.buffer) >= self.block_size:
            block = bytes(self.buffer[: self.block_size])
            del self.buffer[: self.block_size]
            self._submit(block)
        return len(data)

    block_size = BLOCK_SIZE

    def _submit(self, block: bytes) -> None:
        self.pending.append(self.pool.submit(self.compress_block, block))
        while len(self.pending) > 2 * self.workers:
            self.raw.write(self.pending.pop(0).result())

    def _drain(self) -> None:
        for future in self.pending:
            self.raw.write(future.result())
        self.pending.clear()

    def compress_block(self, block: bytes) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        if self.closed:
            return
        if self.buffer:
            self._submit(bytes(self.buffer))
            self.buffer.clear()
        self._drain()
        self.finish()
        self.pool.shutdown()
        super().close()

    def finish(self) -> None:
        return None

    def __del__(self) -> None:
        # IOBase's finalizer would call close(), which submits to the pool. A garbage
        # collection can run this finalizer inside another executor's submit(), which holds
        # concurrent.futures' global lock, and submitting here then deadlocks. A writer that was
        # never closed holds abandoned output (a cancelled or failed compression), so it is dropped.
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


class ConcatenatedStreamWriter(_BlockWriter):
    """Compresses each block as a complete stream and writes the streams one after another.

    lz4, xz and bzip2 decoders read concatenated streams as one file, and the Python bindings
    release the GIL while compressing, so blocks compress in parallel (as pbzip2 and `xz -T`
    do). Independent blocks cost a little compression ratio.
    """

    def __init__(self, raw: BinaryIO, compress: Any, block_size: int, max_workers: int | None = None) -> None:
        super().__init__(raw, 0, max_workers)
        self.compress = compress
        self.block_size = block_size

    def compress_block(self, block: bytes) -> bytes:
        return self.compress(block)


class ParallelGzipWriter(_BlockWriter):
    """gzip as one member of independently deflated blocks, joined by sync flushes (as pgzip does)."""

    def __init__(self, raw: BinaryIO, level: int) -> None:
        super().__init__(raw, level)
        self.crc = 0
        self.size = 0
        # A minimal gzip header: no name, no timestamp, unknown OS.
        raw.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        return super().write(data)

    def compress_block(self, block: bytes) -> bytes:
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, -zlib.MAX_WBITS)
        return compressor.compress(block) + compressor.flush(zlib.Z_SYNC_FLUSH)

    def finish(self) -> None:
        # An empty final block ends the deflate stream, then CRC-32 and size, little-endian.
        self.raw.write(b"\x03\x00")
        self.raw.write(self.crc.to_bytes(4, "little") + (self.size & 0xFFFFFFFF).to_bytes(4, "little"))


class BgzfWriter(_BlockWriter):
    """BGZF (the blocked gzip of SAM/BAM): a series of gzip members of at most 64 KiB input each."""

    block_size = 0xFF00
    _EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")

    def compress_block(self, block: bytes) -> bytes:
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated = compressor.compress(block) + compressor.flush()
        block_size = len(deflated) + 25
        header = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00" + (block_size).to_bytes(
            2, "little"
        )
        trailer = zlib.crc32(block).to_bytes(4, "little") + len(block).to_bytes(4, "little")
        return header + deflated + trailer

    def finish(self) -> None:
        self.raw.write(self._EOF)


class CompressPostProcessor(PostProcessor[CompressConfig]):
    config_class = CompressConfig
    render_exclude = frozenset({"output"})

    def prepare(self, config: CompressConfig) -> list[str]:
        self.config = config
        explicit = config.format.lower()
        known = {"tar", "zip", *COMPRESSIONS, *_ALIASES}
        if explicit and not set(explicit.split(".")) <= known:
            # Packer falls back to tar with gzip without a word; kiln says so.
            return [f'Unknown compress format "{config.format}"; using tar with gzip']
        return []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        config = self.config
        data = {
            "BuildName": config.packer_build_name or context.info.build_name,
            "BuilderType": config.packer_builder_type or context.info.builder_type,
        }
        output = render(config.output or DEFAULT_OUTPUT, Context(data=data))
        archive_format = detect_format(output, config.format)
        for line in progress_messages(output, archive_format, list(artifact.files)):
            context.ui.say(line)
        cancelled = threading.Event()
        work = asyncio.ensure_future(
            asyncio.to_thread(
                compress_files,
                list(artifact.files),
                Path(output),
                archive_format,
                effective_level(config.compression_level),
                cancelled,
            )
        )
        try:
            await asyncio.shield(work)
        except asyncio.CancelledError:
            # The thread cannot be cancelled, so stop it at its next write, then remove the
            # partial archive instead of leaving it behind.
            cancelled.set()
            with contextlib.suppress(Exception):
                await work
            Path(output).unlink(missing_ok=True)
            raise
        context.ui.say(f"Archive {output} completed")
        new = BasicArtifact(
            BUILDER_ID, files=[output], id=output, string=f"compressed artifacts in: {output}"
        )
        return PostProcessResult(new, keep=False, force_override=False)
