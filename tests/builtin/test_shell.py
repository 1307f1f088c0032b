"""The shell provisioner against the fake communicator."""

from __future__ import annotations

import asyncio

import pytest

from kiln.builtin.provisioners.shell import ShellConfig, ShellProvisioner, inline_script
from kiln.sdk.component import CMD_DISCONNECT, BuildInfo, ProvisionContext, ProvisionError
from kiln.sdk.config import ConfigProblems, Duration
from kiln.sdk.testing import FakeCommunicator, recording_ui

INFO = BuildInfo(build_name="base", builder_type="qemu", full_name="qemu.base")


def provision(config: ShellConfig, communicator: FakeCommunicator):
    provisioner = ShellProvisioner()
    provisioner.prepare(config)
    ui, sink = recording_ui("qemu.base")
    asyncio.run(provisioner.provision(ProvisionContext(ui, communicator, INFO)))
    return sink


def test_inline_upload_run_and_clean():
    communicator = FakeCommunicator()
    communicator.script("chmod +x /tmp/s.sh;*", stdout="hi\n")
    config = ShellConfig(inline=["echo hi"], remote_path="/tmp/s.sh", environment_vars=["A=it's"])
    sink = provision(config, communicator)
    assert communicator.files["/tmp/s.sh"] == b"#!/bin/sh -e\necho hi\n"
    assert communicator.command_lines() == [
        "chmod 0755 /tmp/s.sh",
        "chmod +x /tmp/s.sh; A='it'\"'\"'s' PACKER_BUILDER_TYPE='qemu' PACKER_BUILD_NAME='base'  /tmp/s.sh",
        "rm -f /tmp/s.sh",
    ]
    assert sink.texts()[0].startswith("Provisioning with shell script: /tmp/packer-shell")
    assert sink.texts()[1:] == ["hi"]


def test_inline_with_own_shebang():
    assert inline_script(ShellConfig(inline=["#!/bin/bash", "echo"])) == b"#!/bin/bash\necho\n"
    assert (
        inline_script(ShellConfig(inline=["#!/bin/bash"], inline_shebang="/bin/zsh"))
        == b"#!/bin/zsh\n#!/bin/bash\n"
    )


def test_skip_clean_keeps_script():
    communicator = FakeCommunicator()
    provision(ShellConfig(inline=["true"], remote_path="/tmp/s.sh", skip_clean=True), communicator)
    assert "rm -f /tmp/s.sh" not in communicator.command_lines()


def test_nonzero_exit_fails():
    communicator = FakeCommunicator()
    communicator.script("chmod +x*", exit_status=2)
    with pytest.raises(ProvisionError, match=r"non-zero exit status: 2.Allowed exit codes are: \[0\]"):
        provision(ShellConfig(inline=["false"], remote_path="/tmp/s.sh"), communicator)


def test_valid_exit_codes_accepted():
    communicator = FakeCommunicator()
    communicator.script("chmod +x*", exit_status=2)
    provision(ShellConfig(inline=["false"], remote_path="/tmp/s.sh", valid_exit_codes=[0, 2]), communicator)


def test_disconnect_needs_expect_disconnect():
    communicator = FakeCommunicator()
    communicator.script("chmod +x*", disconnect=True)
    with pytest.raises(ProvisionError, match="disconnected unexpectedly"):
        provision(ShellConfig(inline=["reboot"], remote_path="/tmp/s.sh"), communicator)
    communicator = FakeCommunicator()
    communicator.script("chmod +x*", exit_status=CMD_DISCONNECT)
    provision(ShellConfig(inline=["reboot"], remote_path="/tmp/s.sh", expect_disconnect=True), communicator)


def test_upload_retried_until_success():
    communicator = FakeCommunicator(fail_uploads=1)
    provision(
        ShellConfig(inline=["true"], remote_path="/tmp/s.sh", start_retry_timeout=Duration(5)), communicator
    )
    assert "/tmp/s.sh" in communicator.files


def test_env_var_file():
    communicator = FakeCommunicator()
    config = ShellConfig(inline=["true"], remote_path="/tmp/s.sh", use_env_var_file=True, env={"K": "v"})
    provision(config, communicator)
    env_files = [path for path in communicator.files if path.startswith("/tmp/varfile_")]
    assert len(env_files) == 1
    assert communicator.files[env_files[0]] == (
        b"export K='v'\nexport PACKER_BUILDER_TYPE='qemu'\nexport PACKER_BUILD_NAME='base'\n"
    )
    assert f"chmod +x /tmp/s.sh; . {env_files[0]} && /tmp/s.sh" in communicator.command_lines()


def test_scripts_converted_to_unix_line_endings(tmp_path):
    script = tmp_path / "a.sh"
    script.write_bytes(b"echo a\r\n")
    communicator = FakeCommunicator()
    sink = provision(ShellConfig(script=str(script), remote_path="/tmp/a.sh"), communicator)
    assert communicator.files["/tmp/a.sh"] == b"echo a\n"
    assert sink.texts()[0] == f"Provisioning with shell script: {script}"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (ShellConfig(), "Either a script file or inline script must be specified."),
        (ShellConfig(inline=["a"], script="x"), "Only one of inline, script, or scripts can be specified."),
        (ShellConfig(script="/nonexistent/x.sh"), "Bad script '/nonexistent/x.sh': file does not exist"),
        (ShellConfig(inline=["a"], environment_vars=["NOEQUALS"]), "not in format 'key=value'"),
    ],
    ids=["empty", "two-sources", "missing-script", "bad-env"],
)
def test_config_problems(config, message):
    with pytest.raises(ConfigProblems) as caught:
        ShellProvisioner().prepare(config)
    assert message in caught.value.problems[0].message


def test_chmod_exit_status_ignored():
    communicator = FakeCommunicator()
    communicator.script("chmod 0755 *", exit_status=1)
    provision(ShellConfig(inline=["true"], remote_path="/tmp/s.sh"), communicator)
    assert communicator.command_lines()[-1] == "rm -f /tmp/s.sh"


def test_upload_failure_reported_after_retry_timeout():
    communicator = FakeCommunicator(fail_uploads=100)
    config = ShellConfig(inline=["true"], remote_path="/tmp/s.sh", start_retry_timeout=Duration(0.01))
    with pytest.raises(ProvisionError, match="Error uploading script: fake upload to /tmp/s.sh failed"):
        provision(config, communicator)
