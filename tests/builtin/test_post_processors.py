"""compress, checksum, artifice and shell-local post-processors with real files and tools."""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time

import pytest

from kiln.builtin.post_processors.artifice import ArtificeConfig, ArtificePostProcessor
from kiln.builtin.post_processors.checksum import ChecksumConfig, ChecksumPostProcessor
from kiln.builtin.post_processors.compress import (
    COPY_SIZE,
    ArchiveFormat,
    CompressConfig,
    CompressPostProcessor,
    detect_format,
    effective_level,
)
from kiln.builtin.post_processors.shell_local import ShellLocalPostProcessor
from kiln.builtin.shell_local import ShellLocalConfig
from kiln.sdk.artifact import BasicArtifact
from kiln.sdk.component import BuildInfo, PostProcessContext
from kiln.sdk.config import ConfigProblems
from kiln.sdk.testing import recording_ui

INFO = BuildInfo(build_name="base", builder_type="file", full_name="file.base")


def post_process(post_processor, config, artifact):
    post_processor.prepare(config)
    ui, sink = recording_ui(
        "file.base",
    )
    result = asyncio.run(post_processor.post_process(PostProcessContext(ui, INFO), artifact))
    return result, sink


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "disk.img"
    path.write_bytes(bytes(range(256)) * 20000 + b"tail")
    return path


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("out.tar.gz", ArchiveFormat("tar", "gz")),
        ("out.tgz", ArchiveFormat("tar", "gz")),
        ("out.gz", ArchiveFormat("", "gz")),
        ("out.zip", ArchiveFormat("zip", "")),
        ("out.tar", ArchiveFormat("tar", "")),
        ("out.tar.zst", ArchiveFormat("tar", "zst")),
        ("out.lz4", ArchiveFormat("", "lz4")),
        ("out.bgzf", ArchiveFormat("", "bgzf")),
        ("out.xz", ArchiveFormat("", "xz")),
        ("out", ArchiveFormat("tar", "gz")),
        ("packer_base_file", ArchiveFormat("tar", "gz")),
    ],
)
def test_format_from_extension(output, expected):
    assert detect_format(output) == expected


def test_level_bounds():
    assert [effective_level(level) for level in (-1, 0, 1, 9, 12)] == [6, 6, 1, 9, 9]


@pytest.mark.parametrize(
    ("suffix", "tool"),
    [("gz", "gzip"), ("bgzf", "gzip"), ("xz", "xz"), ("zst", "zstd"), ("lz4", "lz4"), ("bz2", "bzip2")],
)
def test_compress_round_trip_with_real_tool(tmp_path, image, suffix, tool):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    output = tmp_path / f"disk.img.{suffix}"
    artifact = BasicArtifact("packer.file", files=[str(image)])
    result, sink = post_process(CompressPostProcessor(), CompressConfig(output=str(output)), artifact)
    assert subprocess.run([tool, "-t", str(output)], capture_output=True).returncode == 0
    restored = subprocess.run([tool, "-dc", str(output)], capture_output=True).stdout
    assert restored == image.read_bytes()
    assert result.artifact.files == [str(output)]
    assert str(result.artifact) == f"compressed artifacts in: {output}"
    assert result.keep is False


def test_compress_tar_gz_holds_all_files(tmp_path, image):
    other = tmp_path / "notes.txt"
    other.write_text("notes")
    output = tmp_path / "all.tar.gz"
    artifact = BasicArtifact("packer.file", files=[str(image), str(other)])
    post_process(CompressPostProcessor(), CompressConfig(output=str(output)), artifact)
    listing = subprocess.run(["tar", "tzf", str(output)], capture_output=True, text=True).stdout.split()
    assert listing == ["disk.img", "notes.txt"]


