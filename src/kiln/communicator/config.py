"""The communicator settings every builder embeds: `communicator` and the `ssh_*` options.

Builders declare `comm: CommunicatorConfig = option(squash=True, ...)`, so these options sit at
the source block's own level, as in Packer. `check_communicator_config` applies the rules that
decoding cannot express (defaults that depend on other options, exclusive options) and
returns problems at each option's path.

    comm = CommunicatorConfig(ssh_username="root", ssh_private_key_file="~/.ssh/id_ed25519")
    problems = check_communicator_config(comm)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiln.sdk.config import ConfigProblem, Duration, option

SSH_SECTION = "SSH communicator"


class CommunicatorType(StrEnum):
    SSH = "ssh"
    NONE = "none"


class FileTransferMethod(StrEnum):
    SCP = "scp"
    SFTP = "sftp"


class KeyPairType(StrEnum):
    RSA = "rsa"
    ECDSA = "ecdsa"
    ED25519 = "ed25519"
    DSA = "dsa"


# Key sizes Packer uses for a temporary key pair when `temporary_key_pair_bits` is unset.
DEFAULT_KEY_BITS = {KeyPairType.RSA: 4096, KeyPairType.ECDSA: 521, KeyPairType.DSA: 1024}

DEFAULT_SSH_TIMEOUT = 300.0
DEFAULT_HANDSHAKE_ATTEMPTS = 10


@dataclass
class CommunicatorConfig:
    """Settings for reaching the machine being built: over SSH, or not at all."""

    communicator: str = option(
        default="ssh",
        doc="`ssh` (default) or `none`. With `none`, provisioners cannot run.",
    )
    pause_before_connecting: Duration | None = option(
        doc="Wait this long after the machine is reachable before connecting, e.g. `30s`."
    )

    ssh_host: str = option(
        default="", doc="Address to connect to; builders provide a default.", docs_section=SSH_SECTION
    )
    ssh_port: int = option(
        default=22, doc="Port the SSH server listens on in the machine.", docs_section=SSH_SECTION
    )
    ssh_username: str = option(
        default="", doc="User to log in as. Required with `ssh`.", docs_section=SSH_SECTION
    )
    ssh_password: str = option(
        default="",
        sensitive=True,
        doc="Password for password and keyboard-interactive authentication.",
        docs_section=SSH_SECTION,
    )
    ssh_private_key_file: str = option(
        default="",
        doc="Private key file for public key authentication; `~` is expanded.",
        docs_section=SSH_SECTION,
    )
    ssh_certificate_file: str = option(
        default="", doc="Signed certificate for `ssh_private_key_file`.", docs_section=SSH_SECTION
    )
    ssh_agent_auth: bool = option(
        default=False,
        doc="Authenticate with the keys of the agent at `SSH_AUTH_SOCK`.",
        docs_section=SSH_SECTION,
    )
    ssh_disable_agent_forwarding: bool = option(
        default=False, doc="Do not forward the local SSH agent to the machine.", docs_section=SSH_SECTION
    )
    ssh_keypair_name: str = option(
        default="",
        doc="Name of an existing key pair in the cloud, for builders that support it.",
        docs_section=SSH_SECTION,
    )
    temporary_key_pair_name: str = option(
        default="",
        doc="Name of the temporary key pair kiln generates when no credentials are given.",
        docs_section=SSH_SECTION,
    )
    temporary_key_pair_type: str = option(
        default="rsa",
        doc="Type of the temporary key pair: `rsa`, `ecdsa`, `ed25519` or `dsa`.",
        docs_section=SSH_SECTION,
    )
    temporary_key_pair_bits: int = option(
        default=0,
        doc="Size of the temporary key: rsa 4096, ecdsa 521 and dsa 1024 when 0.",
        docs_section=SSH_SECTION,
    )
    ssh_timeout: Duration | None = option(
        doc="Give up waiting for SSH after this long. Default `5m`.", docs_section=SSH_SECTION
    )
    ssh_wait_timeout: Duration | None = option(
        doc="Alias of `ssh_timeout`; wins when both are set.", docs_section=SSH_SECTION
    )
    ssh_handshake_attempts: int = option(
        default=0,
        doc="Give up after this many rejected authentications. Default 10.",
        docs_section=SSH_SECTION,
    )
    ssh_pty: bool = option(
        default=False,
        doc="Request an `xterm` pseudo terminal of 80x40 for commands.",
        docs_section=SSH_SECTION,
    )
    ssh_keep_alive_interval: Duration | None = option(
        doc="Send a keepalive request this often. Default `5s`; negative disables.", docs_section=SSH_SECTION
    )
    ssh_read_write_timeout: Duration | None = option(
        doc="Fail a remote command that has not ended after this long, e.g. `5m`. Default: no limit.",
        docs_section=SSH_SECTION,
    )
    ssh_file_transfer_method: str = option(
        default="scp", doc="`scp` (default) or `sftp`.", docs_section=SSH_SECTION
    )
    ssh_clear_authorized_keys: bool = option(
        default=False,
        doc="Remove the temporary public key from `~/.ssh/authorized_keys` at the end.",
        docs_section=SSH_SECTION,
    )
    ssh_ciphers: list[str] = option(
        default_factory=list, doc="Encryption algorithms to offer, in order.", docs_section=SSH_SECTION
    )
    ssh_key_exchange_algorithms: list[str] = option(
        default_factory=list, doc="Key exchange algorithms to offer, in order.", docs_section=SSH_SECTION
    )

    ssh_bastion_host: str = option(default="", doc="Jump host to connect through.", docs_section=SSH_SECTION)
    ssh_bastion_port: int = option(default=22, doc="Port of the jump host.", docs_section=SSH_SECTION)
    ssh_bastion_username: str = option(default="", doc="User on the jump host.", docs_section=SSH_SECTION)
    ssh_bastion_password: str = option(
        default="", sensitive=True, doc="Password on the jump host.", docs_section=SSH_SECTION
    )
    ssh_bastion_agent_auth: bool = option(
        default=False, doc="Use the SSH agent for the jump host.", docs_section=SSH_SECTION
    )
    ssh_bastion_interactive: bool = option(
        default=False,
        doc="Use keyboard-interactive authentication on the jump host.",
        docs_section=SSH_SECTION,
    )
    ssh_bastion_private_key_file: str = option(
        default="", doc="Key for the jump host; defaults to `ssh_private_key_file`.", docs_section=SSH_SECTION
    )
    ssh_bastion_certificate_file: str = option(
        default="", doc="Certificate for `ssh_bastion_private_key_file`.", docs_section=SSH_SECTION
    )

    ssh_proxy_host: str = option(default="", doc="SOCKS5 proxy to connect through.", docs_section=SSH_SECTION)
    ssh_proxy_port: int = option(default=1080, doc="Port of the SOCKS5 proxy.", docs_section=SSH_SECTION)
    ssh_proxy_username: str = option(default="", doc="User for the SOCKS5 proxy.", docs_section=SSH_SECTION)
    ssh_proxy_password: str = option(
        default="", sensitive=True, doc="Password for the SOCKS5 proxy.", docs_section=SSH_SECTION
    )
    ssh_local_tunnels: list[str] = option(
        default_factory=list, doc="Forwards like `ssh -L`, as `port:host:port`.", docs_section=SSH_SECTION
    )
    ssh_remote_tunnels: list[str] = option(
        default_factory=list, doc="Forwards like `ssh -R`, as `port:host:port`.", docs_section=SSH_SECTION
    )
    ssh_public_key: str = option(
        default="", doc="Filled with the temporary public key.", docs_section=SSH_SECTION
    )
    ssh_private_key: str = option(
        default="", sensitive=True, doc="Filled with the temporary private key.", docs_section=SSH_SECTION
    )

    def ssh_timeout_seconds(self) -> float:
        """Return the effective SSH timeout: `ssh_wait_timeout`, else `ssh_timeout`, else 5 minutes."""
        if self.ssh_wait_timeout is not None:
            return float(self.ssh_wait_timeout)
        if self.ssh_timeout is not None:
            return float(self.ssh_timeout)
        return DEFAULT_SSH_TIMEOUT

    def handshake_attempts(self) -> int:
        return self.ssh_handshake_attempts or DEFAULT_HANDSHAKE_ATTEMPTS

    def keep_alive_seconds(self) -> float:
        """Return the keepalive interval in seconds; 0 disables keepalives."""
        if self.ssh_keep_alive_interval is None:
            return 5.0
        return max(float(self.ssh_keep_alive_interval), 0.0)

    def want_temporary_key(self) -> bool:
        """Whether kiln must generate a key pair because no credentials were given."""
        return not (
            self.ssh_password
            or self.ssh_private_key_file
            or self.ssh_agent_auth
            or self.ssh_private_key
            or self.ssh_keypair_name
        )


def check_communicator_config(config: CommunicatorConfig) -> list[ConfigProblem]:
    """Return every problem in `config` that decoding could not catch, at each option's path."""
    if config.communicator == CommunicatorType.NONE:
        return []
    if config.communicator != CommunicatorType.SSH:
        return [
            ConfigProblem(
                ("communicator",),
                f'Unknown communicator type "{config.communicator}": expected "ssh" or "none".',
            )
        ]

    problems = _check_ssh_basics(config)
    problems += _check_key_files(config)
    problems += _check_bastion_and_proxy(config)
    problems += _check_tunnels(config)
    return problems


