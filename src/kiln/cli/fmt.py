"""`kiln fmt`: rewrite HCL2 configuration and variable files in canonical format."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kiln.cli.common import parse_arguments
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput
from kiln.hcl.diagnostics import Diagnostics, SourceFiles, error

HELP = """
Usage: kiln fmt [options] [TEMPLATE]

  Rewrites all Packer configuration files to a canonical format. Both
  configuration files (.pkr.hcl) and variable files (.pkrvars.hcl) are updated.
  JSON files (.json) are not modified.

  If TEMPLATE is "." the current directory will be used. If TEMPLATE is "-"
  the input is read from standard input and the result written to standard
  output. The given content must be in Packer's HCL2 configuration language;
  JSON is not supported.

Options:
  -check        Check if the input is formatted. Exit status will be 0 if all
                 input is properly formatted, 3 if some input needs formatting
                 and 1 on an error.

  -diff         Display diffs of formatting change

  -write=false  Don't write to source files
                (always disabled if using -check)

  -recursive     Also process files in subdirectories. By default, only the
                 given directory (or current directory) is processed.
"""

EXIT_NEEDS_FORMATTING = 3
_HCL_SUFFIXES = (".pkr.hcl", ".pkrvars.hcl")


@dataclass(slots=True)
class Formatter:
    """One `fmt` run: its switches, the files it changed and the problems it found."""

    output: CommandOutput
    write: bool = True
    show_diff: bool = False
    recursive: bool = False
    changed: int = 0  # files that are, or were, not in canonical format
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    sources: SourceFiles = field(default_factory=SourceFiles)

    def format_path(self, path: str) -> None:
        if path != "-" and os.path.isdir(path):
            self.format_directory(path)
        else:
            self.format_file(path)

    def format_directory(self, directory: str) -> None:
        try:
            names = sorted(os.listdir(directory))
        except OSError as problem:
            self.diagnostics.append(error("Cannot read hcl directory", str(problem)))
            return
        for name in names:
            if want_ignore(name):
                continue
            # Go's filepath.Join cleans the result, so Packer prints "a.pkr.hcl" for "fmt .".
            path = os.path.normpath(os.path.join(directory, name))
            if os.path.isdir(path):
                if self.recursive:
                    self.format_directory(path)
                continue
            if path.endswith(_HCL_SUFFIXES):
                self.format_file(path)

    def format_file(self, path: str) -> None:
        if path != "-" and not path.endswith(_HCL_SUFFIXES):
            self._fail(path, f"file {path} is not a HCL file")
            return
        try:
            source = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as problem:
            self._fail(path, f"failed to open {path}: {problem.strerror or problem}")
            return

        formatted = self._format_source(source, path)
        if formatted is None:
            return
        if formatted == source:
            if path == "-":
                self.output.raw(formatted.decode("utf-8", errors="replace"))
            return

        self.changed += 1
        self._publish(path, source, formatted)

    def _format_source(self, source: bytes, path: str) -> bytes | None:
        from kiln.hcl.fmt import format_source

        self.sources.add(path, source)
        formatted, diagnostics = format_source(source, path)
        if diagnostics.has_errors():
            self.diagnostics.extend(diagnostics)
            return None
        return formatted

    def _publish(self, path: str, source: bytes, formatted: bytes) -> None:
        if path != "-":
            self.output.raw(f"{path}\n")
        if self.write and path == "-":
            self.output.raw(formatted.decode("utf-8", errors="replace"))
        elif self.write:
            try:
                Path(path).write_bytes(formatted)
            except OSError as problem:
                self._fail(path, f"failed to write {path}: {problem.strerror or problem}")
        if self.show_diff and path != "-":
            from kiln.hcl.fmt import unified_diff

            self.output.raw(unified_diff(source, formatted, path).decode("utf-8", errors="replace"))

    def _fail(self, path: str, detail: str) -> None:
        self.diagnostics.append(error(f"encountered an error while formatting {path}", detail))


def want_ignore(name: str) -> bool:
    """Return whether a directory entry is a hidden file or an editor's backup or swap file."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet(name)
    flags.bool("check")
    flags.bool("diff")
    flags.bool("write", True)
    flags.bool("recursive")
    paths = parse_arguments(flags, arguments, output, HELP)
    if paths is None:
        return 1
    if len(paths) != 1:
        output.say(HELP.strip("\n"))
        return 1

    check = flags.value("check")
    formatter = Formatter(
        output,
        write=flags.value("write") and not check,
        show_diff=flags.value("diff"),
        recursive=flags.value("recursive"),
    )
    formatter.format_path(paths[0])

    if output.diagnostics(formatter.diagnostics, formatter.sources):
        return 1
    if check and formatter.changed:
        return EXIT_NEEDS_FORMATTING
    return 0
