"""`-debug` pauses and `-on-error=ask` answered on a terminal (a pseudo-terminal here)."""

from __future__ import annotations

import asyncio
import io
import os
from dataclasses import dataclass

import pytest

from kiln.core.policy import ASK_QUESTION, BuildPolicy, OnError
from kiln.core.ui import HumanRenderer
from kiln.sdk.step import Step, StepAction, StepState
from kiln.sdk.testing import StepHarness, recording_ui
from kiln.sdk.ui import Ui


@pytest.fixture
def terminal():
    primary, secondary = os.openpty()
    reader = os.fdopen(secondary, "r")
    yield primary, reader
    reader.close()
    os.close(primary)


def test_ask_reads_a_terminal_line(terminal):
    primary, reader = terminal
    output = io.StringIO()
    ui = Ui(HumanRenderer(output, input_stream=reader), "null.x")
    os.write(primary, b"  yes  \n")
    answer = asyncio.run(ui.ask("Continue?"))
    assert answer == "yes"
    assert output.getvalue() == "==> null.x: Continue? "


def test_ask_without_terminal_is_unavailable():
    from kiln.sdk.ui import UiInputUnavailable

    ui = Ui(HumanRenderer(io.StringIO(), input_stream=io.StringIO("x\n")), "null.x")
    with pytest.raises(UiInputUnavailable):
        asyncio.run(ui.ask("Continue?"))


@dataclass
class State(StepState):
    pass


class Ok(Step[State]):
    async def run(self, state):
        return StepAction.CONTINUE


class Fails(Step[State]):
    def __init__(self) -> None:
        self.attempts = 0

    async def run(self, state):
        self.attempts += 1
        if self.attempts == 1:
            state.error = RuntimeError("first try fails")
            return StepAction.HALT
        return StepAction.CONTINUE


def test_debug_pauses_after_steps_and_before_cleanups():
    ui, sink = recording_ui("null.x", answers=[""] * 4)
    harness = StepHarness([Ok(), Ok()])
    asyncio.run(harness.run(State(), BuildPolicy(ui, debug=True)))
    assert sink.texts() == []
    questions = [event.text for event in sink.events if event.kind == "ask"]
    assert questions == [
        "Pausing after run of step 'Ok'. Press enter to continue.",
        "Pausing after run of step 'Ok'. Press enter to continue.",
        "Pausing before cleanup of step 'Ok'. Press enter to continue.",
        "Pausing before cleanup of step 'Ok'. Press enter to continue.",
    ]


@pytest.mark.parametrize(
    ("answer", "attempts", "cleanups"),
    [("r", 2, ["Fails", "Ok"]), ("c", 1, ["Fails", "Ok"]), ("a", 1, [])],
    ids=["retry", "cleanup", "abort"],
)
def test_ask_policy_answers(answer, attempts, cleanups):
    ui, sink = recording_ui("null.x", answers=["what?", answer])
    failing = Fails()
    harness = StepHarness([Ok(), failing])
    asyncio.run(harness.run(State(), BuildPolicy(ui, OnError.ASK)))
    questions = [event.text for event in sink.events if event.kind == "ask"]
    assert questions == [ASK_QUESTION, ASK_QUESTION]
    assert failing.attempts == attempts
    assert harness.cleanups == cleanups


def test_ask_policy_messages():
    ui, sink = recording_ui("null.x", answers=["x", "c"])
    asyncio.run(StepHarness([Ok(), Fails()]).run(State(), BuildPolicy(ui, OnError.ASK)))
    assert sink.texts() == ["first try fails", 'Step "Fails" failed', 'Incorrect input: "x"']


def test_abort_policy_messages():
    ui, sink = recording_ui("null.x")
    harness = StepHarness([Ok(), Ok(), Fails()])
    asyncio.run(harness.run(State(), BuildPolicy(ui, OnError.ABORT)))
    assert harness.cleanups == []
    assert sink.errors() == [
        "first try fails",
        'Step "Fails" failed, aborting...',
        'aborted: skipping cleanup of step "Ok"',
        'aborted: skipping cleanup of step "Ok"',
    ]


def test_abort_policy_on_interrupt_skips_cleanups():
    class Hang(Step[State]):
        async def run(self, state):
            await asyncio.sleep(60)
            return StepAction.CONTINUE

    ui, sink = recording_ui("null.x")
    harness = StepHarness([Ok(), Hang()])

    async def scenario():
        task = asyncio.create_task(harness.run(State(), BuildPolicy(ui, OnError.ABORT)))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert harness.cleanups == []
    assert sink.errors() == ["Interrupted, aborting...", 'aborted: skipping cleanup of step "Ok"']
