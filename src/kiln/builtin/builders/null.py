"""The `null` builder: connects to an existing machine (or none) and runs provisioners.

Steps: connect, provision. The artifact is `Null`, with no files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiln.builtin.builders.none_communicator import NoneCommunicator
from kiln.communicator.config import CommunicatorConfig, CommunicatorType, check_communicator_config
from kiln.sdk.artifact import Artifact, BasicArtifact
from kiln.sdk.component import BuildContext, Builder
from kiln.sdk.config import ConfigProblem, ConfigProblems, option
from kiln.sdk.step import Step, StepAction, run_steps
from kiln.sdk.steps import MachineState, StepProvision

BUILDER_ID = "fnoeding.null"


@dataclass
class NullConfig:
    """Configuration of the `null` builder."""

    comm: CommunicatorConfig = option(
        default_factory=CommunicatorConfig, squash=True, doc="How to reach the machine."
    )


class StepConnect(Step[MachineState]):
    """Connect to the machine with the configured communicator."""

    writes = ("communicator",)

    def __init__(self, context: BuildContext, config: CommunicatorConfig) -> None:
        self.context = context
        self.config = config

    async def run(self, state: MachineState) -> StepAction:
        if self.config.communicator == CommunicatorType.NONE:
            state.communicator = NoneCommunicator()
            return StepAction.CONTINUE

        from kiln.communicator.ssh.communicator import SSHCommunicator
        from kiln.communicator.ssh.connect import Target, wait_for_ssh

        generated = self.context.generated
        generated.host = self.config.ssh_host
        generated.port = self.config.ssh_port
        generated.user = self.config.ssh_username
        generated.password = self.config.ssh_password or None
        generated.conn_type = "ssh"
        self.context.ui.say(f"Using SSH communicator to connect: {self.config.ssh_host}")
        self.context.ui.say("Waiting for SSH to become available...")
        target = Target(self.config.ssh_host, self.config.ssh_port, self.config)
        connection, client, bastion = await wait_for_ssh(target, self.context.ui.say)
        state.communicator = SSHCommunicator(connection, client, self.config, bastion=bastion, target=target)
        self.context.ui.say("Connected to SSH!")
        return StepAction.CONTINUE

    async def cleanup(self, state: MachineState) -> None:
        if state.communicator is not None:
            await state.communicator.close()


def check_null_connection(comm: CommunicatorConfig) -> list[ConfigProblem]:
    """Return the null builder's own checks: it needs a host, a user and exactly one way to log in."""
    problems = []
    suffix = "please reference your communicator documentation"
    if not comm.ssh_host:
        problems.append(ConfigProblem(("ssh_host",), f"a Host must be specified, {suffix}"))
    if not comm.ssh_username:
        problems.append(ConfigProblem(("ssh_username",), f"a Username must be specified, {suffix}"))
    methods = [bool(comm.ssh_agent_auth), bool(comm.ssh_password), bool(comm.ssh_private_key_file)]
    if not any(methods):
        problems.append(
            ConfigProblem(("ssh_password",), f"one authentication method must be specified, {suffix}")
        )
    elif sum(methods) > 1:
        problems.append(
            ConfigProblem(
                ("ssh_password",),
                "only one of ssh_agent_auth, ssh_password, and ssh_private_key_file must be specified",
            )
        )
    return problems


class NullBuilder(Builder[NullConfig]):
    config_class = NullConfig
    builder_id = BUILDER_ID

    def prepare(self, config: NullConfig) -> list[str]:
        self.config = config
        comm = config.comm
        if comm.communicator == CommunicatorType.NONE:
            return []
        problems = [problem for problem in check_communicator_config(comm) if problem.severity == "error"]
        problems += check_null_connection(comm)
        if problems:
            raise ConfigProblems(problems)
        return []

    async def run(self, context: BuildContext) -> Artifact | None:
        context.generated.id = "Null"
        state = MachineState()
        steps: list[Step[Any]] = [StepConnect(context, self.config.comm), StepProvision(context)]
        await run_steps(steps, state, context.step_policy)
        if state.error is not None:
            raise state.error
        return BasicArtifact(
            BUILDER_ID,
            id="Null",
            string="Did not export anything. This is the null builder",
            states={"generated_data": {"ID": "Null"}},
        )
