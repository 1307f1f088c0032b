"""The shared steps: a temporary key pair, then connecting with it to a real sshd."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from kiln.communicator.config import CommunicatorConfig
from kiln.communicator.step import StepCleanupTemporaryKeys, StepConnect, StepTemporaryKeyPair
from kiln.sdk.communicator import RemoteCommand
from kiln.sdk.component import BuildContext, BuildInfo
from kiln.sdk.step import Step, StepAction
from kiln.sdk.steps import MachineState
from kiln.sdk.testing.harness import StepHarness
from kiln.sdk.testing.ui import RecordingSink
from kiln.sdk.ui import Ui

pytestmark = pytest.mark.timeout(60)


@dataclass
class State(MachineState):
    port: int = 0


class StepTrustKey(Step[State]):
    """Stands in for a builder that puts the public key into the machine."""

    def __init__(self, comm: CommunicatorConfig, server) -> None:
        self.comm = comm
        self.server = server

    async def run(self, state: State) -> StepAction:
        authorized = self.server.private_key_file.parent / "home" / ".ssh" / "authorized_keys"
        authorized.write_text(self.comm.ssh_public_key)
        return StepAction.CONTINUE


class StepRunEcho(Step[State]):
    def __init__(self, output: list[str]) -> None:
        self.output = output

    async def run(self, state: State) -> StepAction:
        assert state.communicator is not None
        await state.communicator.start(
            RemoteCommand("echo temporary key works", on_stdout=self.output.append)
        )
        return StepAction.CONTINUE


def test_temporary_key_connect_and_cleanup(sshd_server):
    sink = RecordingSink()
    context = BuildContext(Ui(sink, build="test"), hook=None, info=BuildInfo())  # type: ignore[arg-type]
    comm = CommunicatorConfig(
        ssh_username="root", temporary_key_pair_type="ed25519", pause_before_connecting=0.1
    )
    output: list[str] = []
    key_step = StepTemporaryKeyPair(context, comm)
    harness = StepHarness(
        [
            key_step,
            StepTrustKey(comm, sshd_server),
            StepConnect(context, comm, host=lambda state: "127.0.0.1", port=lambda state: state.port),
            StepRunEcho(output),
        ]
    )
    state = asyncio.run(harness.run(State(port=sshd_server.port)))

    assert state.error is None
    assert output == ["temporary key works\n"]
    assert [event.text for event in sink.events] == [
        "Creating temporary ED25519 SSH key for instance...",
        "Using SSH communicator to connect: 127.0.0.1",
        "Waiting for SSH to become available...",
        "Pausing 100ms before connecting...",
        "Connected to SSH!",
    ]
    assert context.generated.ssh_public_key.startswith("ssh-ed25519 ")
    assert context.generated.host == "127.0.0.1"
    assert context.generated.port == sshd_server.port
    assert context.generated.conn_type == "ssh"
    assert state.communicator is None
    assert key_step.pair is not None
    assert key_step.pair.private_key_file is None
    harness.check_cleanup_order()


def test_clear_authorized_keys_removes_temporary_key(sshd_server):
    sink = RecordingSink()
    context = BuildContext(Ui(sink, build="test"), hook=None, info=BuildInfo())  # type: ignore[arg-type]
    comm = CommunicatorConfig(
        ssh_username="root", temporary_key_pair_type="rsa", ssh_clear_authorized_keys=True
    )
    comm.temporary_key_pair_bits = 2048
    authorized = sshd_server.private_key_file.parent / "home" / ".ssh" / "authorized_keys"

    class StepTrustBoth(StepTrustKey):
        async def run(self, state: State) -> StepAction:
            authorized.write_text(sshd_server.public_key + comm.ssh_public_key)
            return StepAction.CONTINUE

    steps = [
        StepTemporaryKeyPair(context, comm),
        StepTrustBoth(comm, sshd_server),
        StepConnect(context, comm, host=lambda state: "127.0.0.1", port=lambda state: state.port),
        StepCleanupTemporaryKeys(context, comm),
    ]
    state = asyncio.run(StepHarness(steps).run(State(port=sshd_server.port)))
    assert state.error is None
    assert authorized.read_text() == sshd_server.public_key
    assert not authorized.with_name("authorized_keys.bak").exists()


def test_none_communicator_connects_nothing():
    sink = RecordingSink()
    context = BuildContext(Ui(sink, build="test"), hook=None, info=BuildInfo())  # type: ignore[arg-type]
    comm = CommunicatorConfig(communicator="none")
    steps = [
        StepTemporaryKeyPair(context, comm),
        StepConnect(context, comm, host=lambda state: "unused", port=lambda state: 22),
    ]
    state = asyncio.run(StepHarness(steps).run(State()))
    assert state.error is None
    assert state.communicator is None
    assert sink.events == []