@pytest.fixture
def large_image(tmp_path):
    """A 21 MiB file, which is more than two copy buffers and not a multiple of one, of random
    blocks between runs of zeros and of text."""
    generator = random.Random(3)
    text = (b"kiln writes archives. " * 30000)[: 1 << 19]
    path = tmp_path / "large.img"
    with open(path, "wb") as stream:
        for index in range(14):
            stream.write(generator.randbytes(1 << 20))
            stream.write(bytes(1 << 19) if index % 2 else text)
    return path


def test_compress_zst_larger_than_copy_buffer(tmp_path, large_image):
    if shutil.which("zstd") is None:
        pytest.skip("zstd is not installed")
    output = tmp_path / "large.img.zst"
    artifact = BasicArtifact("packer.file", files=[str(large_image)])

    post_process(CompressPostProcessor(), CompressConfig(output=str(output)), artifact)
    restored = subprocess.run(["zstd", "-dc", str(output)], capture_output=True, check=True).stdout

    assert large_image.stat().st_size > 2 * COPY_SIZE
    assert large_image.stat().st_size % COPY_SIZE != 0
    assert restored == large_image.read_bytes()


def test_compress_tar_matches_tarfile_stream(tmp_path, large_image, image):
    output = tmp_path / "both.tar"
    expected = tmp_path / "expected.tar"
    artifact = BasicArtifact("packer.file", files=[str(large_image), str(image)])
    with tarfile.open(expected, mode="w|", format=tarfile.PAX_FORMAT) as archive:
        archive.add(large_image, arcname="large.img", recursive=False)
        archive.add(image, arcname="disk.img", recursive=False)

    post_process(CompressPostProcessor(), CompressConfig(output=str(output)), artifact)

    assert output.read_bytes() == expected.read_bytes()


def test_compress_tar_zst_round_trip(tmp_path, large_image, image):
    if shutil.which("zstd") is None:
        pytest.skip("zstd is not installed")
    output = tmp_path / "both.tar.zst"
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    artifact = BasicArtifact("packer.file", files=[str(large_image), str(image)])

    post_process(CompressPostProcessor(), CompressConfig(output=str(output)), artifact)
    subprocess.run(["tar", "--zstd", "-xf", str(output), "-C", str(unpacked)], check=True)

    assert sorted(path.name for path in unpacked.iterdir()) == ["disk.img", "large.img"]
    assert (unpacked / "large.img").read_bytes() == large_image.read_bytes()
    assert (unpacked / "disk.img").read_bytes() == image.read_bytes()


def test_compress_single_format_rejects_many_files(tmp_path, image):
    artifact = BasicArtifact("packer.file", files=[str(image), str(image)])
    with pytest.raises(ValueError, match="Can only have 1 input file"):
        post_process(CompressPostProcessor(), CompressConfig(output=str(tmp_path / "x.gz")), artifact)


def test_compress_cancel_removes_archive(tmp_path):
    source = tmp_path / "big.bin"
    with open(source, "wb") as stream:
        for _ in range(64):
            stream.write(os.urandom(1 << 20))
    output = tmp_path / "big.tar.gz"
    post_processor = CompressPostProcessor()
    post_processor.prepare(CompressConfig(output=str(output)))
    ui, _ = recording_ui("file.base")

    async def cancel_while_compressing() -> float:
        task = asyncio.create_task(
            post_processor.post_process(PostProcessContext(ui, INFO), BasicArtifact("x", files=[str(source)]))
        )
        while not output.exists():
            await asyncio.sleep(0.01)
        task.cancel()
        started = time.monotonic()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    # Compressing 64 MiB of random data takes several seconds here; a cancel must not wait for it.
    assert asyncio.run(cancel_while_compressing()) < 5
    assert not output.exists()


