"""`kiln version`: print kiln's version and the Packer release it follows."""

from __future__ import annotations

from kiln import __version__
from kiln.cli.common import parse_arguments
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln version

  Prints the kiln version and the Packer version whose templates and commands it follows.
"""


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    from kiln.cli.main import version_line

    if parse_arguments(FlagSet(name), arguments, output, HELP) is None:
        return 1

    output.machine("", "version", __version__)
    # "prelease" is Packer's spelling of this machine-readable type, kept for parsers of it.
    output.machine("", "version-prelease", "")
    output.machine("", "version-commit", "")
    output.say(version_line())
    return 0
