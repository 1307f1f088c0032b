"""Steps every builder with a communicator shares: the temporary key pair and connecting.

steps = [StepTemporaryKeyPair(context, comm), ..., StepConnect(context, comm, host=..., port=...)]
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from kiln.communicator.config import CommunicatorConfig, CommunicatorType
from kiln.sdk.component import BuildContext
from kiln.sdk.config import format_duration
from kiln.sdk.step import Step, StepAction
from kiln.sdk.steps import MachineState

log = logging.getLogger(__name__)

S = TypeVar("S", bound=MachineState)


class StepTemporaryKeyPair(Step[MachineState]):
    """Generate a key pair when the configuration gives no SSH credentials.

    The private key is kept in `comm.ssh_private_key` and in a 0600 file whose path is logged
    for debugging. Cleanup removes the file. The public key is offered as `{{ .SSHPublicKey }}`.
    """

    def __init__(self, context: BuildContext, comm: CommunicatorConfig) -> None:
        self.context = context
        self.comm = comm
        self.pair = None

    async def run(self, state: MachineState) -> StepAction:
        if self.comm.communicator != CommunicatorType.SSH or not self.comm.want_temporary_key():
            return StepAction.CONTINUE

        from kiln.communicator.ssh.keys import TemporaryKeyPair

        key_type = self.comm.temporary_key_pair_type
        self.context.ui.say(f"Creating temporary {key_type.upper()} SSH key for instance...")
        self.pair = await asyncio.to_thread(
            TemporaryKeyPair.generate,
            key_type,
            self.comm.temporary_key_pair_bits,
            self.comm.temporary_key_pair_name or "kiln",
        )
        log.debug("temporary private key written to %s", self.pair.private_key_file)

        self.comm.ssh_private_key = self.pair.private_key
        self.comm.ssh_public_key = self.pair.public_key
        self.context.generated.ssh_public_key = self.pair.public_key
        self.context.generated.ssh_private_key = self.pair.private_key
        return StepAction.CONTINUE

    async def cleanup(self, state: MachineState) -> None:
        if self.pair is not None:
            self.pair.remove()


class StepConnect(Step[S]):
    """Wait for the machine's SSH server, connect, and publish the communicator in the state.

    `host` and `port` read the address from the state, because builders learn it while they
    run (a forwarded port, an instance's address). `ssh_host` and a non-default `ssh_port` in the
    configuration win over them.
    """

    writes = ("communicator",)

    def __init__(
        self,
        context: BuildContext,
        comm: CommunicatorConfig,
        *,
        host: Callable[[S], str],
        port: Callable[[S], int],
    ) -> None:
        self.context = context
        self.comm = comm
        self.host = host
        self.port = port

    async def run(self, state: S) -> StepAction:
        if self.comm.communicator == CommunicatorType.NONE:
            return StepAction.CONTINUE

        from kiln.communicator.ssh import SSHCommunicator, Target, wait_for_ssh
        from kiln.communicator.ssh.connect import open_tunnels

        ui = self.context.ui
        target = Target(self.comm.ssh_host or self.host(state), self.port(state), self.comm)
        ui.say(f"Using SSH communicator to connect: {target.host}")
        ui.say("Waiting for SSH to become available...")
        connection, client, bastion = await wait_for_ssh(target, ui.say)
        if self.comm.pause_before_connecting:
            connection.close()
            if bastion is not None:
                bastion.close()
            ui.say(f"Pausing {format_duration(self.comm.pause_before_connecting)} before connecting...")
            await asyncio.sleep(self.comm.pause_before_connecting)
            connection, client, bastion = await wait_for_ssh(target, ui.say)
        ui.say("Connected to SSH!")
        await open_tunnels(connection, self.comm)

        state.communicator = SSHCommunicator(connection, client, self.comm, bastion=bastion, target=target)
        generated = self.context.generated
        generated.host = target.host
        generated.port = target.port
        generated.user = self.comm.ssh_username
        generated.password = self.comm.ssh_password
        generated.conn_type = "ssh"
        return StepAction.CONTINUE

    async def cleanup(self, state: S) -> None:
        if state.communicator is not None:
            await state.communicator.close()
            state.communicator = None


class StepCleanupTemporaryKeys(Step[S]):
    """Remove the temporary public key from the machine's authorized_keys files.

    Runs only with `ssh_clear_authorized_keys` and a generated key pair, before shutdown,
    so the image does not keep trusting a key that existed only for the build.
    """

    reads = ("communicator",)

    def __init__(self, context: BuildContext, comm: CommunicatorConfig) -> None:
        self.context = context
        self.comm = comm

    async def run(self, state: S) -> StepAction:
        if (
            not self.comm.ssh_clear_authorized_keys
            or not self.comm.ssh_public_key
            or state.communicator is None
        ):
            return StepAction.CONTINUE

        from kiln.sdk.communicator import RemoteCommand

        self.context.ui.say("Trying to remove ephemeral keys from authorized_keys files")
        key_body = self.comm.ssh_public_key.split()[1]
        for folder in ("~/.ssh", "/root/.ssh"):
            # The key is base64 ([A-Za-z0-9+/=]); only `/` needs escaping inside the sed address.
            pattern = key_body.replace("/", "\\/")
            command = (
                f"test -f {folder}/authorized_keys && sed -i.bak '/{pattern}/d' {folder}/authorized_keys"
            )
            await state.communicator.start(RemoteCommand(f"{command}; rm -f {folder}/authorized_keys.bak"))
        return StepAction.CONTINUE
