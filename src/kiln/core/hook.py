"""The provisioning hook: runs a build's provisioners when its builder calls it, with Packer's meta-arguments.

Each provisioner is re-prepared with the builder's generated data rendered into its config,
then wrapped, outermost first, in `timeout`, `pause_before` and `max_retries`, as Packer's
core does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from kiln.core.registry import ComponentKind, lookup
from kiln.core.render import RenderData, render_config
from kiln.sdk.communicator import Communicator
from kiln.sdk.component import BuildInfo, GeneratedData, ProvisionContext, Provisioner, ProvisionError
from kiln.sdk.config import format_duration
from kiln.sdk.plan import ProvisionerSpec
from kiln.sdk.retry import retry
from kiln.sdk.ui import Ui, UiInputUnavailable

logger = logging.getLogger(__name__)

NO_COMMUNICATOR = (
    "No communicator found for provisioners! This is usually because the\n"
    '`communicator` config was set to "none". If you have any provisioners\n'
    "then a communicator is required. Please fix this to continue."
)


class CoreProvisionHook:
    """The ProvisionHook kiln.core hands to builders; one per build."""

    def __init__(
        self,
        ui: Ui,
        info: BuildInfo,
        provisioners: list[ProvisionerSpec],
        cleanup_provisioner: ProvisionerSpec | None = None,
    ) -> None:
        self.ui = ui
        self.info = info
        self.provisioners = provisioners
        self.cleanup_provisioner = cleanup_provisioner

    async def provision(self, communicator: Communicator | None, generated: GeneratedData) -> None:
        # Credentials the builder generated must not show up in provisioner output.
        for secret in (generated.password, generated.ssh_private_key, generated.winrm_password):
            if secret:
                self.ui.add_secret(secret)
        if not self.provisioners:
            return
        if communicator is None:
            raise ProvisionError(NO_COMMUNICATOR)
        for spec in self.provisioners:
            if self.info.debug:
                await self._pause("Pausing before the next provisioner . Press enter to continue.")
            await self._run_with_meta(spec, communicator, generated)

    async def cleanup_provision(self, communicator: Communicator | None, generated: GeneratedData) -> None:
        # Packer prints this line after every failed provisioning step, even with no
        # error-cleanup-provisioner block (hence "if present").
        self.ui.say("Provisioning step had errors: Running the cleanup provisioner, if present...")
        spec = self.cleanup_provisioner
        if spec is None:
            return
        try:
            await self._run_with_meta(spec, communicator, generated)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - the build has already failed; report and go on
            self.ui.error(f"Error running cleanup provisioner: {error}")

    async def _run_with_meta(
        self, spec: ProvisionerSpec, communicator: Communicator | None, generated: GeneratedData
    ) -> None:
        """Run a provisioner wrapped as Packer's core wraps it.

        Packer applies `pause_before` or else `timeout`, never both (a quirk kept here), and
        retries the wrapped provisioner `max_retries` times, pausing again before each try.
        """

        async def once() -> None:
            if spec.pause_before:
                self.ui.say(f"Pausing {format_duration(spec.pause_before)} before the next provisioner...")
                await asyncio.sleep(spec.pause_before)
                await self._run_once(spec, communicator, generated)
            elif spec.timeout:
                await self._run_with_timeout(spec, communicator, generated)
            else:
                await self._run_once(spec, communicator, generated)

        try:
            if spec.max_retries > 0:
                # Packer's RetriedProvisioner: every error is retried, 2 s apart.
                await retry(once, tries=spec.max_retries + 1)
            else:
                await once()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not spec.continue_on_error:
                raise
            self.ui.error(f"{spec.type} provisioner failed, continuing: {error}")

    async def _run_with_timeout(
        self, spec: ProvisionerSpec, communicator: Communicator | None, generated: GeneratedData
    ) -> None:
        assert spec.timeout is not None
        self.ui.say(f"Setting a {format_duration(spec.timeout)} timeout for the next provisioner...")
        try:
            async with asyncio.timeout(spec.timeout):
                await self._run_once(spec, communicator, generated)
        except TimeoutError:
            self.ui.error("Cancelling provisioner after a timeout...")
            raise ProvisionError(
                f"{spec.type} provisioner timed out after {format_duration(spec.timeout)}"
            ) from None

    async def _run_once(
        self, spec: ProvisionerSpec, communicator: Communicator | None, generated: GeneratedData
    ) -> None:
        provisioner = prepare_provisioner(spec, generated, self.info)
        context = ProvisionContext(self.ui, communicator, self.info, generated)
        await provisioner.provision(context)

    async def _pause(self, question: str) -> None:
        try:
            await self.ui.ask(question)
        except UiInputUnavailable as error:
            logger.info("not pausing (%s): %s", error, question)


def prepare_provisioner(spec: ProvisionerSpec, generated: GeneratedData, info: BuildInfo) -> Provisioner[Any]:
    """Make and prepare the provisioner of `spec` with generated data rendered into its config."""
    provisioner_class = lookup(ComponentKind.PROVISIONER, spec.type)
    if provisioner_class is None:
        raise ProvisionError(f"unknown provisioner type {spec.type!r}")
    provisioner: Provisioner[Any] = provisioner_class()
    data = generated.template_data(info.run_uuid)
    values = RenderData(data, info.build_name, info.builder_type, info.user_variables)
    config = spec.reevaluate(data) if spec.reevaluate is not None else spec.config
    config = render_config(config, values, provisioner_class.render_exclude)
    provisioner.prepare(config)
    return provisioner
