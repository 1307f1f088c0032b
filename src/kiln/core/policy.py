"""The `-on-error` modes and `-debug` pauses, applied to a builder's steps from outside."""

from __future__ import annotations

import enum
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
    """Packer's step runner behaviour for one build, from its `-on-error` and `-debug` options."""

    def __init__(self, ui: Ui, on_error: OnError = OnError.CLEANUP, debug: bool = False) -> None:
        self.ui = ui
        self.on_error = on_error
        self.debug = debug

    async def after_step(self, step: Step[S], state: S) -> None:
        if self.debug:
            await self._pause(f"Pausing after run of step '{step.name}'. Press enter to continue.")

    async def on_failure(self, step: Step[S], state: S) -> FailureChoice:
        if state.cancelled or self.on_error == OnError.CLEANUP:
            return FailureChoice.CLEANUP
        if self.on_error == OnError.ASK:
            return await self._ask(step, state)
        self.ui.error(f'Step "{step.name}" failed, aborting...')
        return FailureChoice.ABORT

    async def want_cleanup(self, step: Step[S], state: S, choice: FailureChoice) -> bool:
        if choice == FailureChoice.ABORT:
            keep_provision_cleanup = self.on_error == OnError.RUN_CLEANUP_PROVISIONER
            if not (keep_provision_cleanup and step.runs_cleanup_provisioner):
                self.ui.error(f'aborted: skipping cleanup of step "{step.name}"')
                return False
        if self.debug:
            await self._pause(f"Pausing before cleanup of step '{step.name}'. Press enter to continue.")
        return True

    async def _ask(self, step: Step[S], state: S) -> FailureChoice:
        self.ui.error(f"Step {step.name!r} failed: {state.error}")
        choices = {"c": FailureChoice.CLEANUP, "a": FailureChoice.ABORT, "r": FailureChoice.RETRY}
        while True:
            try:
                answer = await self.ui.ask(ASK_QUESTION)
            except UiInputUnavailable as error:
                logger.info("cannot ask what to do after step %s failed (%s); cleaning up", step.name, error)
                return FailureChoice.CLEANUP
            choice = choices.get(answer.strip().lower()[:1] or "c")
            if choice is not None:
                if choice == FailureChoice.ABORT:
                    self.ui.error(f'Step "{step.name}" failed, aborting...')
                return choice

    async def _pause(self, question: str) -> None:
        try:
            await self.ui.ask(question)
        except UiInputUnavailable as error:
            logger.info("not pausing (%s): %s", error, question)
