"""A step harness that records runs and cleanups and checks Packer's cleanup order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic

from kiln.sdk.step import S, Step, StepAction, StepPolicy, run_steps


class _RecordingStep(Step[S]):
    def __init__(self, inner: Step[S], harness: StepHarness[S]) -> None:
        self.inner = inner
        self.harness = harness
        self.reads = inner.reads
        self.writes = inner.writes
        self.runs_cleanup_provisioner = inner.runs_cleanup_provisioner

    @property
    def name(self) -> str:
        return self.inner.name

    async def run(self, state: S) -> StepAction:
        self.harness.runs.append(self.name)
        return await self.inner.run(state)

    async def cleanup(self, state: S) -> None:
        self.harness.cleanups.append(self.name)
        await self.inner.cleanup(state)


class StepHarness(Generic[S]):
    """Run steps through the real runner, recording `runs` and `cleanups` by step name.

    harness = StepHarness([StepA(), StepB()])
    await harness.run(state)
    harness.check_cleanup_order()
    """

    def __init__(self, steps: Sequence[Step[S]]) -> None:
        self.steps = list(steps)
        self.runs: list[str] = []
        self.cleanups: list[str] = []

    async def run(self, state: S, policy: StepPolicy | None = None) -> S:
        wrapped = [_RecordingStep(step, self) for step in self.steps]
        await run_steps(wrapped, state, policy)
        return state

    def check_cleanup_order(self) -> None:
        """Assert that every started step was cleaned up once, newest first."""
        started = list(dict.fromkeys(self.runs))
        expected = list(reversed(started))
        if self.cleanups != expected:
            raise AssertionError(
                f"cleanups {self.cleanups} are not the started steps newest first {expected}"
            )
