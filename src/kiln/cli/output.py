"""Terminal output of the commands: human text or Packer's machine-readable lines.

In machine-readable mode every message becomes one line `timestamp,target,type,data...`
on standard output, with commas in the data written as `%!(PACKER_COMMA)` and newlines as
`\\n`, so a line can be split at commas:

    1796417542,,version,1.16.0
    1796417542,,ui,say,The configuration is valid.
"""

from __future__ import annotations

import sys
import time

# Every command imports this module, and `typing` alone costs a few milliseconds of
# start-up, so the names used only in annotations are imported for type checkers only.
# Type checkers treat any name TYPE_CHECKING as `typing.TYPE_CHECKING`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from kiln.hcl.diagnostics import Diagnostic, SourceFiles


def escape_machine_field(text: str) -> str:
    """Escape one data field of a machine-readable line as Packer does."""
    return text.replace(",", "%!(PACKER_COMMA)").replace("\r", "\\r").replace("\n", "\\n")


def format_machine_line(target: str, kind: str, *data: str, timestamp: int | None = None) -> str:
    """Return one machine-readable line, newline included."""
    when = int(time.time()) if timestamp is None else timestamp
    fields = [str(when), target, kind, *(escape_machine_field(item) for item in data)]
    return ",".join(fields) + "\n"


class CommandOutput:
    """The destination of a command's messages: `say` to standard output, `error` to standard error.

    With `machine_readable` set both become `ui,say` / `ui,error` lines on standard output.
    `stdout` and `stderr` default to the process's streams at construction time.
    """

    __slots__ = ("machine_readable", "stderr", "stdout")

    def __init__(
        self, machine_readable: bool = False, stdout: TextIO | None = None, stderr: TextIO | None = None
    ) -> None:
        self.machine_readable = machine_readable
        self.stdout = sys.stdout if stdout is None else stdout
        self.stderr = sys.stderr if stderr is None else stderr

    def say(self, text: str) -> None:
        if self.machine_readable:
            self.machine("", "ui", "say", text)
            return
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def error(self, text: str) -> None:
        if self.machine_readable:
            self.machine("", "ui", "error", text)
            return
        self.stderr.write(text + "\n")
        self.stderr.flush()

    def machine(self, target: str, kind: str, *data: str) -> None:
        """Write a machine-readable line; only in machine-readable mode, as Packer's Ui does."""
        if not self.machine_readable:
            return
        self.stdout.write(format_machine_line(target, kind, *data))
        self.stdout.flush()

    def raw(self, text: str) -> None:
        """Write text to standard output exactly as given, as `fmt -` prints a formatted file."""
        self.stdout.write(text)
        self.stdout.flush()

    def diagnostics(self, diagnostics: Sequence[Diagnostic], sources: SourceFiles | None = None) -> int:
        """Write diagnostics and return the exit status they imply: 1 if any is an error, else 0.

        As Packer does, every diagnostic goes to standard error when any of them is an error,
        and to standard output when they are all warnings.
        """
        if not diagnostics:
            return 0
        from kiln.core.secrets import SECRETS
        from kiln.hcl.diagnostics import Diagnostic, render_diagnostic
        from kiln.lang.eval import expression_value_lines

        has_errors = any(diagnostic.is_error for diagnostic in diagnostics)
        write = self.error if has_errors else self.say
        for diagnostic in diagnostics:
            # The HCL text writer ends a diagnostic with a blank line and the Ui adds a newline.
            value_lines = expression_value_lines(diagnostic)
            # Secrets are masked before the detail is wrapped, which could split one across lines,
            # and again after, for source lines and values quoted from the template.
            masked = Diagnostic(
                diagnostic.severity,
                SECRETS.mask(diagnostic.summary),
                SECRETS.mask(diagnostic.detail),
                diagnostic.subject,
                diagnostic.context,
                diagnostic.extra,
            )
            text = render_diagnostic(masked, sources, width=80, value_lines=value_lines)
            write(SECRETS.mask(text) + "\n")
        return 1 if has_errors else 0
