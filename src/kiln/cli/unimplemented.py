"""Commands that kiln lists but does not offer yet; they exit 1 with a message saying so."""

from __future__ import annotations

from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln <command> [options] [args]

  This command is not implemented in kiln yet.
"""


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    # A command table entry may point here until its module exists; none does at present.
    output.error(f'Error: the "{name}" command is not implemented in kiln yet.')
    return 1
