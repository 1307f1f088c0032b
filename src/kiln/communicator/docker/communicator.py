"""Run commands in a container and copy files in and out of it through the Docker Engine API.

Commands run with exec (`/bin/sh -c COMMAND`) and their output streams back as it arrives.
Files travel as tar archives through the archive endpoints (`PUT`/`GET
/containers/ID/archive`), so the container needs neither tar nor a shell for transfers. The
`docker` SDK is synchronous: each call runs in a worker thread, and SDK and socket errors
become CommunicatorError at this boundary.

    communicator = DockerCommunicator(client, container_id, exec_user="nobody")
    result = await communicator.start(RemoteCommand("echo hello", on_stdout=print))
"""

from __future__ import annotations

import asyncio
import codecs
import fnmatch
import io
import logging
import posixpath
import shlex
import shutil
import struct
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, TypeVar

from kiln.sdk.communicator import CommandResult, CommunicatorError, RemoteCommand

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The header of each frame of a non-TTY exec stream: stream id, 3 zero bytes, payload size.
FRAME_HEADER = struct.Struct(">BxxxL")
STDOUT, STDERR = 1, 2


class DockerCommunicator:
    """The Communicator of one running container.

    `client` is a `docker.DockerClient`. With `exec_user`, commands run as that user, and with
    `fix_upload_owner` uploaded files are then given to that user, because archives always
    unpack as root.
    """

    def __init__(
        self,
        client: Any,
        container_id: str,
        *,
        exec_user: str = "",
        fix_upload_owner: bool = True,
    ) -> None:
        self._client = client
        self._container_id = container_id
        self._exec_user = exec_user
        self._fix_upload_owner = fix_upload_owner

    async def start(self, command: RemoteCommand) -> CommandResult:
        script = command.command
        if command.stdin is not None:
            # The exec API attaches stdin only through a hijacked socket, which the SDK does
            # not expose portably, so the input goes to a file the command reads from.
            stdin_path = f"/tmp/kiln-stdin-{uuid.uuid4().hex}"
            await self.upload(stdin_path, io.BytesIO(command.stdin), mode=0o600)
            # The command's user must read the file even when uploads otherwise stay root's.
            await self._give_to_exec_user(stdin_path, always=True)
            script = f"({script}) < {stdin_path}; status=$?; rm -f {stdin_path}; exit $status"
        logger.debug("exec in %s: %s", self._short_id, command.command)
        exit_status = await self._call(self._run_exec, script, command)
        return CommandResult(exit_status)

    def _run_exec(self, script: str, command: RemoteCommand) -> int | None:
        api = self._client.api
        created = api.exec_create(
            self._container_id,
            ["/bin/sh", "-c", script],
            stdout=True,
            stderr=True,
            user=self._exec_user,
            environment=dict(command.environment) or None,
        )
        _stream_exec_output(api, created["Id"], command.on_stdout, command.on_stderr)
        return api.exec_inspect(created["Id"])["ExitCode"]

    async def upload(
        self, destination: str, source: BinaryIO, *, size: int | None = None, mode: int = 0o644
    ) -> None:
        directory, name = posixpath.split(destination)
        # A tar header needs the size before the data, and `source` may be a pipe, so the
        # archive is spooled to a temporary file rather than held in memory.
        with tempfile.TemporaryFile() as spool:
            await asyncio.to_thread(_write_single_file_archive, spool, name, source, size, mode)
            await self._ensure_directory(directory or "/")
            await self._put_archive(directory or "/", spool)
        await self._give_to_exec_user(destination)

    async def upload_dir(
        self, destination: str, source: Path | str, *, exclude: list[str] | None = None
    ) -> None:
        """Copy a directory; `source` given as a string ending in `/` copies only its contents."""
        contents_only = str(source).endswith("/")
        directory = Path(source)
        prefix = "" if contents_only else directory.name
        with tempfile.TemporaryFile() as spool:
            await asyncio.to_thread(_write_tree_archive, spool, directory, prefix, exclude or [])
            await self._ensure_directory(destination)
            await self._put_archive(destination, spool)
        await self._give_to_exec_user(posixpath.join(destination, prefix) if prefix else destination)

    async def download(self, source: str, destination: BinaryIO) -> None:
        with tempfile.TemporaryFile() as spool:
            await self._get_archive(source, spool)
            with tarfile.open(fileobj=spool, mode="r") as archive:
                member = next((item for item in archive.getmembers() if item.isfile()), None)
                if member is None:
                    raise CommunicatorError(f"Download of {source} failed: it is not a regular file")
                extracted = archive.extractfile(member)
                assert extracted is not None  # a regular file always has data
                while chunk := extracted.read(1 << 20):
                    destination.write(chunk)

    async def download_dir(self, source: str, destination: Path, *, exclude: list[str] | None = None) -> None:
        """Copy the container's directory `source` into `destination`, with upload_dir's slash rules."""
        contents_only = source.endswith("/")
        remote = PurePosixPath(source)
        target = destination if contents_only else destination / remote.name
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as spool:
            await self._get_archive(str(remote), spool)
            await asyncio.to_thread(_extract_tree_archive, spool, target, exclude or [])

    async def close(self) -> None:
        """Nothing to release: the builder owns the client and the container."""

    @property
    def _short_id(self) -> str:
        return self._container_id[:12]

    async def _ensure_directory(self, directory: str) -> None:
        result = await self._call(self._run_as_root, f"mkdir -p {shlex.quote(directory)}")
        if result != 0:
            raise CommunicatorError(f"Could not create directory {directory} in the container")

    async def _give_to_exec_user(self, path: str, *, always: bool = False) -> None:
        if not self._exec_user or not (self._fix_upload_owner or always):
            return
        if ":" in self._exec_user:
            owner = shlex.quote(self._exec_user)
        else:
            # A user without a group gets its primary group, which `id` looks up in the container.
            user = shlex.quote(self._exec_user)
            owner = f'"$(id -u {user}):$(id -g {user})"'
        status = await self._call(self._run_as_root, f"chown -R {owner} {shlex.quote(path)}")
        if status != 0:
            raise CommunicatorError(f"Could not give {path} to user {self._exec_user} (exit status {status})")

    def _run_as_root(self, script: str) -> int | None:
        api = self._client.api
        created = api.exec_create(self._container_id, ["/bin/sh", "-c", script], user="0")
        output: list[str] = []
        _stream_exec_output(api, created["Id"], output.append, output.append)
        status = api.exec_inspect(created["Id"])["ExitCode"]
        if status != 0:
            logger.debug("root exec %r in %s failed: %s", script, self._short_id, "".join(output))
        return status

    async def _put_archive(self, directory: str, archive: BinaryIO) -> None:
        archive.seek(0)
        accepted = await self._call(self._client.api.put_archive, self._container_id, directory, archive)
        if not accepted:
            raise CommunicatorError(f"Upload to {directory} failed: the engine rejected the archive")

    async def _get_archive(self, source: str, spool: BinaryIO) -> None:
        def fetch() -> None:
            stream, _ = self._client.api.get_archive(self._container_id, source)
            spool.writelines(stream)

        await self._call(fetch)
        spool.seek(0)

    async def _call(self, function: Callable[..., T], *arguments: Any) -> T:
        import docker.errors
        import requests

        try:
            return await asyncio.to_thread(function, *arguments)
        except docker.errors.NotFound as error:
            raise CommunicatorError(str(getattr(error, "explanation", "") or error)) from error
        except (docker.errors.DockerException, requests.RequestException, OSError) as error:
            message = getattr(error, "explanation", None) or str(error)
            raise CommunicatorError(f"Docker engine request failed: {message}") from error


