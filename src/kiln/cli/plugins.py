"""`kiln plugins`: Packer's plug-in subcommands, for a kiln whose components are built in.

`plugins installed` lists no binaries, because kiln loads no Packer plug-ins; `plugins
required TEMPLATE` lists a template's requirements; `install` and `remove` fail with a
message saying why. Bare `plugins` prints the help and exits 1, as Packer does.
"""

from __future__ import annotations

from kiln.cli.common import define_loading, define_vars, parse_arguments, template_arguments
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln plugins <subcommand> [options] [args]
  This command groups subcommands for interacting with Packer plugins.

Related but not under the "plugins" command :
- "kiln init <path>" checks the plugins a template requires against kiln's built-in components.

Subcommands:
    installed    List all installed Packer plugin binaries
    required     List plugins required by a config
    install      Install latest Packer plugin [matching version constraint]
    remove       Remove Packer plugins [matching a version]
"""


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    if not arguments:
        output.say(HELP.strip("\n"))
        return 1
    subcommand, rest = arguments[0], arguments[1:]
    if subcommand == "installed":
        # kiln loads no plug-in binaries, so there is nothing to list.
        return 0 if parse_arguments(FlagSet("installed"), rest, output, HELP) is not None else 1
    if subcommand == "required":
        return _required(rest, output)
    if subcommand in ("install", "remove"):
        output.error(
            f'Error: "kiln plugins {subcommand}" is not supported: kiln cannot load Packer plugin binaries, '
            "and its own components are built in."
        )
        return 1
    output.say(HELP.strip("\n"))
    return 1


def _required(arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet("required")
    define_vars(flags)
    define_loading(flags)
    positional = parse_arguments(flags, arguments, output, HELP)
    if positional is None:
        return 1
    if len(positional) != 1:
        output.say(HELP.strip("\n"))
        return 1

    from kiln.cli.session import open_template

    config = open_template(template_arguments(flags, positional[0]), output)
    if config is None:
        return 1
    for block in getattr(config, "required_plugins", []):
        for requirement in block.values():
            output.say(f'{requirement.name} {requirement.source} "{requirement.version}"')
    return 0
