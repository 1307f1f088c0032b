"""`kiln build`: run every selected build of a template, then its post-processors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiln.cli.common import define_build_filter, define_loading, define_vars, template_arguments
from kiln.cli.flags import FlagError, FlagSet, parse_go_bool
from kiln.cli.output import CommandOutput
from kiln.hcl.diagnostics import error

HELP = """
Usage: kiln build [options] TEMPLATE

  Will execute multiple builds in parallel as defined in the template.
  The various artifacts created by the template will be outputted.

Options:

  -color=false                  Disable color output. (Default: color)
  -debug                        Debug mode enabled for builds.
  -except=foo,bar,baz           Run all builds and post-processors other than these.
  -only=foo,bar,baz             Build only the specified builds.
  -force                        Force a build to continue if artifacts exist, deletes existing artifacts.
  -machine-readable             Produce machine-readable output.
  -on-error=[cleanup|abort|ask|run-cleanup-provisioner] If the build fails do: clean up (default), abort, ask, or run-cleanup-provisioner.
  -parallel-builds=1            Number of builds to run in parallel. 1 disables parallelization. 0 means no limit (Default: 0)
  -timestamp-ui                 Enable prefixing of each ui output with an RFC3339 timestamp.
  -var 'key=value'              Variable for templates, can be used multiple times.
  -var-file=path                JSON or HCL2 file containing user variables, can be used multiple times.
  -warn-on-undeclared-var       Show warnings for variable files containing undeclared variables.
  -ignore-prerelease-plugins    Disable the loading of prerelease plugin binaries (x.y.z-dev).
  -use-sequential-evaluation    Fallback to using a sequential approach for local/datasource evaluation.
"""

ON_ERROR_CHOICES = ("cleanup", "abort", "ask", "run-cleanup-provisioner")


@dataclass(slots=True)
class BuildArguments:
    """`kiln build`'s flags after parsing; `parallel_builds` 0 means no limit."""

    path: str = ""
    color: bool = True
    debug: bool = False
    force: bool = False
    timestamp_ui: bool = False
    on_error: str = "cleanup"
    parallel_builds: int = 0
    warn_undeclared_var: bool = False
    skip_enforcement: bool = False  # accepted for HCP Packer compatibility; kiln has no HCP support
    only: list[str] = field(default_factory=list)
    except_: list[str] = field(default_factory=list)


def _parse_on_error(_current: str, text: str) -> str:
    if text == "":
        return "cleanup"
    if text not in ON_ERROR_CHOICES:
        raise ValueError(f"must be one of {', '.join(ON_ERROR_CHOICES)}")
    return text


def define_build_flags(name: str) -> FlagSet:
    flags = FlagSet(name)
    flags.define("color", True, lambda _current, text: parse_go_bool(text), is_bool=True)
    flags.bool("debug")
    flags.bool("force")
    flags.bool("timestamp-ui")
    flags.bool("warn-on-undeclared-var")
    flags.bool("skip-enforcement")
    flags.define("on-error", "cleanup", _parse_on_error)
    flags.int("parallel-builds")
    define_build_filter(flags)
    define_vars(flags)
    define_loading(flags)
    return flags


def parse_build_arguments(arguments: list[str]) -> tuple[BuildArguments, FlagSet]:
    """Parse `kiln build`'s arguments; raise FlagError for a bad flag or a missing TEMPLATE."""
    flags = define_build_flags("build")
    positional = flags.parse(arguments)
    if len(positional) != 1:
        raise FlagError("")
    parallel = flags.value("parallel-builds")
    parsed = BuildArguments(
        path=positional[0],
        color=flags.value("color"),
        debug=flags.value("debug"),
        force=flags.value("force"),
        timestamp_ui=flags.value("timestamp-ui"),
        on_error=flags.value("on-error"),
        # Packer treats any count below one as "no limit".
        parallel_builds=parallel if parallel >= 1 else 0,
        warn_undeclared_var=flags.value("warn-on-undeclared-var"),
        skip_enforcement=flags.value("skip-enforcement"),
        only=list(flags.value("only")),
        except_=list(flags.value("except")),
    )
    return parsed, flags


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    try:
        parsed, flags = parse_build_arguments(arguments)
    except FlagError as problem:
        if str(problem):
            output.error(str(problem))
        output.say(HELP.strip("\n"))
        return 1

    from kiln.cli.session import open_template, register_secrets

    config = open_template(
        template_arguments(flags, parsed.path), output, warn_undeclared_var=parsed.warn_undeclared_var
    )
    if config is None:
        return 1
    diagnostics = config.initialize(evaluate_datasources=True)
    register_secrets(config)
    if output.diagnostics(diagnostics, config.sources):
        return 1
    if not getattr(config, "builds", True) and not getattr(config, "build_blocks", True):
        output.diagnostics(
            [
                error(
                    "Missing build block",
                    "A build block with one or more sources is required for executing a build.",
                )
            ]
        )
        return 1
    plans, diagnostics = config.get_builds(only=parsed.only, except_=parsed.except_)
    # As in Packer, builds that cannot be prepared do not stop the others; they make it exit 1.
    # Components are prepared here, as validate does, so that a problem is shown at its option
    # in the template rather than reported by the engine without a place.
    # Legacy JSON templates keep Packer's JSON-mode wording, which the engine prints.
    from kiln.cli.legacy import LegacyConfig
    from kiln.cli.prepare import prepare_plans

    if not isinstance(config, LegacyConfig):
        prepared = []
        for plan in plans:
            problems = prepare_plans([plan])
            diagnostics.extend(problems)
            if not problems.has_errors():
                prepared.append(plan)
        plans = prepared
    status = output.diagnostics(diagnostics, config.sources)
    if not plans:
        if not status:
            output.error("Error: no build to run: the template has no build, or -only/-except left none.")
        return 1

    return max(status, run_plans(plans, parsed, output))


def run_plans(plans: list[Any], parsed: BuildArguments, output: CommandOutput) -> int:
    """Hand the build plans to the engine and return its exit status."""
    import asyncio

    from kiln.core.build import BuildOptions, OnError, make_ui, run_builds

    options = BuildOptions(
        parallel_builds=parsed.parallel_builds,
        debug=parsed.debug,
        force=parsed.force,
        on_error=OnError(parsed.on_error),
        machine_readable=output.machine_readable,
        color=parsed.color,
        timestamp_ui=parsed.timestamp_ui,
    )
    ui = make_ui(options, output.stdout)
    return int(asyncio.run(run_builds(plans, options, ui)))