def _stream_exec_output(
    api: Any,
    exec_id: str,
    on_stdout: Callable[[str], object] | None,
    on_stderr: Callable[[str], object] | None,
) -> None:
    """Start exec `exec_id` and pass its decoded output to the callbacks until the stream ends.

    The docker SDK's `exec_start` reads the hijacked connection from the raw socket, bypassing
    the buffered reader that http.client parsed the response headers with. Output that the
    engine sent together with the headers sits in that buffer and is lost, so a short command
    on a busy host could appear to print nothing (seen with docker 7.2.0 and podman 4, and
    reported at https://github.com/docker/docker-py/issues/3332). This function reads the
    frames through the buffered reader, which returns the buffered bytes first.
    """
    # NOTE: this relies on docker SDK internals (`_post_json`, `_url`, `response.raw._fp.fp`)
    # that the SDK's own exec_start also uses, checked against docker 7.2.0.
    response = api._post_json(
        api._url("/exec/{0}/start", exec_id),
        data={"Tty": False, "Detach": False},
        headers={"Connection": "Upgrade", "Upgrade": "tcp"},
        stream=True,
    )
    try:
        api._raise_for_status(response)
        reader = response.raw._fp.fp
        # A command may stay silent for longer than the client's request timeout.
        api._disable_socket_timeout(getattr(reader, "raw", reader))
        # Engine errors (stream 3) go to stderr. Incremental decoders keep a UTF-8 character
        # that is split across two frames whole.
        outputs = {
            STDOUT: (on_stdout, codecs.getincrementaldecoder("utf-8")("replace")),
            STDERR: (on_stderr, codecs.getincrementaldecoder("utf-8")("replace")),
        }
        for stream, payload in read_frames(reader):
            callback, decoder = outputs[STDOUT if stream == STDOUT else STDERR]
            text = decoder.decode(payload)
            if text and callback is not None:
                callback(text)
        for callback, decoder in outputs.values():
            text = decoder.decode(b"", final=True)
            if text and callback is not None:
                callback(text)
    finally:
        response.close()


