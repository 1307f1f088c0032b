"""The `shell-local` provisioner: runs commands or scripts on the host running kiln."""

from __future__ import annotations

from kiln.builtin.shell_local import ShellLocalConfig, check_config, run_scripts
from kiln.sdk.component import ProvisionContext, Provisioner, ProvisionError


class ShellLocalProvisioner(Provisioner[ShellLocalConfig]):
    config_class = ShellLocalConfig
    render_exclude = frozenset({"execute_command"})

    def prepare(self, config: ShellLocalConfig) -> list[str]:
        check_config(config)
        self.config = config
        return []

    async def provision(self, context: ProvisionContext) -> None:
        try:
            await run_scripts(self.config, context.ui, context.info, context.generated)
        except (RuntimeError, OSError) as error:
            raise ProvisionError(str(error)) from error
