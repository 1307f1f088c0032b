"""The `kiln` command: Packer's command line, command by command.

Commands are listed by module name and imported only when they run, so `kiln --help`
imports nothing but this module and the standard library. Every command module offers
`HELP` (its usage text) and `run(arguments, output) -> int`. This module avoids `logging`,
`dataclasses` and `typing` at import time because every command pays for what it imports
before it starts: `kiln validate -syntax-only` competes with a Go binary's start-up.

Exit statuses follow Packer: 0 success, 1 an error (including a bad flag), 3 from
`fmt -check` when a file needs formatting, 127 when no or an unknown command is given.
"""

from __future__ import annotations

import gc
import os
import sys

from kiln import PACKER_COMPAT_VERSION, __version__

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_UNKNOWN_COMMAND = 127


class CommandEntry:
    """A command: the module under kiln.cli that implements it, and its one-line synopsis."""

    __slots__ = ("hidden", "module", "synopsis")

    def __init__(self, module: str, synopsis: str, hidden: bool = False) -> None:
        self.module = module
        self.synopsis = synopsis
        self.hidden = hidden

    def __repr__(self) -> str:
        return f"CommandEntry({self.module!r}, {self.synopsis!r}, hidden={self.hidden!r})"


COMMANDS: dict[str, CommandEntry] = {
    "build": CommandEntry("build", "build image(s) from template"),
    "console": CommandEntry("console", "creates a console for testing variable interpolation"),
    "fix": CommandEntry("fix", "fixes templates from old versions of packer"),
    "fmt": CommandEntry("fmt", "Rewrites HCL2 config files to canonical format"),
    "hcl2_upgrade": CommandEntry("hcl2_upgrade", "transform a JSON template into an HCL2 configuration"),
    "init": CommandEntry("init", "Install missing plugins or upgrade plugins"),
    "inspect": CommandEntry("inspect", "see components of a template"),
    "plugins": CommandEntry("plugins", "Interact with Packer plugins and catalog"),
    "plugin": CommandEntry("plugins", "Interact with Packer plugins and catalog", hidden=True),
    "validate": CommandEntry("validate", "check that a template is valid"),
    "version": CommandEntry("version", "Prints the Packer version"),
}

_HELP_FLAGS = ("-h", "-help", "--help")
_VERSION_FLAGS = ("-v", "-version", "--version")
_MACHINE_READABLE_FLAGS = ("-machine-readable", "--machine-readable")


def version_line() -> str:
    return f"kiln v{__version__} (compatible with Packer v{PACKER_COMPAT_VERSION})"


def global_help() -> str:
    visible = {name: entry for name, entry in COMMANDS.items() if not entry.hidden}
    width = max(len(name) for name in visible)
    lines = ["Usage: kiln [--version] [--help] <command> [<args>]", "", "Available commands are:"]
    for name in sorted(visible):
        lines.append(f"    {name.ljust(width)}    {visible[name].synopsis}")
    return "\n".join(lines) + "\n"


class Invocation:
    """The command line split as mitchellh/cli (Packer's framework) splits it."""

    __slots__ = ("arguments", "command", "machine_readable", "wants_help", "wants_version")

    def __init__(
        self,
        command: str = "",
        arguments: tuple[str, ...] = (),
        wants_help: bool = False,
        wants_version: bool = False,
        machine_readable: bool = False,
    ) -> None:
        self.command = command
        self.arguments = arguments
        self.wants_help = wants_help
        self.wants_version = wants_version
        self.machine_readable = machine_readable

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Invocation({fields})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Invocation):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)


def split_invocation(argv: list[str]) -> Invocation:
    """Find the command, its arguments and the help, version and machine-readable switches.

    `-machine-readable` counts wherever it appears and is removed. A help flag counts
    anywhere before `--`, even among the command's own arguments; version flags count
    only before the command.
    """
    invocation = Invocation(machine_readable=any(arg in _MACHINE_READABLE_FLAGS for arg in argv))
    arguments = [arg for arg in argv if arg not in _MACHINE_READABLE_FLAGS]
    for position, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument in _HELP_FLAGS:
            invocation.wants_help = True
            continue
        if invocation.command:
            continue
        if argument in _VERSION_FLAGS:
            invocation.wants_version = True
        elif argument and not argument.startswith("-"):
            invocation.command = argument
            invocation.arguments = tuple(arguments[position + 1 :])
    return invocation


