"""SIGINT during a build: every build is cancelled and cleaned up, and kiln exits 1 promptly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from kiln.builtin.builders.null import NullConfig
    from kiln.builtin.shell_local import ShellLocalConfig
    from kiln.communicator.config import CommunicatorConfig
    from kiln.core.build import BuildOptions, make_ui, run_builds
    from kiln.sdk.plan import BuildPlan, ComponentSpec, ProvisionerSpec

    def plan(name):
        hang = ProvisionerSpec("shell-local", ShellLocalConfig(inline=["echo started; sleep 617"]))
        return BuildPlan(name, ComponentSpec("null", NullConfig(CommunicatorConfig(communicator="none"))),
                         provisioners=[hang], source_name=name)

    options = BuildOptions(color=False)
    sys.exit(asyncio.run(run_builds([plan("null.a"), plan("null.b")], options, make_ui(options, sys.stdout))))
    """
)


def test_sigint_cancels_builds_and_exits_1(tmp_path):
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    assert process.stdout is not None
    seen = 0
    while seen < 2:
        line = process.stdout.readline()
        assert line, "build ended before the interrupt"
        seen += line.rstrip().endswith(": started")
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=15)
    elapsed = time.monotonic() - started

    assert process.returncode == 1
    assert elapsed < 10
    assert "Cancelling build after receiving interrupt" in output
    assert "Cleanly cancelled builds after being interrupted." in output
    assert list(tmp_path.iterdir()) == []
    # The unusual duration marks this test's children; orphans would be re-parented, so match by command.
    leftover = subprocess.run(["pgrep", "-f", "sleep 617"], check=False, capture_output=True, text=True)
    assert leftover.stdout.split() == []


HANGING_CLEANUP = textwrap.dedent(
    """
    import asyncio, sys
    from dataclasses import dataclass
    from kiln.core import registry
    from kiln.core.build import BuildOptions, make_ui, run_builds
    from kiln.sdk.component import Builder
    from kiln.sdk.plan import BuildPlan, ComponentSpec
    from kiln.sdk.step import Step, StepAction, StepState, run_steps

    class Hang(Step):
        async def run(self, state):
            print("started", flush=True)
            await asyncio.sleep(600)
            return StepAction.CONTINUE

        async def cleanup(self, state):
            print("cleaning up", flush=True)
            await asyncio.sleep(600)  # a machine that never answers the shutdown request

    @dataclass
    class Config:
        pass

    class HangBuilder(Builder):
        config_class = Config

        async def run(self, context):
            await run_steps([Hang()], StepState(), context.step_policy)

    registry.register("builder", "hang", HangBuilder)
    options = BuildOptions(color=False)
    plan = BuildPlan("hang.x", ComponentSpec("hang", Config()), source_name="x")
    sys.exit(asyncio.run(run_builds([plan], options, make_ui(options, sys.stdout))))
    """
)


def test_hanging_cleanup_still_exits_within_10_seconds():
    process = subprocess.Popen(
        [sys.executable, "-c", HANGING_CLEANUP], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "started"
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=15)
    elapsed = time.monotonic() - started

    assert process.returncode == 1
    assert elapsed < 10
    assert "cleaning up" in output
    assert "Cleanly cancelled builds after being interrupted." in output
