"""The `kiln` command: Packer's command line, command by command."""

from __future__ import annotations

import sys

from kiln import PACKER_COMPAT_VERSION, __version__


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("--version", "-version", "-v", "version"):
        print(f"kiln {__version__} (compatible with Packer v{PACKER_COMPAT_VERSION})")
        return 0
    print("Usage: kiln [--version] [--help] <command> [<args>]")
    return 0 if not args or args[0] in ("-h", "--help", "-help") else 127