def want_debug() -> bool:
    """Return whether tracebacks and debug logs should be shown (KILN_DEBUG or PACKER_LOG)."""
    packer_log = os.environ.get("PACKER_LOG", "")
    return os.environ.get("KILN_DEBUG", "") not in ("", "0") or packer_log not in ("", "0")


def install_logging() -> None:
    """Send debug logs to PACKER_LOG_PATH, or to standard error when PACKER_LOG or KILN_LOG is set."""
    log_path = os.environ.get("PACKER_LOG_PATH", "")
    if not log_path and not want_debug() and os.environ.get("KILN_LOG", "") in ("", "0"):
        return
    import logging

    if log_path:
        handler: logging.Handler = logging.FileHandler(log_path)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(levelname)s] %(name)s: %(message)s"))
    from kiln.core.logs import install_log_filters

    install_log_filters(handler, to_terminal=not log_path)
    root = logging.getLogger("kiln")
    # main() may run several times in one process (tests); keep a single handler.
    for old_handler in [h for h in root.handlers if getattr(h, "kiln_cli", False)]:
        root.removeHandler(old_handler)
    handler.kiln_cli = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)


# The number of allocations between young-generation garbage collections while a command
# runs, in place of CPython's default of 700. Loading a template imports about a hundred
# modules and builds several objects per token. At 700 the collector repeatedly walked all
# of them, which took about 5% of `kiln validate -syntax-only` on a 1,000-line template
# (instruction counts from valgrind, CPython 3.11). Unreachable cycles still get freed, in
# batches of up to this many objects.
_GC_YOUNG_THRESHOLD = 50_000


# The Python recursion limit while a command runs, in place of CPython's default of 1,000.
# The evaluator recurses two to four frames per level of an expression, and templates may
# nest expressions thousands of levels deep (the parser accepts 5,000). CPython 3.11 calls
# Python functions from Python code without growing the C stack, so the limit is safe there.
# NOTE: code that recurses through C (repr, ==, json) was checked to 20,000 levels of nested
# lists on an 8 MiB main-thread stack; deeper C recursion may crash rather than raise.
_RECURSION_LIMIT = 25_000


def run() -> None:
    """Run the command line and exit the process with its status: the `kiln` script."""
    status = main()
    # The collection at interpreter exit walks every object still alive, and the process's
    # end frees them anyway. Freezing skips that walk: about 5 ms after a syntax check, measured.
    gc.freeze()
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    thresholds = gc.get_threshold()
    recursion_limit = sys.getrecursionlimit()
    gc.set_threshold(_GC_YOUNG_THRESHOLD, *thresholds[1:])
    sys.setrecursionlimit(max(recursion_limit, _RECURSION_LIMIT))
    try:
        return _main(argv)
    finally:
        # Callers in the same process, such as tests, keep their own settings.
        gc.set_threshold(*thresholds)
        sys.setrecursionlimit(recursion_limit)


def _main(argv: list[str] | None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    invocation = split_invocation(arguments)
    if invocation.machine_readable:
        os.environ["PACKER_NO_COLOR"] = "1"

    if invocation.wants_version and not invocation.command:
        return _run_command("version", [], invocation)
    if not invocation.command:
        sys.stdout.write(global_help())
        return EXIT_OK if invocation.wants_help else EXIT_UNKNOWN_COMMAND
    if invocation.command not in COMMANDS:
        sys.stdout.write(global_help())
        return EXIT_UNKNOWN_COMMAND
    if invocation.wants_help:
        module = _command_module(invocation.command)
        sys.stdout.write(module.HELP.strip("\n") + "\n")
        return EXIT_OK

    return _run_command(invocation.command, list(invocation.arguments), invocation)


def _command_module(name: str):  # type: ignore[no-untyped-def]
    module_name = f"kiln.cli.{COMMANDS[name].module}"
    __import__(module_name)
    return sys.modules[module_name]


def _run_command(name: str, arguments: list[str], invocation: Invocation) -> int:
    from kiln.cli.output import CommandOutput

    install_logging()
    output = CommandOutput(machine_readable=invocation.machine_readable)
    try:
        module = _command_module(name)
        return module.run(name, arguments, output)
    except BrokenPipeError:
        # The reader of our output went away (as `kiln inspect | head` does); stay quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        output.error("Cleanly cancelled builds after being interrupted.")
        return EXIT_ERROR
    except Exception as problem:
        if want_debug():
            raise
        output.error(
            f"Error: kiln {name} failed unexpectedly: {type(problem).__name__}: {problem}\n"
            "Set KILN_DEBUG=1 to see the traceback, and report it as a kiln bug."
        )
        return EXIT_ERROR
