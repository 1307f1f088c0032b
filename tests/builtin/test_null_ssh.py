"""The null builder over a real SSH server: shell and file provisioners against 127.0.0.1."""

from __future__ import annotations

import asyncio
import io

import pytest

from kiln.builtin.builders.null import NullConfig
from kiln.builtin.provisioners.file import FileProvisionerConfig
from kiln.builtin.provisioners.shell import ShellConfig
from kiln.communicator.config import CommunicatorConfig
from kiln.core.build import BuildOptions, make_ui, run_builds
from kiln.sdk.plan import BuildPlan, ComponentSpec, ProvisionerSpec


@pytest.fixture
def server(request):
    try:
        return request.getfixturevalue("sshd_server")
    except pytest.FixtureLookupError:
        pytest.skip("no SSH server fixture in this checkout")


def test_shell_and_file_over_ssh(server, tmp_path):
    upload = tmp_path / "hello.txt"
    upload.write_text("from the host\n")
    comm = CommunicatorConfig(
        ssh_host=server.host,
        ssh_port=server.port,
        ssh_username=server.username,
        ssh_private_key_file=str(server.private_key_file),
    )
    remote = f"/tmp/kiln-null-ssh-{server.port}.txt"
    provisioners = [
        ProvisionerSpec("file", FileProvisionerConfig(source=str(upload), destination=remote), name="file"),
        ProvisionerSpec(
            "shell",
            ShellConfig(
                inline=[f"cat {remote}", "echo host={{ .Host }} user=$PACKER_BUILD_NAME", f"rm {remote}"]
            ),
            name="shell",
        ),
    ]
    plan = BuildPlan(
        "null.ssh", ComponentSpec("null", NullConfig(comm)), provisioners=provisioners, source_name="ssh"
    )
    stream = io.StringIO()
    options = BuildOptions(color=False)
    code = asyncio.run(run_builds([plan], options, make_ui(options, stream)))
    output = stream.getvalue()

    assert code == 0, output
    assert f"==> null.ssh: Using SSH communicator to connect: {server.host}" in output
    assert "==> null.ssh: Connected to SSH!" in output
    assert "    null.ssh: from the host" in output
    assert f"    null.ssh: host={server.host} user=ssh" in output


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ssh_username": "root", "ssh_password": "x"}, "a Host must be specified"),
        ({"ssh_host": "h", "ssh_password": "x"}, "a Username must be specified"),
        ({"ssh_host": "h", "ssh_username": "root"}, "one authentication method must be specified"),
        (
            {"ssh_host": "h", "ssh_username": "root", "ssh_password": "x", "ssh_agent_auth": True},
            "only one of ssh_agent_auth, ssh_password, and ssh_private_key_file must be specified",
        ),
    ],
    ids=["no-host", "no-user", "no-auth", "two-auths"],
)
def test_null_builder_connection_checks(fields, message):
    from kiln.builtin.builders.null import NullBuilder
    from kiln.sdk.config import ConfigProblems

    with pytest.raises(ConfigProblems) as caught:
        NullBuilder().prepare(NullConfig(CommunicatorConfig(**fields)))
    assert any(problem.message.startswith(message) for problem in caught.value.problems)


def test_null_builder_without_communicator_needs_nothing():
    from kiln.builtin.builders.null import NullBuilder

    assert NullBuilder().prepare(NullConfig(CommunicatorConfig(communicator="none"))) == []


def test_expect_disconnect_reconnects_for_next_provisioner(server):
    comm = CommunicatorConfig(
        ssh_host=server.host,
        ssh_port=server.port,
        ssh_username=server.username,
        ssh_private_key_file=str(server.private_key_file),
    )
    provisioners = [
        # Killing the session's sshd process drops the connection, as a reboot would.
        ProvisionerSpec("shell", ShellConfig(inline=["kill -9 $PPID"], expect_disconnect=True), name="shell"),
        ProvisionerSpec("shell", ShellConfig(inline=["echo after-reconnect"]), name="shell"),
    ]
    plan = BuildPlan("null.ssh", ComponentSpec("null", NullConfig(comm)), provisioners=provisioners, source_name="ssh")
    stream = io.StringIO()
    options = BuildOptions(color=False)
    code = asyncio.run(asyncio.wait_for(run_builds([plan], options, make_ui(options, stream)), 120))
    output = stream.getvalue()

    assert code == 0, output
    assert "    null.ssh: after-reconnect" in output
