"""The fakes in kiln.sdk.testing behave as their docstrings promise."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

import pytest

from kiln.sdk.communicator import CommunicatorError, ConnectionLost, RemoteCommand
from kiln.sdk.step import Step, StepAction, StepState
from kiln.sdk.testing import FakeCommunicator, StepHarness, recording_ui
from kiln.sdk.ui import EventKind, UiInputUnavailable


def test_scripted_command_output_and_status():
    communicator = FakeCommunicator()
    communicator.script("uname *", stdout="Linux\n", exit_status=3)
    seen = []
    result = asyncio.run(communicator.start(RemoteCommand("uname -s", on_stdout=seen.append)))
    assert result.exit_status == 3
    assert seen == ["Linux\n"]
    assert communicator.command_lines() == ["uname -s"]


def test_unscripted_command_succeeds():
    result = asyncio.run(FakeCommunicator().start(RemoteCommand("true")))
    assert result.exit_status == 0


def test_scripted_disconnect():
    communicator = FakeCommunicator()
    communicator.script("reboot", disconnect=True)
    with pytest.raises(ConnectionLost):
        asyncio.run(communicator.start(RemoteCommand("reboot")))


def test_upload_download_round_trip():
    communicator = FakeCommunicator()
    asyncio.run(communicator.upload("/etc/motd", io.BytesIO(b"hi"), mode=0o600))
    target = io.BytesIO()
    asyncio.run(communicator.download("/etc/motd", target))
    assert target.getvalue() == b"hi"
    assert communicator.modes["/etc/motd"] == 0o600


def test_download_missing_file_fails():
    with pytest.raises(CommunicatorError, match="no such file"):
        asyncio.run(FakeCommunicator().download("/nope", io.BytesIO()))


def test_recording_ui_keeps_order_and_answers():
    ui, sink = recording_ui("null.x", answers=["yes"])
    ui.say("one")
    ui.error("two")
    ui.machine("artifact-count", "1")
    assert asyncio.run(ui.ask("Continue?")) == "yes"
    assert [event.kind for event in sink.events] == [
        EventKind.SAY,
        EventKind.ERROR,
        EventKind.MACHINE,
        EventKind.ASK,
    ]
    assert sink.texts() == ["one", "two"]
    with pytest.raises(UiInputUnavailable):
        asyncio.run(ui.ask("Again?"))


@dataclass
class State(StepState):
    pass


class Named(Step[State]):
    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def run(self, state: State) -> StepAction:
        return StepAction.CONTINUE


def test_harness_detects_wrong_cleanup_order():
    harness = StepHarness([Named("a"), Named("b")])
    asyncio.run(harness.run(State()))
    harness.check_cleanup_order()
    harness.cleanups = ["a", "b"]
    with pytest.raises(AssertionError, match="not the started steps newest first"):
        harness.check_cleanup_order()
