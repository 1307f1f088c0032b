"""`kiln validate`: check that a template parses and every component accepts its configuration."""

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
Usage: kiln validate [options] TEMPLATE

  Checks the template is valid by parsing the template and also
  checking the configuration with the various builders, provisioners, etc.

  If it is not valid, the errors will be shown and the command will exit
  with a non-zero exit status. If it is valid, it will exit with a zero
  exit status.

Options:

  -syntax-only                  Only check syntax. Do not verify config of the template.
  -except=foo,bar,baz           Validate all builds other than these.
  -only=foo,bar,baz             Validate only these builds.
  -machine-readable             Produce machine-readable output.
  -var 'key=value'              Variable for templates, can be used multiple times.
  -var-file=path                JSON or HCL2 file containing user variables, can be used multiple times.
  -no-warn-undeclared-var       Disable warnings for user variable files containing undeclared variables.
  -evaluate-datasources         Evaluate data sources during validation (HCL2 only, may incur costs); Defaults to false.
  -ignore-prerelease-plugins    Disable the loading of prerelease plugin binaries (x.y.z-dev).
  -use-sequential-evaluation    Fallback to using a sequential approach for local/datasource evaluation.
"""


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet(name)
    flags.bool("syntax-only")
    flags.bool("no-warn-undeclared-var")
    flags.bool("evaluate-datasources")
    define_build_filter(flags)
    define_vars(flags)
    define_loading(flags)
    positional = parse_arguments(flags, arguments, output, HELP)
    if positional is None:
        return 1
    if len(positional) != 1:
        output.say(HELP.strip("\n"))
        return 1

    from kiln.cli.session import open_template, register_secrets

    template_args = template_arguments(flags, positional[0])
    config = open_template(
        template_args, output, warn_undeclared_var=not flags.value("no-warn-undeclared-var")
    )
    if config is None:
        return 1
    if flags.value("syntax-only"):
        output.say("Syntax-only check passed. Everything looks okay.")
        return 0

    from kiln.cli.prepare import prepare_plans

    diagnostics = config.initialize(evaluate_datasources=flags.value("evaluate-datasources"))
    register_secrets(config)
    if output.diagnostics(diagnostics, config.sources):
        return 1
    plans, diagnostics = config.get_builds(only=template_args.only, except_=template_args.except_)
    if output.diagnostics(diagnostics, config.sources):
        return 1
    if output.diagnostics(prepare_plans(plans), config.sources):
        return 1
    output.say("The configuration is valid.")
    return 0