def _check_ssh_basics(config: CommunicatorConfig) -> list[ConfigProblem]:
    problems = []
    if not config.ssh_username:
        problems.append(ConfigProblem(("ssh_username",), "An ssh_username must be specified."))
    if not 0 < config.ssh_port < 65536:
        problems.append(
            ConfigProblem(("ssh_port",), f"ssh_port must be between 1 and 65535, got {config.ssh_port}.")
        )
    if config.ssh_file_transfer_method not in tuple(FileTransferMethod):
        problems.append(
            ConfigProblem(
                ("ssh_file_transfer_method",),
                f'Invalid ssh_file_transfer_method "{config.ssh_file_transfer_method}": expected "scp" or "sftp".',
            )
        )
    if config.temporary_key_pair_type not in tuple(KeyPairType):
        problems.append(
            ConfigProblem(
                ("temporary_key_pair_type",),
                f'Invalid temporary_key_pair_type "{config.temporary_key_pair_type}": '
                'expected "rsa", "ecdsa", "ed25519" or "dsa".',
            )
        )
    if config.ssh_handshake_attempts < 0:
        problems.append(
            ConfigProblem(("ssh_handshake_attempts",), "ssh_handshake_attempts must not be negative.")
        )
    return problems


def _check_key_files(config: CommunicatorConfig) -> list[ConfigProblem]:
    problems = []
    for name in ("ssh_private_key_file", "ssh_certificate_file", "ssh_bastion_private_key_file"):
        value = getattr(config, name)
        if value and not Path(os.path.expanduser(value)).is_file():
            problems.append(ConfigProblem((name,), f"{name} is invalid: file {value!r} not found."))
    if config.ssh_certificate_file and not config.ssh_private_key_file:
        problems.append(
            ConfigProblem(
                ("ssh_certificate_file",), "ssh_certificate_file requires ssh_private_key_file to be set."
            )
        )
    return problems