def test_checksum_lines_appended(tmp_path, image):
    output = f"{tmp_path}/sums_{{{{.BuildName}}}}_{{{{.ChecksumType}}}}.txt"
    artifact = BasicArtifact("packer.file", files=[str(image)])
    config = ChecksumConfig(checksum_types=["sha256", "md5"], output=output)
    result, _ = post_process(ChecksumPostProcessor(), config, artifact)
    post_process(ChecksumPostProcessor(), ChecksumConfig(checksum_types=["sha256"], output=output), artifact)
    sha256 = hashlib.sha256(image.read_bytes()).hexdigest()
    lines = (tmp_path / "sums_base_sha256.txt").read_text()
    assert lines == f"{sha256}\tdisk.img\n" * 2
    assert (
        tmp_path / "sums_base_md5.txt"
    ).read_text() == f"{hashlib.md5(image.read_bytes()).hexdigest()}\tdisk.img\n"
    assert result.artifact.files == [
        str(image),
        f"{tmp_path}/sums_base_sha256.txt",
        f"{tmp_path}/sums_base_md5.txt",
    ]
    assert (result.keep, result.force_override) == (True, True)


def test_checksum_rejects_unknown_type():
    with pytest.raises(ConfigProblems, match="Unrecognized checksum type: crc32"):
        ChecksumPostProcessor().prepare(ChecksumConfig(checksum_types=["crc32"]))


def test_artifice_replaces_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a.box", "b.box"):
        (tmp_path / name).write_text(name)
    artifact = BasicArtifact("packer.file", files=["old.img"])
    result, sink = post_process(ArtificePostProcessor(), ArtificeConfig(files=["a.box", "b.box"]), artifact)
    assert result.artifact.files == ["a.box", "b.box"]
    assert result.artifact.builder_id == "packer.post-processor.artifice"
    assert str(result.artifact) == "Created artifact from files: a.box, b.box"
    assert sink.texts() == [
        "Discarding files from artifact: old.img",
        "Using these artifact files: a.box, b.box",
    ]


def test_artifice_missing_file_fails(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="stat gone.box"):
        post_process(ArtificePostProcessor(), ArtificeConfig(files=["gone.box"]), BasicArtifact("x"))


def test_shell_local_runs_on_host_and_passes_artifact(tmp_path):
    marker = tmp_path / "ran"
    artifact = BasicArtifact("packer.file")
    config = ShellLocalConfig(inline=[f"echo $PACKER_BUILD_NAME > {marker}", "echo done"])
    result, sink = post_process(ShellLocalPostProcessor(), config, artifact)
    assert marker.read_text() == "base\n"
    assert result.artifact is artifact
    assert sink.texts()[-1] == "done"
    assert (result.keep, result.force_override) == (True, True)


def test_shell_local_execute_command_and_env_format(tmp_path):
    config = ShellLocalConfig(
        command="echo unused",
        environment_vars=["X=1"],
        env_var_format="export %s=%s; ",
        execute_command=["/bin/sh", "-c", "{{.Vars}} echo X=$X"],
    )
    _, sink = post_process(ShellLocalPostProcessor(), config, BasicArtifact("x"))
    assert sink.texts()[-1] == "X=1"


def test_shell_local_bad_exit_code():
    with pytest.raises(RuntimeError, match=r"non-zero exit status: 4.Allowed exit codes are: \[0\]"):
        post_process(ShellLocalPostProcessor(), ShellLocalConfig(inline=["exit 4"]), BasicArtifact("x"))


def test_shell_local_needs_exactly_one_source():
    with pytest.raises(ConfigProblems, match="cannot all be empty"):
        ShellLocalPostProcessor().prepare(ShellLocalConfig())
    with pytest.raises(ConfigProblems, match="Only one of"):
        ShellLocalPostProcessor().prepare(ShellLocalConfig(command="a", inline=["b"]))


