"""The `-on-error` modes and `-debug` pauses, applied to a builder's steps from outside."""

from __future__ import annotations

import enum
import json
import logging

from kiln.sdk.step import FailureChoice, S, Step, StepPolicy
from kiln.sdk.ui import Ui, UiInputUnavailable

logger = logging.getLogger(__name__)


class OnError(enum.StrEnum):
    CLEANUP = "cleanup"
    ABORT = "abort"
    ASK = "ask"
    RUN_CLEANUP_PROVISIONER = "run-cleanup-provisioner"


ASK_QUESTION = "[c] Clean up and exit, [a] abort without cleanup, or [r] retry step (build may fail even if retry succeeds)?"


class BuildPolicy(StepPolicy):
    """Packer's step runner behaviour for one build, from its `-on-error` and `-debug` options.

    With `abort` (and `ask` answered with `a`), the first skipped cleanup reports the error and
    `Step "X" failed, aborting...` (or `Interrupted, aborting...`), and each later one
    `aborted: skipping cleanup of step "Y"`. `run-cleanup-provisioner` aborts the same way but
    still cleans up the provisioning step, which runs the error-cleanup provisioner.
    """

    def __init__(self, ui: Ui, on_error: OnError = OnError.CLEANUP, debug: bool = False) -> None:
        self.ui = ui
        self.on_error = on_error
        self.debug = debug
        self._abort_reported = False

    async def after_step(self, step: Step[S], state: S) -> None:
        if self.debug:
            await self._pause(f"Pausing after run of step '{step.name}'. Press enter to continue.")

    async def on_failure(self, step: Step[S], state: S) -> FailureChoice:
        if state.cancelled or self.on_error == OnError.CLEANUP:
            return FailureChoice.CLEANUP
        if self.on_error == OnError.ASK:
            return await self._ask(step, state)
        return FailureChoice.ABORT

    async def want_cleanup(self, step: Step[S], state: S, choice: FailureChoice) -> bool:
        aborting_on_interrupt = state.cancelled and self.on_error in (
            OnError.ABORT,
            OnError.RUN_CLEANUP_PROVISIONER,
        )
        if choice == FailureChoice.ABORT or aborting_on_interrupt:
            if self.on_error == OnError.RUN_CLEANUP_PROVISIONER and step.runs_cleanup_provisioner:
                return True
            self._report_abort(step, state)
            return False
        if self.debug:
            await self._pause(f"Pausing before cleanup of step '{step.name}'. Press enter to continue.")
        return True

    def _report_abort(self, step: Step[S], state: S) -> None:
        if self._abort_reported:
            self.ui.error(f'aborted: skipping cleanup of step "{step.name}"')
            return
        self._abort_reported = True
        if state.error is not None:
            self.ui.error(str(state.error))
        if state.cancelled:
            self.ui.error("Interrupted, aborting...")
        else:
            self.ui.error(f'Step "{step.name}" failed, aborting...')

    async def _ask(self, step: Step[S], state: S) -> FailureChoice:
        self.ui.error(str(state.error))
        self.ui.say(f'Step "{step.name}" failed')
        choices = {"c": FailureChoice.CLEANUP, "a": FailureChoice.ABORT, "r": FailureChoice.RETRY}
        while True:
            try:
                answer = await self.ui.ask(ASK_QUESTION)
            except UiInputUnavailable as error:
                # Packer reads an empty answer here, which means "clean up".
                logger.info("cannot ask what to do after step %s failed (%s); cleaning up", step.name, error)
                return FailureChoice.CLEANUP
            choice = choices.get((answer.lower() + "c")[0])
            if choice is not None:
                return choice
            self.ui.say(f"Incorrect input: {json.dumps(answer)}")

    async def _pause(self, question: str) -> None:
        try:
            await self.ui.ask(question)
        except UiInputUnavailable as error:
            logger.info("not pausing (%s): %s", error, question)
