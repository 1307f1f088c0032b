"""The container communicator against a running container: exec, archives and their edge cases."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiln.communicator.docker import DockerCommunicator
from kiln.sdk.communicator import CommunicatorError, RemoteCommand
from podman import BASE_IMAGE


@pytest.fixture(scope="module")
def container(podman_engine) -> Iterator[tuple[object, str]]:
    import docker

    client = docker.DockerClient(base_url=podman_engine.docker_host, version="1.41")
    created = client.containers.create(BASE_IMAGE, entrypoint=["/bin/sh"], stdin_open=True, tty=True)
    created.start()
    try:
        yield client, created.id
    finally:
        created.remove(force=True)
        client.close()


@pytest.fixture
def communicator(container) -> DockerCommunicator:
    client, container_id = container
    return DockerCommunicator(client, container_id)


def run(communicator: DockerCommunicator, command: str, **fields) -> tuple[int | None, str, str]:
    stdout: list[str] = []
    stderr: list[str] = []
    remote = RemoteCommand(command, on_stdout=stdout.append, on_stderr=stderr.append, **fields)
    result = asyncio.run(communicator.start(remote))
    return result.exit_status, "".join(stdout), "".join(stderr)


def test_exit_status_and_streams(communicator):
    status, stdout, stderr = run(communicator, "echo out; echo err >&2; exit 3")
    assert status == 3
    assert stdout == "out\n"
    assert stderr == "err\n"


def test_output_without_newline_before_exit(communicator):
    # The command prints right away and exits, so its only frames may arrive with the response headers.
    for _ in range(5):
        status, stdout, stderr = run(communicator, "printf 'café'; printf 'no newline' >&2")
        assert status == 0
        assert stdout == "café"
        assert stderr == "no newline"


def test_environment_and_stdin(communicator):
    status, stdout, _ = run(
        communicator, 'echo "$GREETING"; cat', environment={"GREETING": "hi"}, stdin=b"piped\n"
    )
    assert status == 0
    assert stdout == "hi\npiped\n"


def test_upload_and_download_file(communicator):
    asyncio.run(communicator.upload("/tmp/new/dir/file.txt", io.BytesIO(b"payload"), mode=0o600))
    _, stdout, _ = run(communicator, "stat -c %a /tmp/new/dir/file.txt")
    assert stdout == "600\n"
    received = io.BytesIO()
    asyncio.run(communicator.download("/tmp/new/dir/file.txt", received))
    assert received.getvalue() == b"payload"


def test_download_missing_file(communicator):
    with pytest.raises(CommunicatorError):
        asyncio.run(communicator.download("/no/such/file", io.BytesIO()))


def make_tree(root: Path) -> Path:
    source = root / "tree"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.txt").write_text("b")
    (source / "skip.log").write_text("x")
    return source


def test_upload_dir_with_and_without_slash(communicator, tmp_path):
    source = make_tree(tmp_path)
    asyncio.run(communicator.upload_dir("/tmp/up1", source))
    asyncio.run(communicator.upload_dir("/tmp/up2", str(source) + "/", exclude=["*.log"]))

    _, listing, _ = run(
        communicator, "cd /tmp/up1 && find . -type f | sort; cd /tmp/up2 && find . -type f | sort"
    )
    assert listing.split() == [
        "./tree/a.txt",
        "./tree/skip.log",
        "./tree/sub/b.txt",
        "./a.txt",
        "./sub/b.txt",
    ]


def test_download_dir_with_and_without_slash(communicator, tmp_path):
    asyncio.run(communicator.upload_dir("/tmp/down", make_tree(tmp_path)))
    whole = tmp_path / "whole"
    contents = tmp_path / "contents"
    asyncio.run(communicator.download_dir("/tmp/down/tree", whole))
    asyncio.run(communicator.download_dir("/tmp/down/tree/", contents, exclude=["*.log"]))

    assert (whole / "tree" / "sub" / "b.txt").read_text() == "b"
    assert (whole / "tree" / "skip.log").exists()
    assert (contents / "a.txt").read_text() == "a"
    assert (contents / "sub" / "b.txt").read_text() == "b"
    assert not (contents / "skip.log").exists()


def test_exec_user_owns_uploads(container):
    client, container_id = container
    communicator = DockerCommunicator(client, container_id, exec_user="nobody")
    asyncio.run(communicator.upload("/tmp/owned.txt", io.BytesIO(b"x")))
    status, stdout, _ = run(communicator, "id -u; stat -c %u /tmp/owned.txt")
    assert status == 0
    assert stdout == "65534\n65534\n"


def test_fix_upload_owner_off(container):
    client, container_id = container
    communicator = DockerCommunicator(client, container_id, exec_user="nobody", fix_upload_owner=False)
    asyncio.run(communicator.upload("/tmp/root-owned.txt", io.BytesIO(b"x")))
    _, stdout, _ = run(communicator, "stat -c %u /tmp/root-owned.txt")
    assert stdout == "0\n"


def test_missing_container_is_communicator_error(container):
    client, _ = container
    communicator = DockerCommunicator(client, "no-such-container")
    with pytest.raises(CommunicatorError):
        run(communicator, "true")


@pytest.mark.parametrize("give_size", [True, False], ids=["sized", "unsized"])
def test_upload_large_stream(communicator, tmp_path, give_size):
    data = os.urandom(3 * 1024 * 1024 + 17)
    source = tmp_path / "blob"
    source.write_bytes(data)
    destination = f"/tmp/blob-{give_size}"

    with source.open("rb") as handle:
        size = len(data) if give_size else None
        asyncio.run(communicator.upload(destination, handle, size=size))
    received = io.BytesIO()
    asyncio.run(communicator.download(destination, received))

    assert received.getvalue() == data


def test_stdin_readable_by_exec_user(container):
    client, container_id = container
    communicator = DockerCommunicator(client, container_id, exec_user="nobody", fix_upload_owner=False)
    status, stdout, _ = run(communicator, "id -u; cat", stdin=b"secret input\n")
    assert status == 0
    assert stdout == "65534\nsecret input\n"


def test_exec_user_with_group(container):
    client, container_id = container
    communicator = DockerCommunicator(client, container_id, exec_user="65534:0")
    asyncio.run(communicator.upload("/tmp/grouped.txt", io.BytesIO(b"x")))
    _, stdout, _ = run(communicator, "stat -c %u:%g /tmp/grouped.txt")
    assert stdout == "65534:0\n"