def test_manifest_entry_files_and_escaping(tmp_path, image):
    from kiln.builtin.post_processors.manifest import ManifestConfig, ManifestPostProcessor

    output = tmp_path / "out" / "manifest.json"
    config = ManifestConfig(
        output=str(output), strip_path=True, strip_time=True, custom_data={"note": "<a&b>"}
    )
    artifact = BasicArtifact("packer.file", files=[str(image)], id="File")
    result, _ = post_process(ManifestPostProcessor(), config, artifact)
    text = output.read_text()
    assert result.artifact is artifact
    assert (result.keep, result.force_override) == (True, True)
    assert not text.endswith("\n")
    assert '"note": "\\u003ca\\u0026b\\u003e"' in text
    assert (
        f'"files": [\n        {{\n          "name": "disk.img",\n          "size": {image.stat().st_size}\n        }}\n      ]'
        in text
    )
    assert '"build_time"' not in text
    assert not (tmp_path / "out" / "manifest.json.lock").exists()


def test_manifest_rejects_corrupt_file(tmp_path):
    from kiln.builtin.post_processors.manifest import ManifestConfig, ManifestPostProcessor

    output = tmp_path / "manifest.json"
    output.write_text("{not json")
    with pytest.raises(ValueError, match="Unable to parse content from"):
        post_process(ManifestPostProcessor(), ManifestConfig(output=str(output)), BasicArtifact("x"))


def test_compress_messages(tmp_path, image):
    output = tmp_path / "disk.tar.gz"
    _, sink = post_process(
        CompressPostProcessor(), CompressConfig(output=str(output)), BasicArtifact("x", files=[str(image)])
    )
    assert sink.texts()[1:] == [f"Tarring {output} with pgzip", f"Archive {output} completed"]
    assert sink.texts()[0].startswith("Using pgzip compression with ")


def test_compress_zip_keeps_given_paths(tmp_path, image, monkeypatch):
    import zipfile

    monkeypatch.chdir(tmp_path)
    output = tmp_path / "all.zip"
    _, sink = post_process(
        CompressPostProcessor(), CompressConfig(output=str(output)), BasicArtifact("x", files=["disk.img"])
    )
    assert zipfile.ZipFile(output).namelist() == ["disk.img"]
    assert sink.texts() == [f"Zipping {output}", f"Archive {output} completed"]


def test_compress_unknown_format_warns_and_uses_tar_gz():
    component = CompressPostProcessor()
    assert component.prepare(CompressConfig(format="rar")) == [
        'Unknown compress format "rar"; using tar with gzip'
    ]
    assert detect_format("out", "rar") == ArchiveFormat("tar", "gz")
    assert CompressPostProcessor().prepare(CompressConfig(format="tar.zst")) == []


@pytest.mark.parametrize("tool", ["xz", "bzip2", "lz4"])
def test_concatenated_streams_decode_as_one_file(tmp_path, tool):
    import bz2
    import lzma

    import lz4.frame

    from kiln.builtin.post_processors.compress import ConcatenatedStreamWriter

    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    compress = {"xz": lzma.compress, "bzip2": bz2.compress, "lz4": lz4.frame.compress}[tool]
    data = bytes(range(256)) * 1000 + b"end"
    output = tmp_path / "out"
    with open(output, "wb") as raw:
        writer = ConcatenatedStreamWriter(raw, compress, block_size=64 << 10)
        writer.write(data)
        writer.close()
    assert subprocess.run([tool, "-t", str(output)], capture_output=True, check=False).returncode == 0
    restored = subprocess.run([tool, "-dc", str(output)], capture_output=True, check=False).stdout
    assert restored == data


def test_abandoned_block_writer_finalizes_without_deadlock():
    # A collection that runs an unclosed writer's finalizer inside ThreadPoolExecutor.submit()
    # (which holds concurrent.futures' global lock) must not submit work and wait on that lock.
    script = """
import concurrent.futures.thread, gc, io, lz4.frame
from kiln.builtin.post_processors.compress import ConcatenatedStreamWriter

writer = ConcatenatedStreamWriter(io.BytesIO(), lz4.frame.compress, block_size=1 << 20)
writer.write(b"x" * 1000)
writer.cycle = writer
del writer
with concurrent.futures.thread._global_shutdown_lock:
    gc.collect()
print("finalized")
"""
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "finalized"
