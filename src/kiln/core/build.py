"""`kiln build`: run every planned build, at most `-parallel-builds` at once, and report artifacts.

    options = BuildOptions(parallel_builds=1)
    ui = make_ui(options, sys.stdout)
    exit_code = asyncio.run(run_builds(plans, options, ui))

The first interrupt (SIGINT or SIGTERM) cancels every build; their cleanups run and kiln
exits 1 with `Cleanly cancelled builds after being interrupted.`. Builds whose cleanup hangs
are cancelled again after `INTERRUPT_GRACE` seconds, so kiln stops even if a guest does not.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
import uuid
from dataclasses import dataclass, field
from typing import Self, TextIO

from kiln.core.corebuild import MultiErrorWithArtifacts, PreparedBuild, prepare_build, run_build
from kiln.core.durations import format_elapsed
from kiln.core.policy import OnError
from kiln.core.secrets import SECRETS
from kiln.core.ui import HumanRenderer, MachineRenderer
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import BuildInfo
from kiln.sdk.plan import BuildPlan
from kiln.sdk.ui import Ui

logger = logging.getLogger(__name__)

# Seconds cleanups get after an interrupt before they are cancelled too.
INTERRUPT_GRACE = 7.0


@dataclass
class BuildOptions:
    """The `kiln build` flags the engine uses; `-only`/`-except` are applied by the template layer."""

    parallel_builds: int = 0  # 0 or less: no limit
    debug: bool = False
    force: bool = False
    on_error: OnError = OnError.CLEANUP
    machine_readable: bool = False
    color: bool = True
    timestamp_ui: bool = False
    run_uuid: str = field(default_factory=lambda: os.environ.get("PACKER_RUN_UUID") or str(uuid.uuid4()))
    user_variables: dict[str, str] = field(default_factory=dict)


def make_ui(options: BuildOptions, stream: TextIO) -> Ui:
    """Return the untargeted Ui `run_builds` expects, rendering as the options ask."""
    if options.machine_readable:
        return Ui(MachineRenderer(stream))
    color = options.color and not os.environ.get("PACKER_NO_COLOR") and stream.isatty()
    return Ui(HumanRenderer(stream, color=color, timestamp=options.timestamp_ui))


@dataclass
class _Outcome:
    artifacts: dict[str, list[Artifact]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


async def run_builds(plans: list[BuildPlan], options: BuildOptions, ui: Ui) -> int:
    """Run `plans` and print Packer's summary; return the exit code (0 ok, 1 any failure or interrupt)."""
    os.environ["PACKER_RUN_UUID"] = options.run_uuid
    exit_code = 0
    builds: list[PreparedBuild] = []
    for plan in plans:
        SECRETS.add(*plan.sensitive_values)
        build, errors = prepare_build(plan, build_info(plan, options))
        if build is None:
            ui.error("\n".join(errors))
            exit_code = 1
            continue
        builds.append(build)
    if options.debug:
        ui.say("Debug mode enabled. Builds will not be parallelized.")
    build_uis = announce_builds(builds, ui)

    started = time.monotonic()
    outcome = _Outcome()
    interrupted = await _run_all(builds, ui, build_uis, options, outcome)
    ui.say(f"\n==> Wait completed after {format_elapsed(time.monotonic() - started)}")
    if interrupted:
        ui.say("Cleanly cancelled builds after being interrupted.")
        return 1

    report(builds, outcome, ui)
    return 1 if outcome.errors else exit_code


def build_info(plan: BuildPlan, options: BuildOptions) -> BuildInfo:
    return BuildInfo(
        build_name=plan.source_name or plan.name,
        builder_type=plan.builder.type,
        full_name=plan.name,
        run_uuid=options.run_uuid,
        debug=options.debug,
        force=options.force,
        on_error=str(options.on_error),
        user_variables=dict(options.user_variables),
        sensitive_variables=list(plan.sensitive_values),
    )


def announce_builds(builds: list[PreparedBuild], ui: Ui) -> dict[str, Ui]:
    """Give each build its Ui and, on a colour terminal, say which colour it prints in."""
    renderer = ui.sink
    colored = isinstance(renderer, HumanRenderer) and renderer.color
    build_uis: dict[str, Ui] = {}
    for index, build in enumerate(builds):
        build_uis[build.name] = Ui(renderer, build.name)
        if colored:
            renderer.add_build(build.name)
            Ui(renderer, build.name, "").say(f"{build.name}: output will be in this color.")
            if index + 1 == len(builds):
                ui.say("")
        if build.warnings:
            ui.say(f"Warnings for build '{build.name}':\n")
            for warning in build.warnings:
                ui.say(f"* {warning}")
            ui.say("")
    return build_uis


