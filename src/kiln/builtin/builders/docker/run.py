"""Read the builder's `run_command` (`docker run` arguments) into container creation options.

Packer passes `run_command` to the docker CLI. kiln creates the container through the engine
API, so it reads the arguments itself. It understands the `docker run` flags listed in
`_VALUE_FLAGS` and `_SWITCHES`, and the configuration check reports any other flag.

    options = parse_run_command(["-d", "-i", "-t", "--entrypoint=/bin/sh", "--", "{{.Image}}"], image="alpine")
    options.entrypoint  # ['/bin/sh']
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

from kiln.sdk.interpolate.packer import Context, render


class RunCommandError(ValueError):
    """`run_command` contains a flag kiln does not understand, or names no image."""


@dataclass
class RunOptions:
    """Container settings read from `docker run` arguments, in the engine API's terms."""

    image: str = ""
    command: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # the arguments with `{{.Image}}` rendered
    entrypoint: list[str] | None = None
    environment: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    user: str = ""
    working_dir: str = ""
    name: str = ""
    hostname: str = ""
    network_mode: str = ""
    cap_add: list[str] = field(default_factory=list)
    cap_drop: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    tmpfs: list[str] = field(default_factory=list)
    platform: str = ""
    runtime: str = ""
    interactive: bool = False
    tty: bool = False
    privileged: bool = False

    def create_arguments(self) -> dict[str, Any]:
        """Return keyword arguments for the SDK's `containers.create`."""
        arguments: dict[str, Any] = {
            "image": self.image,
            "command": self.command or None,
            "entrypoint": self.entrypoint,
            "environment": self.environment or None,
            "volumes": self.volumes or None,
            "labels": self.labels or None,
            "user": self.user or None,
            "working_dir": self.working_dir or None,
            "name": self.name or None,
            "hostname": self.hostname or None,
            "network_mode": self.network_mode or None,
            "cap_add": self.cap_add or None,
            "cap_drop": self.cap_drop or None,
            "devices": self.devices or None,
            "tmpfs": dict(_split_tmpfs(entry) for entry in self.tmpfs) or None,
            "platform": self.platform or None,
            "runtime": self.runtime or None,
            "stdin_open": self.interactive,
            "tty": self.tty,
            "privileged": self.privileged,
            "detach": True,
        }
        return {key: value for key, value in arguments.items() if value is not None}


def _set_entrypoint(options: RunOptions, value: str) -> None:
    options.entrypoint = shlex.split(value) if value else [""]


def _add_label(options: RunOptions, value: str) -> None:
    key, _, label = value.partition("=")
    options.labels[key] = label


_VALUE_FLAGS = {
    "--entrypoint": _set_entrypoint,
    "--env": lambda options, value: options.environment.append(value),
    "--volume": lambda options, value: options.volumes.append(value),
    "--label": _add_label,
    "--user": lambda options, value: setattr(options, "user", value),
    "--workdir": lambda options, value: setattr(options, "working_dir", value),
    "--name": lambda options, value: setattr(options, "name", value),
    "--hostname": lambda options, value: setattr(options, "hostname", value),
    "--network": lambda options, value: setattr(options, "network_mode", value),
    "--cap-add": lambda options, value: options.cap_add.append(value),
    "--cap-drop": lambda options, value: options.cap_drop.append(value),
    "--device": lambda options, value: options.devices.append(value),
    "--tmpfs": lambda options, value: options.tmpfs.append(value),
    "--platform": lambda options, value: setattr(options, "platform", value),
    "--runtime": lambda options, value: setattr(options, "runtime", value),
}
_SWITCHES = {
    "--detach": lambda options: None,  # the builder always starts the container in the background
    "--rm": lambda options: None,  # the builder removes the container itself
    "--interactive": lambda options: setattr(options, "interactive", True),
    "--tty": lambda options: setattr(options, "tty", True),
    "--privileged": lambda options: setattr(options, "privileged", True),
}
_SHORT = {
    "-d": "--detach",
    "-i": "--interactive",
    "-t": "--tty",
    "-e": "--env",
    "-v": "--volume",
    "-l": "--label",
    "-u": "--user",
    "-w": "--workdir",
    "-h": "--hostname",
    "--net": "--network",
}


def parse_run_command(arguments: list[str], *, image: str) -> RunOptions:
    """Render `{{.Image}}` in `arguments` and read them as `docker run` does.

    Raise RunCommandError for an unknown flag, a flag missing its value, or no image.
    """
    rendered = [render(argument, Context(data={"Image": image})) for argument in arguments]
    options = RunOptions(rendered=rendered)
    remaining = list(rendered)
    while remaining:
        argument = remaining.pop(0)
        if _is_short_group(argument):
            # `-dit` is three switches, as the docker CLI reads it.
            remaining[:0] = [f"-{letter}" for letter in argument[1:]]
            continue
        if argument == "--" or not argument.startswith("-"):
            positional = remaining if argument == "--" else [argument, *remaining]
            if not positional:
                break
            options.image, options.command = positional[0], positional[1:]
            return options
        name, has_value, value = argument.partition("=")
        name = _SHORT.get(name, name)
        if name in _SWITCHES and not has_value:
            _SWITCHES[name](options)
        elif name in _VALUE_FLAGS:
            if not has_value:
                if not remaining:
                    raise RunCommandError(f"run_command flag {argument} needs a value")
                value = remaining.pop(0)
            _VALUE_FLAGS[name](options, value)
        else:
            raise RunCommandError(f"run_command flag {argument} is not supported by kiln's docker builder")
    raise RunCommandError("run_command names no image; add {{.Image}} after the flags")


def _is_short_group(argument: str) -> bool:
    return len(argument) > 2 and argument[0] == "-" and argument[1] != "-" and set(argument[1:]) <= set("dit")


def _split_tmpfs(entry: str) -> tuple[str, str]:
    path, _, mount_options = entry.partition(":")
    return path, mount_options