def _check_bastion_and_proxy(config: CommunicatorConfig) -> list[ConfigProblem]:
    problems = []
    if config.ssh_bastion_host:
        has_credentials = (
            config.ssh_bastion_password
            or config.ssh_bastion_private_key_file
            or config.ssh_private_key_file
            or config.ssh_bastion_agent_auth
            or config.ssh_bastion_interactive
        )
        if not has_credentials:
            problems.append(
                ConfigProblem(
                    ("ssh_bastion_host",),
                    "ssh_bastion_password, ssh_bastion_private_key_file or ssh_bastion_agent_auth "
                    "must be specified for the bastion host.",
                )
            )
        if config.ssh_proxy_host:
            problems.append(
                ConfigProblem(
                    ("ssh_proxy_host",), "ssh_bastion_host and ssh_proxy_host cannot be used together."
                )
            )
    return problems


def _check_tunnels(config: CommunicatorConfig) -> list[ConfigProblem]:
    problems = []
    for name in ("ssh_local_tunnels", "ssh_remote_tunnels"):
        for index, tunnel in enumerate(getattr(config, name)):
            if parse_tunnel(tunnel) is None:
                problems.append(
                    ConfigProblem((name, index), f"Invalid tunnel {tunnel!r}: expected port:host:port.")
                )
    return problems


def parse_tunnel(text: str) -> tuple[int, str, int] | None:
    """Parse `port:host:port`; return None when `text` is not in that form."""
    parts = text.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit() or not parts[1]:
        return None
    return int(parts[0]), parts[1], int(parts[2])
