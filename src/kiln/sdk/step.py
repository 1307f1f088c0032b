"""Steps and the step runner: the unit of work every builder is made of.

A builder is a list of steps run in order against one typed build state. Each step has `run`,
which returns `StepAction.CONTINUE` or `StepAction.HALT`, and `cleanup`. The runner cleans up
every step that started, newest first, including the one that failed or was cancelled, so a
step's cleanup must cope with a half-done run: it checks what it really created and logs
problems instead of raising.

What happens when a step fails is decided outside the steps by a `StepPolicy` (kiln.core
implements `-on-error` and `-debug` with it). Steps stay unaware of the policy.

    @dataclass
    class MyState(StepState):
        disk: Path | None = None

    class StepCreateDisk(Step[MyState]):
        writes = ("disk",)

        async def run(self, state: MyState) -> StepAction:
            state.disk = make_disk()
            return StepAction.CONTINUE

    await run_steps([StepCreateDisk(), ...], MyState())
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

logger = logging.getLogger(__name__)


class StepAction(enum.StrEnum):
    CONTINUE = "continue"
    HALT = "halt"


@dataclass
class StepState:
    """The fields every build state has; a builder subclasses it with its own typed fields.

    `error` is set by the step that halted (or by the runner from an exception the step
    raised); `cancelled` is set when the build was interrupted. Cleanups read both to decide,
    for example, whether to keep a half-built output directory.
    """

    error: BaseException | None = None
    cancelled: bool = False

    @property
    def halted(self) -> bool:
        return self.error is not None


S = TypeVar("S", bound=StepState)


class Step(Generic[S]):
    """One named unit of a build with a `run` and a `cleanup`.

    `reads` and `writes` name the fields of the build state the step uses and produces, so
    `check_step_chain` can verify before a build starts that every read field is produced
    by an earlier step or given in the initial state.
    """

    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    # True for the step that runs provisioners: its cleanup runs the error-cleanup
    # provisioner, so `-on-error=run-cleanup-provisioner` keeps that cleanup while skipping others.
    runs_cleanup_provisioner: ClassVar[bool] = False

    @property
    def name(self) -> str:
        return type(self).__name__

    async def run(self, state: S) -> StepAction:
        raise NotImplementedError

    async def cleanup(self, state: S) -> None:
        """Undo what `run` did; called even when `run` failed or was cancelled half-way."""


class FailureChoice(enum.StrEnum):
    """What to do after a step halted."""

    CLEANUP = "cleanup"  # run the cleanups of every started step
    ABORT = "abort"  # skip cleanups, leaving resources behind for inspection
    RETRY = "retry"  # run the failed step again


class StepPolicy:
    """Hooks the runner calls around steps; the default runs steps plainly, as `-on-error=cleanup`.

    kiln.core subclasses it for `-debug` pauses and the `-on-error` modes. Hooks are coroutines
    because some of them ask the user.
    """

    async def before_step(self, step: Step[S], state: S) -> None:
        return None

    async def after_step(self, step: Step[S], state: S) -> None:
        """Called after `step` ran and continued (`-debug` pauses here)."""
        return

    async def on_failure(self, step: Step[S], state: S) -> FailureChoice:
        return FailureChoice.CLEANUP

    async def want_cleanup(self, step: Step[S], state: S, choice: FailureChoice) -> bool:
        """Return whether to run `step`'s cleanup after the build ended with `choice`."""
        return choice != FailureChoice.ABORT


class StepChainError(Exception):
    """A builder's steps read a state field that no earlier step writes: a bug in the builder."""


def check_step_chain(steps: Sequence[Step[S]], state: S) -> None:
    """Raise StepChainError if a step reads a field that is neither set initially nor written earlier."""
    field_names = {field.name for field in dataclasses.fields(state)}
    available = {name for name in field_names if getattr(state, name) is not None}
    for step in steps:
        for name in (*step.reads, *step.writes):
            if name not in field_names:
                raise StepChainError(f"step {step.name} names {name!r}, which {type(state).__name__} lacks")
        missing = [name for name in step.reads if name not in available]
        if missing:
            raise StepChainError(f"step {step.name} reads {', '.join(missing)} before any step writes it")
        available.update(step.writes)


async def run_steps(steps: Sequence[Step[S]], state: S, policy: StepPolicy | None = None) -> None:
    """Run `steps` in order, then clean up every started step newest first.

    A step that raises is treated as halting with that exception as `state.error`. When the
    task is cancelled, `state.cancelled` is set, cleanups run, and CancelledError propagates.
    Before any step runs, `check_step_chain` raises StepChainError for a miswired builder.
    """
    check_step_chain(steps, state)
    policy = policy or StepPolicy()
    started: list[Step[S]] = []
    choice = FailureChoice.CLEANUP
    try:
        for step in steps:
            await policy.before_step(step, state)
            started.append(step)
            choice = await _run_one(step, state, policy)
            if state.halted:
                break
    except asyncio.CancelledError:
        state.cancelled = True
        await _cleanup_all(started, state, policy, choice)
        raise
    await _cleanup_all(started, state, policy, choice)


async def _run_one(step: Step[S], state: S, policy: StepPolicy) -> FailureChoice:
    while True:
        logger.debug("running step %s", step.name)
        try:
            action = await step.run(state)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a step's bug or an unexpected failure halts the build
            logger.debug("step %s raised", step.name, exc_info=True)
            state.error = error
            action = StepAction.HALT
        if action == StepAction.CONTINUE:
            await policy.after_step(step, state)
            return FailureChoice.CLEANUP
        if state.error is None:
            state.error = StepHalted(f"step {step.name} halted without an error")
        choice = await policy.on_failure(step, state)
        if choice != FailureChoice.RETRY:
            return choice
        state.error = None


class StepHalted(Exception):
    """The error recorded when a step returned HALT without setting `state.error`."""


async def _cleanup_all(started: list[Step[S]], state: S, policy: StepPolicy, choice: FailureChoice) -> None:
    interrupted = False
    for step in reversed(started):
        try:
            if not await policy.want_cleanup(step, state, choice):
                continue
            await step.cleanup(state)
        except asyncio.CancelledError:
            # An interrupt during cleanup stops only this step's cleanup: the other steps
            # still release what they hold, then the cancellation propagates.
            logger.warning("cleanup of step %s was cancelled", step.name)
            interrupted = True
        except Exception:
            logger.exception("cleanup of step %s failed", step.name)
    if interrupted:
        raise asyncio.CancelledError
