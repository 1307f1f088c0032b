"""The `shell-local` post-processor: runs commands or scripts on the host after a build.

It passes the input artifact on unchanged and keeps it.
"""

from __future__ import annotations

from kiln.builtin.shell_local import ShellLocalConfig, check_config, run_scripts
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import PostProcessContext, PostProcessor, PostProcessResult


class ShellLocalPostProcessor(PostProcessor[ShellLocalConfig]):
    config_class = ShellLocalConfig
    render_exclude = frozenset({"execute_command"})

    def prepare(self, config: ShellLocalConfig) -> list[str]:
        check_config(config)
        self.config = config
        return []

    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        await run_scripts(self.config, context.ui, context.info, context.generated)
        return PostProcessResult(artifact, keep=True, force_override=True)
