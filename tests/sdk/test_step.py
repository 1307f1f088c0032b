"""The step runner: order, reverse cleanup, failures, cancellation and policies."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from kiln.sdk.step import (
    FailureChoice,
    Step,
    StepAction,
    StepChainError,
    StepHalted,
    StepPolicy,
    StepState,
    check_step_chain,
    run_steps,
)
from kiln.sdk.testing import StepHarness


@dataclass
class DiskState(StepState):
    disk: str | None = None
    size: int | None = None


class Named(Step[DiskState]):
    def __init__(self, name: str, action: StepAction = StepAction.CONTINUE, raises: bool = False) -> None:
        self._name = name
        self.action = action
        self.raises = raises
        self.attempts = 0

    @property
    def name(self) -> str:
        return self._name

    async def run(self, state: DiskState) -> StepAction:
        self.attempts += 1
        if self.raises:
            raise RuntimeError(f"{self._name} exploded")
        if self.action == StepAction.HALT:
            state.error = RuntimeError(f"{self._name} failed")
        return self.action


def run(coroutine):
    return asyncio.run(coroutine)


def test_all_steps_run_and_clean_up_in_reverse():
    harness = StepHarness([Named("a"), Named("b"), Named("c")])
    state = run(harness.run(DiskState()))
    assert harness.runs == ["a", "b", "c"]
    assert harness.cleanups == ["c", "b", "a"]
    assert state.error is None
    harness.check_cleanup_order()


def test_halting_step_is_cleaned_up_too():
    harness = StepHarness([Named("a"), Named("b", StepAction.HALT), Named("c")])
    state = run(harness.run(DiskState()))
    assert harness.runs == ["a", "b"]
    assert harness.cleanups == ["b", "a"]
    assert str(state.error) == "b failed"


def test_raising_step_halts_with_its_error():
    harness = StepHarness([Named("a"), Named("b", raises=True)])
    state = run(harness.run(DiskState()))
    assert isinstance(state.error, RuntimeError)
    assert str(state.error) == "b exploded"
    assert harness.cleanups == ["b", "a"]


def test_halt_without_error_records_one():
    class Silent(Step[DiskState]):
        async def run(self, state: DiskState) -> StepAction:
            return StepAction.HALT

    state = run(StepHarness([Silent()]).run(DiskState()))
    assert isinstance(state.error, StepHalted)


def test_failing_cleanup_does_not_stop_others():
    class BadCleanup(Named):
        async def cleanup(self, state: DiskState) -> None:
            raise OSError("cannot remove")

    harness = StepHarness([Named("a"), BadCleanup("b"), Named("c")])
    run(harness.run(DiskState()))
    assert harness.cleanups == ["c", "b", "a"]


def test_cancellation_cleans_up_started_steps():
    class Hang(Named):
        async def run(self, state: DiskState) -> StepAction:
            await asyncio.sleep(3600)
            return StepAction.CONTINUE

    harness = StepHarness([Named("a"), Hang("hang"), Named("never")])
    state = DiskState()

    async def scenario():
        task = asyncio.create_task(harness.run(state))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(scenario())
    assert state.cancelled
    assert harness.cleanups == ["hang", "a"]


class Choose(StepPolicy):
    def __init__(self, *choices: FailureChoice) -> None:
        self.choices = list(choices)

    async def on_failure(self, step, state):
        return self.choices.pop(0)


def test_abort_policy_skips_cleanups():
    harness = StepHarness([Named("a"), Named("b", StepAction.HALT)])
    run(harness.run(DiskState(), Choose(FailureChoice.ABORT)))
    assert harness.cleanups == []


def test_retry_runs_failed_step_again():
    flaky = Named("flaky", StepAction.HALT)

    class FixAfterFirst(StepPolicy):
        async def on_failure(self, step, state):
            flaky.action = StepAction.CONTINUE
            return FailureChoice.RETRY

    harness = StepHarness([Named("a"), flaky, Named("c")])
    state = run(harness.run(DiskState(), FixAfterFirst()))
    assert flaky.attempts == 2
    assert state.error is None
    assert harness.runs == ["a", "flaky", "flaky", "c"]
    assert harness.cleanups == ["c", "flaky", "a"]


def test_before_step_hook_sees_each_step():
    seen = []

    class Watch(StepPolicy):
        async def before_step(self, step, state):
            seen.append(step.name)

    run(run_steps([Named("a"), Named("b")], DiskState(), Watch()))
    assert seen == ["a", "b"]


class WritesDisk(Step[DiskState]):
    writes = ("disk",)


class ReadsDisk(Step[DiskState]):
    reads = ("disk",)


def test_chain_check_accepts_write_before_read():
    check_step_chain([WritesDisk(), ReadsDisk()], DiskState())


def test_chain_check_accepts_initial_value():
    check_step_chain([ReadsDisk()], DiskState(disk="/tmp/disk"))


def test_chain_check_rejects_read_before_write():
    with pytest.raises(StepChainError, match="ReadsDisk reads disk"):
        check_step_chain([ReadsDisk(), WritesDisk()], DiskState())


def test_chain_check_rejects_unknown_field():
    class ReadsTypo(Step[DiskState]):
        reads = ("dsik",)

    with pytest.raises(StepChainError, match="lacks"):
        check_step_chain([ReadsTypo()], DiskState())


def test_runner_checks_chain_before_running():
    harness = StepHarness([ReadsDisk(), WritesDisk()])
    with pytest.raises(StepChainError):
        run(harness.run(DiskState()))
    assert harness.runs == []


class RecordingHook:
    def __init__(self, hang: bool = False) -> None:
        self.hang = hang
        self.calls: list[str] = []

    async def provision(self, communicator, generated):
        self.calls.append("provision")
        if self.hang:
            await asyncio.sleep(60)

    async def cleanup_provision(self, communicator, generated):
        self.calls.append("cleanup_provision")


def provision_context(hook):
    from kiln.sdk.component import BuildContext, BuildInfo
    from kiln.sdk.testing import recording_ui

    ui, _ = recording_ui("null.x")
    return BuildContext(ui, hook, BuildInfo())


async def interrupt_after(steps, state, delay=0.01):
    task = asyncio.create_task(run_steps(steps, state))
    await asyncio.sleep(delay)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_provision_cleanup_runs_cleanup_provisioner_on_interrupt():
    from kiln.sdk.steps import MachineState, StepProvision

    hook = RecordingHook(hang=True)
    run(interrupt_after([StepProvision(provision_context(hook))], MachineState()))
    assert hook.calls == ["provision", "cleanup_provision"]


def test_interrupt_after_provisioning_skips_cleanup_provisioner():
    from kiln.sdk.steps import MachineState, StepProvision

    class Hang(Step[MachineState]):
        async def run(self, state):
            await asyncio.sleep(60)
            return StepAction.CONTINUE

    hook = RecordingHook()
    run(interrupt_after([StepProvision(provision_context(hook)), Hang()], MachineState()))
    assert hook.calls == ["provision"]