def read_frames(reader: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield (stream, payload) for each frame of a multiplexed exec stream until it ends.

    Each frame is an 8-byte header and its payload. The header contains the stream (1 stdout,
    2 stderr, 3 engine error), 3 zero bytes and the payload size as a big-endian uint32.
    `reader.read(n)` must block until it has n bytes or the stream ends, as a buffered reader
    does.
    """
    while True:
        header = reader.read(FRAME_HEADER.size)
        if len(header) < FRAME_HEADER.size:
            if header:
                logger.debug("exec stream ended inside a frame header: %r", header)
            return
        stream, size = FRAME_HEADER.unpack(header)
        payload = reader.read(size) if size else b""
        if payload:
            yield stream, payload
        if len(payload) < size:
            logger.debug("exec stream ended %d bytes into a %d-byte frame", len(payload), size)
            return


def _write_single_file_archive(
    spool: BinaryIO, name: str, source: BinaryIO, size: int | None, mode: int
) -> None:
    info = tarfile.TarInfo(name)
    info.mode = mode
    info.mtime = int(time.time())
    if size is not None:
        info.size = size
        with tarfile.open(fileobj=spool, mode="w") as archive:
            archive.addfile(info, source)
        return
    with tempfile.TemporaryFile() as content:
        shutil.copyfileobj(source, content, 1 << 20)
        info.size = content.tell()
        content.seek(0)
        with tarfile.open(fileobj=spool, mode="w") as archive:
            archive.addfile(info, content)


def _write_tree_archive(spool: BinaryIO, directory: Path, prefix: str, exclude: list[str]) -> None:
    with tarfile.open(fileobj=spool, mode="w") as archive:
        for path, name in _walk(directory, prefix, exclude):
            archive.add(path, arcname=name, recursive=False)


def _extract_tree_archive(spool: BinaryIO, target: Path, exclude: list[str]) -> None:
    with tarfile.open(fileobj=spool, mode="r") as archive:
        members = [
            member for member in archive.getmembers() if not _excluded(_strip_top(member.name), exclude)
        ]
        for member in members:
            member.name = _strip_top(member.name)
        # The "tar" filter (Python 3.11.4 and later) rejects absolute paths and entries that
        # would land outside `target`, which a hostile container could otherwise send.
        archive.extractall(target, members=[member for member in members if member.name], filter="tar")


def _walk(directory: Path, prefix: str, exclude: list[str]) -> Iterator[tuple[Path, str]]:
    if prefix:
        yield directory, prefix
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory).as_posix()
        if _excluded(relative, exclude):
            continue
        yield path, f"{prefix}/{relative}" if prefix else relative


def _excluded(relative: str, exclude: list[str]) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) for pattern in exclude)


def _strip_top(name: str) -> str:
    # `GET archive` of a directory names its entries "BASENAME/..." (the directory itself is
    # "BASENAME"), on Docker and podman alike.
    return name.partition("/")[2]
