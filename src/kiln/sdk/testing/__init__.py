"""Fakes for testing components without a machine: a recording Ui, a fake communicator and a step harness.

    ui, sink = recording_ui("null.example")
    communicator = FakeCommunicator()
    communicator.script("whoami", stdout="root\\n")
    await provisioner.provision(ProvisionContext(ui, communicator, BuildInfo()))
    assert sink.texts() == ["..."]

This package imports only kiln.sdk, so plug-in authors can use it too.
"""

from kiln.sdk.testing.communicator import FakeCommunicator, ScriptedCommand
from kiln.sdk.testing.harness import StepHarness
from kiln.sdk.testing.ui import RecordingSink, recording_ui

__all__ = [
    "FakeCommunicator",
    "RecordingSink",
    "ScriptedCommand",
    "StepHarness",
    "recording_ui",
]
