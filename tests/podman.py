"""A real Docker-compatible engine for tests: podman's API service on a socket in a temporary folder.

The service keeps its images and containers in that folder (`--root`, `--runroot`, the `vfs`
storage driver), so tests never touch the host's podman store. It runs containers with
`runc` and cgroupfs and fixed ulimits, because podman's defaults (crun, systemd cgroups) fail in
sandboxes without a systemd user session. A base image `localhost/kiln-busybox:latest` is made
with `podman import` from a busybox-static root, since tests reach no public registry.

Tests using the fixtures skip when podman, runc or busybox is missing or the service does not
start. `registry` starts Debian's `docker-registry` on a free 127.0.0.1 port with basic
authentication, which the engine is configured to reach over plain HTTP.

    def test_run(podman_engine): ...   # podman_engine.docker_host is a unix:// URL
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

BASE_IMAGE = "localhost/kiln-busybox:latest"
REGISTRY_USER = "kiln"
REGISTRY_PASSWORD = "registry-test-password"
BUSYBOX = "/bin/busybox"
# Applets the base image links to busybox; enough for the shell and file provisioners.
APPLETS = (
    "sh",
    "ls",
    "cat",
    "echo",
    "mkdir",
    "rm",
    "id",
    "chown",
    "chmod",
    "touch",
    "mv",
    "cp",
    "tar",
    "sleep",
    "find",
    "sort",
    "env",
)

CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
"""


@dataclass
class PodmanEngine:
    """A running podman API service and how to reach its store from the command line."""

    folder: Path
    socket_path: Path
    process: subprocess.Popen[bytes]
    registries_conf: Path
    # Reserved when the service starts, because the engine reads registries.conf only then.
    registry_port: int

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket_path}"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "CONTAINERS_CONF": str(self.folder / "containers.conf"),
            "CONTAINERS_REGISTRIES_CONF": str(self.registries_conf),
        }

    def podman(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the podman CLI against the service's store and return its output."""
        command = [
            "podman",
            "--root", str(self.folder / "storage"),
            "--runroot", str(self.folder / "run"),
            "--storage-driver", "vfs",
            *arguments,
        ]  # fmt: skip
        completed = subprocess.run(
            command, env=self.environment(), capture_output=True, text=True, check=False, timeout=120
        )
        if check and completed.returncode != 0:
            raise AssertionError(f"podman {' '.join(arguments)} failed: {completed.stderr}")
        return completed


def _missing_tools() -> list[str]:
    return [tool for tool in ("podman", "runc") if shutil.which(tool) is None] + (
        [] if os.path.exists(BUSYBOX) else [BUSYBOX]
    )


def _make_base_tarball(folder: Path) -> Path:
    tarball = folder / "busybox-root.tar"
    with tarfile.open(tarball, "w") as archive:
        for directory in ("bin", "tmp", "etc", "root"):
            info = tarfile.TarInfo(directory)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if directory == "tmp" else 0o755
            archive.addfile(info)
        archive.add(BUSYBOX, arcname="bin/busybox")
        for applet in APPLETS:
            info = tarfile.TarInfo(f"bin/{applet}")
            info.type = tarfile.SYMTYPE
            info.linkname = "busybox"
            archive.addfile(info)
        passwd = b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n"
        group = b"root:x:0:\nnogroup:x:65534:\n"
        for name, data in (("etc/passwd", passwd), ("etc/group", group)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return tarball


def _wait_for_socket(path: Path, process: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as client:
            client.connect(str(path))
            return True
        time.sleep(0.1)
    return False


def _write_configuration(folder: Path) -> int:
    """Write containers.conf and registries.conf into `folder`; return the test registry's port."""
    (folder / "containers.conf").write_text(CONTAINERS_CONF)
    registry_port = _free_port()
    # The test registry serves plain HTTP, which the engine accepts only for registries marked insecure.
    (folder / "registries.conf").write_text(
        f'unqualified-search-registries = []\n[[registry]]\nlocation = "127.0.0.1:{registry_port}"\ninsecure = true\n'
    )
    return registry_port


def _start_service(engine: PodmanEngine, log: IO[bytes]) -> subprocess.Popen[bytes]:
    # fmt: off
    return subprocess.Popen(
        [
            "podman",
            "--root", str(engine.folder / "storage"),
            "--runroot", str(engine.folder / "run"),
            "--storage-driver", "vfs",
            "system", "service", "--time=0", f"unix://{engine.socket_path}",
        ],
        env=engine.environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    # fmt: on


def _check_engine(engine: PodmanEngine) -> None:
    """Import the base image and run it once; skip the test session's podman tests if either fails."""
    if not _wait_for_socket(engine.socket_path, engine.process):
        pytest.skip(f"podman service did not start: {(engine.folder / 'service.log').read_text()[-500:]}")
    imported = engine.podman("import", str(_make_base_tarball(engine.folder)), BASE_IMAGE, check=False)
    if imported.returncode != 0:
        pytest.skip(f"podman import of the base image failed: {imported.stderr[-500:]}")
    probe = engine.podman("run", "--rm", BASE_IMAGE, "/bin/sh", "-c", "echo ok", check=False)
    if probe.stdout.strip() != "ok":
        pytest.skip(f"podman cannot run containers here: {probe.stderr[-500:]}")


def _stop_service(engine: PodmanEngine) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        engine.podman("rm", "--all", "--force", check=False)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(engine.process.pid, signal.SIGTERM)
    try:
        engine.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(engine.process.pid, signal.SIGKILL)
        engine.process.wait(timeout=5)


@pytest.fixture(scope="session")
def podman_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PodmanEngine]:
    """Start podman's Docker API service with its own store and the busybox base image."""
    missing = _missing_tools()
    if missing:
        pytest.skip(f"podman tests need {', '.join(missing)}")
    # podman rejects a runroot longer than 50 characters, which pytest's nested temporary
    # folders exceed under xdist, so the store lives in a short folder of its own.
    folder = Path(tempfile.mkdtemp(prefix="kiln-podman-", dir="/tmp"))
    registry_port = _write_configuration(folder)
    engine = PodmanEngine(folder, folder / "podman.sock", None, folder / "registries.conf", registry_port)  # type: ignore[arg-type]

    with (folder / "service.log").open("wb") as log:
        engine.process = _start_service(engine, log)
        try:
            _check_engine(engine)
            yield engine
        finally:
            _stop_service(engine)
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def docker_host(podman_engine: PodmanEngine, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point DOCKER_HOST at the test engine for the duration of one test."""
    monkeypatch.setenv("DOCKER_HOST", podman_engine.docker_host)
    return podman_engine.docker_host


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def registry(podman_engine: PodmanEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `docker-registry` on 127.0.0.1 and return its `host:port`.

    The registry requires HTTP basic authentication as REGISTRY_USER with REGISTRY_PASSWORD.
    """
    import bcrypt

    binary = shutil.which("docker-registry")
    if binary is None:
        pytest.skip("docker-registry is not installed")
    folder = tmp_path_factory.mktemp("registry")
    port = podman_engine.registry_port
    password_hash = bcrypt.hashpw(REGISTRY_PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    (folder / "htpasswd").write_text(f"{REGISTRY_USER}:{password_hash}\n")
    config = folder / "config.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n"
        f"storage:\n  filesystem:\n    rootdirectory: {folder / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
        f"auth:\n  htpasswd:\n    realm: kiln-tests\n    path: {folder / 'htpasswd'}\n"
    )
    log = (folder / "registry.log").open("wb")
    process = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"docker-registry did not start: {(folder / 'registry.log').read_text()[-500:]}")
            time.sleep(0.1)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
