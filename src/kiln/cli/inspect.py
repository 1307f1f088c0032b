"""`kiln inspect`: print a template's variables, locals and builds."""

from __future__ import annotations

from kiln.cli.common import (
    define_build_filter,
    define_loading,
    define_vars,
    parse_arguments,
    template_arguments,
)
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln inspect TEMPLATE

  Inspects a template, parsing and outputting the components a template
  defines. This does not validate the contents of a template (other than
  basic syntax by necessity).

Options:

  -machine-readable             Machine-readable output
  -use-sequential-evaluation    Fallback to using a sequential approach for local/datasource evaluation.
"""


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet(name)
    define_build_filter(flags)
    define_vars(flags)
    define_loading(flags)
    positional = parse_arguments(flags, arguments, output, HELP)
    if positional is None:
        return 1
    if len(positional) != 1:
        output.say(HELP.strip("\n"))
        return 1

    from kiln.cli.legacy import LegacyConfig, inspect_legacy
    from kiln.cli.session import open_template, register_secrets
    from kiln.template.inspect import format_inspection

    config = open_template(template_arguments(flags, positional[0]), output)
    if config is None:
        return 1
    if isinstance(config, LegacyConfig):
        inspect_legacy(config.template, output)
        return 0
    # As Packer does, inspect shows what it can: unset variables and failed locals print as
    # "<unknown>" instead of stopping the command.
    config.initialize(evaluate_datasources=False)
    register_secrets(config)
    for text in format_inspection(config):
        output.say(text)
    return 0
