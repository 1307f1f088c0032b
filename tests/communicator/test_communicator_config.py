"""Communicator options: defaults and the checks decoding cannot express."""

from __future__ import annotations

import asyncio
import io
import stat

import pytest

from kiln.communicator.config import CommunicatorConfig, check_communicator_config, parse_tunnel
from kiln.communicator.none import NoneCommunicator
from kiln.communicator.ssh.keys import TemporaryKeyPair
from kiln.sdk.communicator import CommunicatorError, RemoteCommand


def valid() -> CommunicatorConfig:
    return CommunicatorConfig(ssh_username="root", ssh_password="secret")


def test_valid_config_has_no_problems():
    assert check_communicator_config(valid()) == []


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"ssh_username": ""}, ("ssh_username",), "ssh_username must be specified"),
        ({"communicator": "winrm2"}, ("communicator",), 'Unknown communicator type "winrm2"'),
        ({"ssh_file_transfer_method": "rsync"}, ("ssh_file_transfer_method",), '"rsync"'),
        ({"temporary_key_pair_type": "rsa1"}, ("temporary_key_pair_type",), '"rsa1"'),
        ({"ssh_private_key_file": "/nonexistent/key"}, ("ssh_private_key_file",), "not found"),
        ({"ssh_certificate_file": __file__}, ("ssh_certificate_file",), "requires ssh_private_key_file"),
        ({"ssh_bastion_host": "jump", "ssh_password": ""}, ("ssh_bastion_host",), "must be specified"),
        ({"ssh_local_tunnels": ["8080:localhost"]}, ("ssh_local_tunnels", 0), "port:host:port"),
        ({"ssh_port": 70000}, ("ssh_port",), "between 1 and 65535"),
    ],
    ids=[
        "no-user",
        "unknown-type",
        "transfer",
        "key-type",
        "key-file",
        "cert-alone",
        "bastion",
        "tunnel",
        "port",
    ],
)
def test_problem_at_option_path(changes, path, fragment):
    config = valid()
    for name, value in changes.items():
        setattr(config, name, value)
    problems = check_communicator_config(config)
    assert [problem.path for problem in problems] == [path]
    assert fragment in problems[0].message


def test_none_communicator_skips_ssh_checks():
    assert check_communicator_config(CommunicatorConfig(communicator="none")) == []


def test_timeout_defaults_and_alias():
    config = valid()
    assert config.ssh_timeout_seconds() == 300
    assert config.handshake_attempts() == 10
    config.ssh_timeout = 60.0
    assert config.ssh_timeout_seconds() == 60
    config.ssh_wait_timeout = 90.0
    assert config.ssh_timeout_seconds() == 90


def test_keep_alive_negative_disables():
    config = valid()
    assert config.keep_alive_seconds() == 5
    config.ssh_keep_alive_interval = -1.0
    assert config.keep_alive_seconds() == 0


def test_want_temporary_key_only_without_credentials():
    assert not valid().want_temporary_key()
    assert CommunicatorConfig(ssh_username="root").want_temporary_key()


def test_parse_tunnel():
    assert parse_tunnel("8080:localhost:80") == (8080, "localhost", 80)
    assert parse_tunnel("localhost:80") is None


@pytest.mark.parametrize("key_type", ["ed25519", "ecdsa", "rsa"])
def test_temporary_key_pair_file_is_private_and_removed(key_type):
    pair = TemporaryKeyPair.generate(key_type, 2048 if key_type == "rsa" else 0)
    path = pair.private_key_file
    assert path is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == pair.private_key
    assert pair.public_key.split()[0] in {"ssh-ed25519", "ecdsa-sha2-nistp521", "ssh-rsa"}
    pair.remove()
    assert not path.exists()
    pair.remove()


def test_none_communicator_rejects_every_operation():
    communicator = NoneCommunicator()
    with pytest.raises(CommunicatorError, match="No communicator found for provisioners"):
        asyncio.run(communicator.start(RemoteCommand("true")))
    with pytest.raises(CommunicatorError, match="No communicator found"):
        asyncio.run(communicator.upload("/x", io.BytesIO(b"")))
    asyncio.run(communicator.close())