async def _run_all(
    builds: list[PreparedBuild], ui: Ui, build_uis: dict[str, Ui], options: BuildOptions, outcome: _Outcome
) -> bool:
    """Run the builds concurrently as the options allow; return whether an interrupt stopped them."""
    limit = 1 if options.debug or options.parallel_builds == 1 else options.parallel_builds
    semaphore = asyncio.Semaphore(limit if limit > 0 else max(len(builds), 1))
    interrupt = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def run_one(build: PreparedBuild) -> None:
        async with semaphore:
            if interrupt.is_set():
                return
            await _run_and_record(build, build_uis[build.name], outcome)

    with _interrupt_handler(interrupt, ui):
        for build in builds:
            tasks.append(asyncio.create_task(run_one(build), name=f"build {build.name}"))
        await _wait_for(tasks, interrupt)
    return interrupt.is_set()


async def _wait_for(tasks: list[asyncio.Task[None]], interrupt: asyncio.Event) -> None:
    if not tasks:
        return
    interrupted = asyncio.create_task(interrupt.wait())
    done = asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.wait([done, interrupted], return_when=asyncio.FIRST_COMPLETED)
    if interrupt.is_set():
        for task in tasks:
            task.cancel()
        _, pending = await asyncio.wait(tasks, timeout=INTERRUPT_GRACE)
        for task in pending:
            logger.warning(
                "%s did not finish its cleanup in %ss; cancelling it again", task.get_name(), INTERRUPT_GRACE
            )
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1.0)
    await asyncio.wait([done])
    interrupted.cancel()


async def _run_and_record(build: PreparedBuild, ui: Ui, outcome: _Outcome) -> None:
    started = time.monotonic()
    bare_ui = Ui(ui.sink, build.name, "")
    logger.info("starting build run: %s", build.name)
    try:
        artifacts = await run_build(build, ui)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - any failure ends this build only, as in Packer
        elapsed = format_elapsed(time.monotonic() - started)
        Ui(ui.sink, build.name, "").error(f"Build '{build.name}' errored after {elapsed}: {error}")
        outcome.errors[build.name] = str(error)
        if isinstance(error, MultiErrorWithArtifacts) and error.artifacts:
            outcome.artifacts[build.name] = error.artifacts
        return
    bare_ui.say(f"Build '{build.name}' finished after {format_elapsed(time.monotonic() - started)}.")
    if artifacts:
        outcome.artifacts[build.name] = artifacts


class _interrupt_handler:
    """Route SIGINT and SIGTERM to the interrupt event while builds run (main thread only)."""

    def __init__(self, interrupt: asyncio.Event, ui: Ui) -> None:
        self.interrupt = interrupt
        self.ui = ui
        self.installed: list[int] = []

    def _on_signal(self, signum: int) -> None:
        if self.interrupt.is_set():
            logger.info("received signal %d again; cleanups are already running", signum)
            return
        self.ui.error("Cancelling build after receiving interrupt")
        logger.info("received signal %d; cancelling builds", signum)
        self.interrupt.set()

    def __enter__(self) -> Self:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self._on_signal, signum)
            except (ValueError, RuntimeError, NotImplementedError):
                continue  # not the main thread, or a platform without signal handlers
            self.installed.append(signum)
        return self

    def __exit__(self, *exc_info: object) -> None:
        loop = asyncio.get_running_loop()
        for signum in self.installed:
            loop.remove_signal_handler(signum)


def report(builds: list[PreparedBuild], outcome: _Outcome, ui: Ui) -> None:
    """Print Packer's closing summary: errors, then each build's artifacts."""
    order = [build.name for build in builds]
    if outcome.errors:
        ui.machine("error-count", str(len(outcome.errors)))
        ui.error("\n==> Some builds didn't complete successfully and had errors:")
        for name in order:
            if name in outcome.errors:
                ui.for_target(name).machine("error", outcome.errors[name])
                ui.error(f"--> {name}: {outcome.errors[name]}")
    if not outcome.artifacts:
        ui.say("\n==> Builds finished but no artifacts were created.")
        return
    ui.say("\n==> Builds finished. The artifacts of successful builds are:")
    for name in order:
        if name in outcome.artifacts:
            report_artifacts(name, outcome.artifacts[name], ui)


def report_artifacts(name: str, artifacts: list[Artifact], ui: Ui) -> None:
    target = ui.for_target(name)
    target.machine("artifact-count", str(len(artifacts)))
    for index, artifact in enumerate(artifacts):
        number = str(index)
        target.machine("artifact", number, "builder-id", artifact.builder_id)
        target.machine("artifact", number, "id", artifact.id)
        target.machine("artifact", number, "string", str(artifact))
        target.machine("artifact", number, "files-count", str(len(artifact.files)))
        for file_index, path in enumerate(artifact.files):
            target.machine("artifact", number, "file", str(file_index), path)
        target.machine("artifact", number, "end")
        ui.say(f"--> {name}: {artifact}")
