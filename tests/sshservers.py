"""Real SSH servers for tests: OpenSSH `sshd` and `dropbear` on free 127.0.0.1 ports.

Each server runs in its own mount namespace (`unshare -m`), where it finds a temporary home for
root (holding `.ssh/authorized_keys` and no shell start-up files) and, for sshd, its
privilege separation directory, without changing the host. Clients log in as root with a
per-server ed25519 key or the password PASSWORD.

    def test_echo(sshd_server): ...   # fixtures registered in tests/conftest.py
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
DROPBEAR = "/usr/sbin/dropbear"
# Root's password inside each server's namespace, where a private /etc/shadow is mounted.
PASSWORD = "kiln-test-password"
PASSWORD_HASH = (
    "$6$kilnsalt$1RFXxdcvAkeuF1ZqtdZRjX5mNAjMVDeVwcjPSWIZ3wwum4aY/tkqT/4I.mPaPxNqpCScLGBAnaiTPGk4DB7SO0"
)


@dataclass
class SSHServer:
    """A running SSH server and what a client needs to log in to it."""

    kind: str  # "sshd" or "dropbear"
    host: str
    port: int
    username: str
    private_key_file: Path
    public_key: str
    process: subprocess.Popen[bytes]
    log_file: Path
    password: str = PASSWORD

    def kill(self) -> None:
        """Kill the server and every process it forked, including per-connection sessions.

        sshd puts each connection in a new session (setsid), so killing the process group
        would leave open connections alive; the descendants are found through /proc.
        """
        for pid in [*_descendants(self.process.pid), self.process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _make_key(path: Path, key_type: str = "ed25519") -> str:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", "kiln-test", "-f", str(path)], check=True
    )
    return path.with_suffix(".pub").read_text() if path.suffix else Path(f"{path}.pub").read_text()


def _shadow_mount(folder: Path) -> str:
    """Return a shell command that mounts a shadow file giving root PASSWORD over /etc/shadow."""
    # Only root logs in to the test servers, so the file contains root's entry alone.
    shadow = folder / "shadow"
    shadow.write_text(f"root:{PASSWORD_HASH}:19000:0:99999:7:::\n")
    shadow.chmod(0o640)
    return f"mount --bind {shadow} /etc/shadow"


def _make_home(folder: Path, public_key: str) -> Path:
    home = folder / "home"
    (home / ".ssh").mkdir(parents=True, mode=0o700)
    home.chmod(0o700)
    (home / ".ssh" / "authorized_keys").write_text(public_key)
    return home


def _wait_listening(server: SSHServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.kind} exited at start:\n{server.log()}")
        try:
            with socket.create_connection((server.host, server.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError(f"{server.kind} did not listen on port {server.port}:\n{server.log()}")


def _spawn(kind: str, folder: Path, script: str, port: int, key: Path, public_key: str) -> SSHServer:
    log_file = folder / f"{kind}.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = SSHServer(kind, "127.0.0.1", port, "root", key, public_key, process, log_file)
    _wait_listening(server)
    return server


def start_sshd(folder: Path) -> SSHServer:
    """Start OpenSSH sshd in `folder`; call `kill()` when done."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "id_ed25519"
    public_key = _make_key(key)
    host_key = folder / "ssh_host_ed25519_key"
    _make_key(host_key)
    home = _make_home(folder, public_key)
    run_dir = folder / "run"
    (run_dir / "sshd").mkdir(parents=True, mode=0o755)
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile none\n"
        f"AuthorizedKeysFile {home}/.ssh/authorized_keys\nPermitRootLogin yes\nUsePAM no\n"
        "StrictModes no\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\n"
        "AllowTcpForwarding yes\nAllowAgentForwarding yes\nSubsystem sftp /usr/lib/openssh/sftp-server\n"
        "LogLevel VERBOSE\n"
    )
    # The temporary home hides root's shell start-up files, so sessions run no user setup.
    script = (
        f"mount --bind {run_dir} /run && mount --bind {home} /root && {_shadow_mount(folder)} "
        f"&& exec {SSHD} -D -e -f {config}"
    )
    return _spawn("sshd", folder, script, port, key, public_key)


def start_dropbear(folder: Path) -> SSHServer:
    """Start dropbear in `folder`; call `kill()` when done."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "id_ed25519"
    public_key = _make_key(key)
    host_key = folder / "dropbear_ed25519_host_key"
    subprocess.run(["dropbearkey", "-t", "ed25519", "-f", str(host_key)], check=True, capture_output=True)
    home = _make_home(folder, public_key)
    port = free_port()
    script = (
        f"mount --bind {home} /root && {_shadow_mount(folder)} && exec {DROPBEAR} -F -E -p 127.0.0.1:{port} "
        f"-r {host_key} -P {folder}/dropbear.pid"
    )
    return _spawn("dropbear", folder, script, port, key, public_key)


def _require(binary: str) -> None:
    if not Path(binary).exists() or shutil.which("unshare") is None:
        pytest.skip(f"{binary} or unshare is not installed")


@pytest.fixture
def sshd_server(tmp_path: Path):
    _require(SSHD)
    server = start_sshd(tmp_path / "sshd")
    yield server
    server.kill()


@pytest.fixture
def dropbear_server(tmp_path: Path):
    _require(DROPBEAR)
    server = start_dropbear(tmp_path / "dropbear")
    yield server
    server.kill()


@pytest.fixture(params=["sshd", "dropbear"])
def ssh_server(request: pytest.FixtureRequest, tmp_path: Path):
    """Each test using it runs once against sshd and once against dropbear."""
    binary = SSHD if request.param == "sshd" else DROPBEAR
    _require(binary)
    start = start_sshd if request.param == "sshd" else start_dropbear
    server = start(tmp_path / request.param)
    yield server
    server.kill()
