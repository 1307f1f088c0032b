"""The `sleep` provisioner: waits, for example for services in the machine to settle."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kiln.sdk.component import ProvisionContext, Provisioner
from kiln.sdk.config import ConfigProblem, ConfigProblems, Duration, option


@dataclass
class SleepConfig:
    """Options of the `sleep` provisioner."""

    duration: Duration | None = option(
        default=None, doc="How long to wait, as a Go duration such as `30s` (required)."
    )


class SleepProvisioner(Provisioner[SleepConfig]):
    config_class = SleepConfig

    def prepare(self, config: SleepConfig) -> list[str]:
        if config.duration is None:
            raise ConfigProblems([ConfigProblem(("duration",), "duration is required")])
        if isinstance(config.duration, str):
            config.duration = Duration.parse(config.duration)
        self.config = config
        return []

    async def provision(self, context: ProvisionContext) -> None:
        await asyncio.sleep(max(float(self.config.duration or 0), 0))
