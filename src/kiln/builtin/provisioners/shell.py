"""The `shell` provisioner: uploads scripts to the machine and runs them there.

Each script (inline commands become a temporary script) is uploaded to `remote_path`, made
executable, run through `execute_command`, and removed unless `skip_clean` is set. Uploads are
retried until `start_retry_timeout`, because a machine that just rebooted may not accept them.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import posixpath
import random
import shlex
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from kiln.builtin.shell_local import check_scripts_and_environment, invalid_exit_code_message, quote_value
from kiln.sdk.communicator import Communicator, CommunicatorError, ConnectionLost, RemoteCommand
from kiln.sdk.component import CMD_DISCONNECT, ProvisionContext, Provisioner, ProvisionError
from kiln.sdk.config import ConfigProblem, ConfigProblems, Duration, format_duration, option
from kiln.sdk.retry import retry

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_EXECUTE_COMMAND = "chmod +x {{.Path}}; {{.Vars}} {{.Path}}"
DEFAULT_ENV_FILE_EXECUTE_COMMAND = "chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}"
DEFAULT_SHEBANG = "/bin/sh -e"


@dataclass
class ShellConfig:
    """Options of the `shell` provisioner."""

    inline: list[str] = option(default_factory=list, doc="Commands to run, one per element, as one script.")
    script: str = option(default="", doc="Path of a local script to upload and run.")
    scripts: list[str] = option(
        default_factory=list, doc="Paths of local scripts to upload and run in order."
    )
    environment_vars: list[str] = option(default_factory=list, doc="`KEY=VALUE` pairs set for the scripts.")
    env: dict[str, str] = option(
        default_factory=dict, doc="Environment variables as a map; merged after `environment_vars`."
    )
    env_var_format: str = option(
        default="",
        doc="How each variable is written into `{{.Vars}}`; default `%s='%s' ` (`export %s='%s'\\n` with an env file).",
    )
    use_env_var_file: bool = option(
        default=False, doc="Write the variables to a file in the machine and source it."
    )
    execute_command: str = option(
        default="",
        doc="Command that runs a script, with `{{.Path}}`, `{{.Vars}}`, `{{.EnvVarFile}}`. Default `chmod +x {{.Path}}; {{.Vars}} {{.Path}}`.",
    )
    inline_shebang: str = option(
        default="",
        doc="Interpreter line for `inline` scripts (without `#!`). Default `/bin/sh -e`, unless the first line has its own `#!`.",
    )
    remote_folder: str = option(default="/tmp", doc="Folder in the machine scripts are uploaded to.")
    remote_file: str = option(
        default="", doc="File name scripts are uploaded as; default `script_NNNN.sh` with a random number."
    )
    remote_path: str = option(
        default="", doc="Full path scripts are uploaded to; default `remote_folder/remote_file`."
    )
    binary: bool = option(default=False, doc="Upload scripts as they are, without converting line endings.")
    skip_clean: bool = option(default=False, doc="Leave the uploaded scripts in the machine.")
    expect_disconnect: bool = option(default=False, doc="A dropped connection (a reboot) counts as success.")
    valid_exit_codes: list[int] = option(default_factory=lambda: [0], doc="Exit codes that count as success.")
    start_retry_timeout: Duration = option(
        default=Duration(300), doc="How long to retry uploading and starting a script, e.g. `5m`."
    )
    pause_after: Duration | None = option(
        default=None, doc="Wait this long after the last script, e.g. `10s`."
    )
    packer_build_name: str = option(
        default="", doc="Set by kiln: the build's source name.", docs_section="Set by kiln"
    )
    packer_builder_type: str = option(
        default="", doc="Set by kiln: the builder type.", docs_section="Set by kiln"
    )


def check_shell_config(config: ShellConfig) -> None:
    given = [
        name
        for name, value in (("inline", config.inline), ("script", config.script), ("scripts", config.scripts))
        if value
    ]
    problems: list[ConfigProblem] = []
    if not given:
        problems.append(ConfigProblem((), "Either a script file or inline script must be specified."))
    elif len(given) > 1:
        problems.append(
            ConfigProblem((given[1],), "Only one of inline, script, or scripts can be specified.")
        )
    problems.extend(check_scripts_and_environment([config.script, *config.scripts], config.environment_vars))
    if problems:
        raise ConfigProblems(problems)


def inline_script(config: ShellConfig) -> bytes:
    """Return the script for `inline`, with a `#!` line unless the commands bring their own."""
    lines = list(config.inline)
    if config.inline_shebang or not (lines and lines[0].startswith("#!")):
        lines.insert(0, f"#!{config.inline_shebang or DEFAULT_SHEBANG}")
    return ("\n".join(lines) + "\n").encode()


def render_command(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        for spelling in (f"{{{{.{key}}}}}", f"{{{{ .{key} }}}}"):
            template = template.replace(spelling, value)
    return template


class ShellProvisioner(Provisioner[ShellConfig]):
    config_class = ShellConfig
    render_exclude = frozenset({"execute_command"})

    def prepare(self, config: ShellConfig) -> list[str]:
        check_shell_config(config)
        if not config.remote_file:
            config.remote_file = f"script_{random.randrange(10000)}.sh"
        if not config.remote_path:
            config.remote_path = posixpath.join(config.remote_folder or "/tmp", config.remote_file)
        self.config = config
        return []

    def _variables(self, context: ProvisionContext) -> dict[str, str]:
        config = self.config
        generated = context.generated
        variables = {
            "PACKER_BUILD_NAME": config.packer_build_name or context.info.build_name,
            "PACKER_BUILDER_TYPE": config.packer_builder_type or context.info.builder_type,
        }
        if generated.http_ip and generated.http_port:
            variables["PACKER_HTTP_ADDR"] = f"{generated.http_ip}:{generated.http_port}"
            variables["PACKER_HTTP_IP"] = generated.http_ip
            variables["PACKER_HTTP_PORT"] = str(generated.http_port)
        for pair in config.environment_vars:
            key, _, value = pair.partition("=")
            variables[key] = value
        variables.update(config.env)
        return variables

    def _flat_vars(self, variables: dict[str, str]) -> str:
        default = "export %s='%s'\n" if self.config.use_env_var_file else "%s='%s' "
        fmt = self.config.env_var_format or default
        return "".join(
            fmt.replace("%s", key, 1).replace("%s", quote_value(variables[key]), 1)
            for key in sorted(variables)
        )

    async def provision(self, context: ProvisionContext) -> None:
        communicator = context.communicator
        if communicator is None:
            raise ProvisionError("the shell provisioner needs a communicator")
        config = self.config
        flat_vars = self._flat_vars(self._variables(context))
        env_file = ""
        if config.use_env_var_file:
            env_file = posixpath.join(config.remote_folder or "/tmp", f"varfile_{random.randrange(9999)}.sh")
            await self._retry(lambda: self._upload_env_file(context, communicator, env_file, flat_vars))

        default = DEFAULT_ENV_FILE_EXECUTE_COMMAND if config.use_env_var_file else DEFAULT_EXECUTE_COMMAND
        command = render_command(
            config.execute_command or default,
            {"Path": config.remote_path, "Vars": flat_vars, "EnvVarFile": env_file},
        )
        for label, content in self._scripts():
            context.ui.say(f"Provisioning with shell script: {label}")
            # Upload and run are retried together: after a reboot the uploaded file may be gone.
            status = await self._retry(
                lambda content=content: self._upload_and_run(context, communicator, content, command)
            )
            self._check_status(status)
            if not config.skip_clean:
                await self._retry(lambda: self._remove(context, communicator, config.remote_path))

        if env_file and not config.skip_clean:
            await self._retry(lambda: self._remove(context, communicator, env_file))
        if config.pause_after:
            context.ui.say(f"Pausing {format_duration(config.pause_after)} after this provisioner...")
            await asyncio.sleep(float(config.pause_after))

    def _scripts(self) -> list[tuple[str, bytes]]:
        config = self.config
        if config.inline:
            # Packer writes inline commands to a local temporary file and names it in its
            # message. kiln uploads them from memory but names a path of the same form.
            label = os.path.join(tempfile.gettempdir(), f"packer-shell{random.randrange(10**9, 10**10)}")
            return [(label, inline_script(config))]
        paths = [config.script] if config.script else config.scripts
        scripts = []
        for path in paths:
            with open(path, "rb") as handle:
                content = handle.read()
            if not config.binary:
                content = content.replace(b"\r\n", b"\n")
            scripts.append((path, content))
        return scripts

    async def _retry(self, attempt: Callable[[], Awaitable[T]]) -> T:
        try:
            return await retry(attempt, start_timeout=float(self.config.start_retry_timeout or 300))
        except (CommunicatorError, ProvisionError) as error:
            raise ProvisionError(str(error)) from error

    async def _upload_env_file(
        self, context: ProvisionContext, communicator: Communicator, path: str, content: str
    ) -> None:
        data = content.encode()
        try:
            await communicator.upload(path, io.BytesIO(data), size=len(data), mode=0o600)
        except CommunicatorError as error:
            raise CommunicatorError(f"Error uploading envVarFile: {error}") from error
        await self._run(context, communicator, f"chmod 0600 {shlex.quote(path)}")

    async def _upload_and_run(
        self, context: ProvisionContext, communicator: Communicator, content: bytes, command: str
    ) -> int | None:
        path = self.config.remote_path
        try:
            await communicator.upload(path, io.BytesIO(content), size=len(content), mode=0o755)
        except CommunicatorError as error:
            raise CommunicatorError(f"Error uploading script: {error}") from error
        # As in Packer, the chmod's exit status is not checked; only failing to start it is.
        await self._run(context, communicator, f"chmod 0755 {shlex.quote(path)}")
        try:
            return await self._run(context, communicator, command)
        except ConnectionLost as error:
            logger.info("connection lost while the script ran: %s", error)
            return CMD_DISCONNECT

    def _check_status(self, status: int | None) -> None:
        if status == CMD_DISCONNECT:
            if self.config.expect_disconnect:
                return
            raise ProvisionError(
                "Script disconnected unexpectedly. If you expected your script to disconnect, i.e. from a "
                'restart, you can try adding `"expect_disconnect": true` or `"valid_exit_codes": [0, '
                f"{CMD_DISCONNECT}]` to the shell provisioner parameters."
            )
        if status not in self.config.valid_exit_codes:
            raise ProvisionError(invalid_exit_code_message(status, self.config.valid_exit_codes))

    async def _remove(self, context: ProvisionContext, communicator: Communicator, path: str) -> None:
        """Remove an uploaded file; a disconnect or failure raises, so `_retry` tries again."""
        try:
            status = await self._run(context, communicator, f"rm -f {shlex.quote(path)}")
        except ConnectionLost as error:
            raise ProvisionError("Disconnect while removing temporary script.") from error
        if status == CMD_DISCONNECT:
            raise ProvisionError("Disconnect while removing temporary script.")
        if status != 0:
            raise ProvisionError(f"Error removing temporary script at {path}!")

    async def _run(self, context: ProvisionContext, communicator: Communicator, command: str) -> int | None:
        stdout, stderr = LinePrinter(context), LinePrinter(context)
        remote = RemoteCommand(command, on_stdout=stdout.feed, on_stderr=stderr.feed)
        try:
            result = await communicator.start(remote)
        finally:
            stdout.flush()
            stderr.flush()
        return result.exit_status


class LinePrinter:
    """Shows command output line by line, keeping a partial line until it ends or is flushed."""

    def __init__(self, context: ProvisionContext) -> None:
        self.context = context
        self.pending = ""

    def feed(self, chunk: str) -> None:
        *lines, self.pending = (self.pending + chunk).split("\n")
        for line in lines:
            self.context.ui.message(line.rstrip("\r"))

    def flush(self) -> None:
        if self.pending:
            self.context.ui.message(self.pending.rstrip("\r"))
            self.pending = ""
