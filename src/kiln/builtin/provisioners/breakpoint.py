"""The `breakpoint` provisioner: pauses the build until the user presses enter."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiln.sdk.component import ProvisionContext, Provisioner
from kiln.sdk.config import option
from kiln.sdk.ui import UiInputUnavailable

logger = logging.getLogger(__name__)


@dataclass
class BreakpointConfig:
    """Options of the `breakpoint` provisioner."""

    note: str = option(default="", doc="Text shown with the pause, to tell breakpoints apart.")
    disable: bool = option(default=False, doc="Skip this breakpoint.")


class BreakpointProvisioner(Provisioner[BreakpointConfig]):
    config_class = BreakpointConfig

    async def provision(self, context: ProvisionContext) -> None:
        if self.config.disable:
            if self.config.note:
                context.ui.say(
                    f'Breakpoint provisioner with note "{self.config.note}" disabled; continuing...'
                )
            else:
                context.ui.say("Breakpoint provisioner disabled; continuing...")
            return
        if self.config.note:
            context.ui.say(f'Pausing at breakpoint provisioner with note "{self.config.note}".')
        else:
            context.ui.say("Pausing at breakpoint provisioner.")
        try:
            await context.ui.ask("Press enter to continue.")
        except UiInputUnavailable as error:
            logger.info("breakpoint cannot wait for input (%s); continuing", error)
