"""Command-line flags parsed as Go's `flag` package parses them, which Packer uses.

A flag is written `-name` or `--name`. A value follows as `-name=value` or as the next
argument, except for boolean flags, which take a value only as `-name=false`. Parsing stops
at the first argument that is not a flag, at a lone `-`, or after `--`.

    flags = FlagSet("validate")
    syntax_only = flags.bool("syntax-only")
    rest = flags.parse(["-syntax-only", "template.pkr.hcl"])  # ["template.pkr.hcl"]
"""

from __future__ import annotations

# As in kiln.cli.output, annotation-only names stay out of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_TRUE_WORDS = ("1", "t", "T", "TRUE", "true", "True")
_FALSE_WORDS = ("0", "f", "F", "FALSE", "false", "False")


class FlagError(Exception):
    """An argument list that does not parse; the message reads as Go's flag package words it."""


def parse_go_bool(text: str) -> bool:
    """Parse a boolean as Go's strconv.ParseBool does; raise ValueError for other words."""
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    raise ValueError("parse error")


def parse_go_int(text: str) -> int:
    """Parse a base-10 64-bit integer as Go's strconv.ParseInt does."""
    body = text[1:] if text[:1] in "+-" else text
    if not body.isascii() or not body.isdigit():
        raise ValueError("parse error")
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise ValueError("value out of range")
    return number


class Flag:
    """One defined flag: how to store a value given on the command line, and its current value.

    `apply(current value, text)` returns the new value and raises ValueError on bad text.
    """

    __slots__ = ("apply", "is_bool", "name", "value")

    def __init__(
        self, name: str, value: Any, apply: Callable[[Any, str], Any], is_bool: bool = False
    ) -> None:
        self.name = name
        self.value = value
        self.apply = apply
        self.is_bool = is_bool

    def __repr__(self) -> str:
        return f"Flag({self.name!r}, {self.value!r}, is_bool={self.is_bool!r})"


class FlagSet:
    """The flags one command accepts, with their values after `parse`."""

    __slots__ = ("command", "flags")

    def __init__(self, command: str, flags: dict[str, Flag] | None = None) -> None:
        self.command = command
        self.flags: dict[str, Flag] = {} if flags is None else flags

    def define(
        self, name: str, default: Any, apply: Callable[[Any, str], Any], *, is_bool: bool = False
    ) -> None:
        self.flags[name] = Flag(name, default, apply, is_bool)

    def bool(self, name: str, default: bool = False) -> None:
        self.define(name, default, lambda _current, text: parse_go_bool(text), is_bool=True)

    def string(self, name: str, default: str = "") -> None:
        self.define(name, default, lambda _current, text: text)

    def int(self, name: str, default: int = 0) -> None:
        self.define(name, default, lambda _current, text: parse_go_int(text))

    def comma_list(self, name: str) -> None:
        """Define a repeatable flag whose values are split at commas, as `-only=a,b -only=c`."""
        self.define(name, [], lambda current, text: [*current, *text.split(",")])

    def repeated(self, name: str) -> None:
        """Define a repeatable flag that keeps each value whole, as `-var-file`."""
        self.define(name, [], lambda current, text: [*current, text])

    def key_values(self, name: str) -> None:
        """Define a repeatable `-name key=value` flag; values keep their order, as `-var` does."""
        self.define(name, [], _append_key_value)

    def value(self, name: str) -> Any:
        return self.flags[name].value

    def parse(self, arguments: list[str]) -> list[str]:
        """Set flags from the front of `arguments`; return the remaining positional arguments."""
        position = 0
        while position < len(arguments):
            argument = arguments[position]
            if len(argument) < 2 or argument[0] != "-":
                break
            if argument == "--":
                position += 1
                break
            position = self._parse_one(arguments, position)
        return arguments[position:]

    def _parse_one(self, arguments: list[str], position: int) -> int:
        argument = arguments[position]
        name = argument[2:] if argument.startswith("--") else argument[1:]
        if not name or name[0] in "-=":
            raise FlagError(f"bad flag syntax: {argument}")

        name, has_value, text = name.partition("=")
        flag = self.flags.get(name)
        if flag is None:
            raise FlagError(f"flag provided but not defined: -{name}")

        position += 1
        if flag.is_bool and not has_value:
            text = "true"
        elif not has_value:
            if position >= len(arguments):
                raise FlagError(f"flag needs an argument: -{name}")
            text = arguments[position]
            position += 1

        try:
            flag.value = flag.apply(flag.value, text)
        except ValueError as problem:
            kind = "boolean value" if flag.is_bool else "value"
            suffix = "" if flag.is_bool else " flag"
            raise FlagError(f'invalid {kind} "{text}" for{suffix} -{name}: {problem}') from None
        return position


def _append_key_value(current: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    key, has_equals, value = text.partition("=")
    if not has_equals:
        raise ValueError(f"No '=' value in arg: {text}")
    return [*current, (key, value)]
