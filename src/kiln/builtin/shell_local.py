"""Options, environment and process handling shared by the `shell-local` provisioner and post-processor.

A script runs on the host running kiln as `execute_command` (default
`["/bin/sh", "-c", "{{.Vars}} {{.Script}}"]`), with `{{.Vars}}` the environment variables in
`env_var_format` and `{{.Script}}` the script's path. Inline commands are written to a
temporary script first, starting with `#!` and `inline_shebang`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass

from kiln.sdk.component import BuildInfo, GeneratedData
from kiln.sdk.config import ConfigProblem, ConfigProblems, option
from kiln.sdk.interpolate.packer import Context, render
from kiln.sdk.ui import Ui

logger = logging.getLogger(__name__)

DEFAULT_EXECUTE_COMMAND = ["/bin/sh", "-c", "{{.Vars}} {{.Script}}"]
DEFAULT_ENV_VAR_FORMAT = "%s='%s' "


@dataclass
class ShellLocalConfig:
    """Options of `shell-local`, as a provisioner and as a post-processor."""

    command: str = option(default="", doc="One command to run; a shortcut for a one-line `inline`.")
    inline: list[str] = option(default_factory=list, doc="Commands to run, written to a temporary script.")
    inline_shebang: str = option(
        default="/bin/sh -e", doc="Interpreter line (without `#!`) for `inline` scripts."
    )
    script: str = option(default="", doc="Path of a local script to run.")
    scripts: list[str] = option(default_factory=list, doc="Paths of local scripts to run in order.")
    environment_vars: list[str] = option(
        default_factory=list, doc="`KEY=VALUE` pairs set for the scripts, after Packer's own variables."
    )
    env: dict[str, str] = option(
        default_factory=dict, doc="Environment variables as a map; merged after `environment_vars`."
    )
    env_var_format: str = option(
        default="",
        doc="How each variable is written into `{{.Vars}}`, with `%s` for name and value. Default `%s='%s' `.",
    )
    execute_command: list[str] = option(
        default_factory=list,
        doc="Command line that runs a script; `{{.Vars}}` and `{{.Script}}` are replaced. "
        'Default `["/bin/sh", "-c", "{{.Vars}} {{.Script}}"]`.',
    )
    only_on: list[str] = option(
        default_factory=list, doc="Run only on these host systems (`linux`, `darwin`, `windows`)."
    )
    tempfile_extension: str = option(
        default="", doc="Extension of the temporary script written for `inline`."
    )
    use_linux_pathing: bool = option(
        default=False, doc="On Windows with WSL, pass script paths in Linux form."
    )
    valid_exit_codes: list[int] = option(default_factory=lambda: [0], doc="Exit codes that count as success.")
    packer_build_name: str = option(
        default="", doc="Set by kiln: the build's source name.", docs_section="Set by kiln"
    )
    packer_builder_type: str = option(
        default="", doc="Set by kiln: the builder type.", docs_section="Set by kiln"
    )



def check_scripts_and_environment(scripts: list[str], environment_vars: list[str]) -> list[ConfigProblem]:
    """Report script files that do not exist and environment entries not written `key=value`."""
    problems: list[ConfigProblem] = []
    for path in scripts:
        if path and not os.path.isfile(path):
            problems.append(ConfigProblem(("script",), f"Bad script '{path}': file does not exist"))
    for pair in environment_vars:
        if "=" not in pair or pair.startswith("="):
            problems.append(
                ConfigProblem(("environment_vars",), f"Environment variable not in format 'key=value': {pair}")
            )
    return problems

def check_config(config: ShellLocalConfig) -> None:
    """Raise ConfigProblems unless exactly one of command, inline, script and scripts is given."""
    given = [
        name
        for name, value in (
            ("command", config.command),
            ("inline", config.inline),
            ("script", config.script),
            ("scripts", config.scripts),
        )
        if value
    ]
    problems: list[ConfigProblem] = []
    if not given:
        problems.append(ConfigProblem((), "Command, Inline, Script and Scripts options cannot all be empty."))
    elif len(given) > 1:
        problems.append(
            ConfigProblem((given[1],), "Only one of command, inline, script or scripts can be specified.")
        )
    problems.extend(check_scripts_and_environment([config.script, *config.scripts], config.environment_vars))
    if problems:
        raise ConfigProblems(problems)


def invalid_exit_code_message(status: int | None, allowed: list[int]) -> str:
    """Return the packer-plugin-sdk message for a disallowed exit status, missing space included."""
    codes = " ".join(str(code) for code in allowed)
    return f"Script exited with non-zero exit status: {status}.Allowed exit codes are: [{codes}]"


def want_run_here(config: ShellLocalConfig) -> bool:
    if not config.only_on:
        return True
    return _host_os() in [name.lower() for name in config.only_on]


def _host_os() -> str:
    return {"win32": "windows", "darwin": "darwin"}.get(
        sys.platform, sys.platform if sys.platform != "linux" else "linux"
    )


def quote_value(value: str) -> str:
    """Escape single quotes the way Packer does inside a `'...'` shell word."""
    return value.replace("'", "'\"'\"'")


def environment(config: ShellLocalConfig, info: BuildInfo, generated: GeneratedData) -> dict[str, str]:
    """Return a script's environment variables: Packer's own, then `environment_vars`, then `env`."""
    variables = {
        "PACKER_BUILD_NAME": config.packer_build_name or info.build_name,
        "PACKER_BUILDER_TYPE": config.packer_builder_type or info.builder_type,
    }
    if generated.http_ip:
        variables["PACKER_HTTP_IP"] = generated.http_ip
    if generated.http_port:
        variables["PACKER_HTTP_PORT"] = str(generated.http_port)
    if generated.http_ip and generated.http_port:
        variables["PACKER_HTTP_ADDR"] = f"{generated.http_ip}:{generated.http_port}"
    for pair in config.environment_vars:
        key, _, value = pair.partition("=")
        variables[key] = value
    variables.update(config.env)
    return variables


def format_vars(variables: Mapping[str, str], env_var_format: str) -> str:
    """Flatten variables, sorted by name, into `{{.Vars}}` with `env_var_format`."""
    text = ""
    for key in sorted(variables):
        text += env_var_format.replace("%s", key, 1).replace("%s", quote_value(variables[key]), 1)
    return text


def script_paths(config: ShellLocalConfig, temporary: list[str]) -> list[str]:
    """Return the scripts to run, writing inline commands to a temporary script (listed in `temporary`)."""
    inline = config.inline or ([config.command] if config.command else [])
    if not inline:
        return [config.script] if config.script else list(config.scripts)
    descriptor, path = tempfile.mkstemp(prefix="packer-shell", suffix=_extension(config.tempfile_extension))
    temporary.append(path)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(f"#!{config.inline_shebang}\n")
        handle.write("\n".join(inline) + "\n")
    os.chmod(path, 0o700)
    return [path]


def _extension(extension: str) -> str:
    if not extension:
        return ""
    return extension if extension.startswith(".") else f".{extension}"


async def run_scripts(config: ShellLocalConfig, ui: Ui, info: BuildInfo, generated: GeneratedData) -> None:
    """Run every script of `config` in order; raise RuntimeError on a disallowed exit code."""
    if not want_run_here(config):
        ui.say("Skipping shell-local due to runtime OS")
        return
    execute_command = config.execute_command or DEFAULT_EXECUTE_COMMAND
    if len(execute_command) == 1:
        execute_command = ["sh", "-c", execute_command[0]]
    variables = environment(config, info, generated)
    flat_vars = format_vars(variables, config.env_var_format or DEFAULT_ENV_VAR_FORMAT)
    temporary: list[str] = []
    try:
        for path in script_paths(config, temporary):
            script = os.path.abspath(path)
            data = {
                **generated.template_data(info.run_uuid),
                "Vars": flat_vars,
                "Script": script,
                "Command": script,
            }
            argv = [render(part, Context(data=data)) for part in execute_command]
            ui.say(f"Running local shell script: {path}")
            status = await run_local(argv, ui)
            if status not in config.valid_exit_codes:
                raise RuntimeError(invalid_exit_code_message(status, config.valid_exit_codes))
    finally:
        for path in temporary:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)


async def run_local(argv: list[str], ui: Ui) -> int:
    """Run `argv` on the host, showing its output line by line; kill its process group if cancelled.

    The process inherits kiln's environment unchanged: as in Packer, the configured variables
    reach the script only through `{{.Vars}}` in `execute_command`.
    """
    logger.info("running local command: %s", argv)
    process = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        await asyncio.gather(_show_lines(process.stdout, ui), _show_lines(process.stderr, ui))
        return await process.wait()
    except asyncio.CancelledError:
        _kill_group(process)
        await process.wait()
        raise


def _kill_group(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


async def _show_lines(stream: asyncio.StreamReader, ui: Ui) -> None:
    while line := await stream.readline():
        ui.message(line.decode("utf-8", "replace").rstrip("\r\n"))
