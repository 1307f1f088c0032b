"""Steps most builders share."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kiln.sdk.communicator import Communicator
from kiln.sdk.component import BuildContext
from kiln.sdk.step import Step, StepAction, StepState


@dataclass
class MachineState(StepState):
    """State fields of builders whose machine is reached through a communicator."""

    communicator: Communicator | None = None


class StepProvision(Step[MachineState]):
    """Run the build's provisioners; on a failed build, run the error-cleanup provisioner.

    Builders without a communicator (`communicator = "none"`) leave `state.communicator`
    as None; the hook reports an error if the build has provisioners.
    """

    runs_cleanup_provisioner = True

    def __init__(self, context: BuildContext) -> None:
        self.context = context
        self.interrupted = False

    async def run(self, state: MachineState) -> StepAction:
        try:
            await self.context.hook.provision(state.communicator, self.context.generated)
        except asyncio.CancelledError:
            # In Packer an interrupted provisioner returns an error, which triggers the
            # error-cleanup provisioner; an interrupt after provisioning does not.
            self.interrupted = True
            raise
        return StepAction.CONTINUE

    async def cleanup(self, state: MachineState) -> None:
        if state.error is None and not self.interrupted:
            return
        await self.context.hook.cleanup_provision(state.communicator, self.context.generated)
