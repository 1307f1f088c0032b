"""Packer's boot_command key grammar, and typing it into a QEMU guest through QMP.

Grammar: plain characters are typed as they are; `<wait>` pauses 1s, `<wait5>` 5s and
`<wait1m30s>` a Go duration; `<enter>`, `<f5>`, `<leftCtrl>`... press a special key (names are
case-insensitive), and an `On`/`Off` suffix holds or releases it (`<leftAltOn>`), also for a
single character (`<aOn>`). Anything else in angle brackets is typed literally.

    actions = parse_boot_command("root<enter><wait2>")
    await type_actions(qmp, actions, key_interval=0.1)
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from kiln.sdk.config import Duration

SPECIAL_KEYS = {
    "bs": "backspace",
    "del": "delete",
    "enter": "ret",
    "return": "ret",
    "esc": "esc",
    "tab": "tab",
    "up": "up",
    "down": "down",
    "left": "left",
    "right": "right",
    "spacebar": "spc",
    "insert": "insert",
    "home": "home",
    "end": "end",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "leftalt": "alt",
    "leftctrl": "ctrl",
    "leftshift": "shift",
    "rightalt": "alt_r",
    "rightctrl": "ctrl_r",
    "rightshift": "shift_r",
    "leftsuper": "meta_l",
    "rightsuper": "meta_r",
    "leftcommand": "meta_l",
    "rightcommand": "meta_r",
    "leftoption": "alt",
    "rightoption": "alt_r",
    "menu": "menu",
    **{f"f{number}": f"f{number}" for number in range(1, 13)},
}

# QEMU qcodes of characters on a US keyboard: unshifted, then those typed with shift.
_PLAIN = {
    **{letter: letter for letter in "abcdefghijklmnopqrstuvwxyz"},
    **{digit: digit for digit in "0123456789"},
    " ": "spc", "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right",
    ";": "semicolon", "'": "apostrophe", "`": "grave_accent", "\\": "backslash",
    ",": "comma", ".": "dot", "/": "slash", "\n": "ret", "\t": "tab",
}  # fmt: skip
_SHIFTED = {
    **{letter.upper(): letter for letter in "abcdefghijklmnopqrstuvwxyz"},
    "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9", ")": "0",
    "_": "minus", "+": "equal", "{": "bracket_left", "}": "bracket_right", ":": "semicolon",
    '"': "apostrophe", "~": "grave_accent", "|": "backslash", "<": "comma", ">": "dot", "?": "slash",
}  # fmt: skip

_TAG = re.compile(r"<([^<>]+)>")
_WAIT = re.compile(r"(?i)wait(.*)")


class BootCommandError(ValueError):
    """A boot_command that cannot be typed: an invalid wait or a character without a key."""


@dataclass(frozen=True, slots=True)
class Press:
    """Press and release `qcodes` together (a key, with shift when needed)."""

    qcodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hold:
    """Hold a key down (`down=True`) or release it."""

    qcode: str
    down: bool


@dataclass(frozen=True, slots=True)
class Wait:
    seconds: float


Action = Press | Hold | Wait


def _character(char: str) -> tuple[str, ...]:
    if char in _PLAIN:
        return (_PLAIN[char],)
    if char in _SHIFTED:
        return ("shift", _SHIFTED[char])
    raise BootCommandError(f"no key types the character {char!r}")


def _parse_tag(body: str) -> list[Action] | None:
    wait = _WAIT.fullmatch(body)
    if wait:
        text = wait.group(1)
        if not text:
            return [Wait(1.0)]
        seconds = float(text) if text.isdigit() else _duration(text, body)
        if seconds <= 0:
            raise BootCommandError(f"<{body}>: a wait must be longer than zero")
        return [Wait(seconds)]
    lowered = body.lower()
    for suffix, down in (("on", True), ("off", False)):
        if lowered.endswith(suffix) and len(body) > len(suffix):
            name = body[: -len(suffix)]
            if name.lower() in SPECIAL_KEYS:
                return [Hold(SPECIAL_KEYS[name.lower()], down)]
            if len(name) == 1:
                return [Hold(qcode, down) for qcode in _character(name)]
    if lowered in SPECIAL_KEYS:
        return [Press((SPECIAL_KEYS[lowered],))]
    return None


def _duration(text: str, body: str) -> float:
    try:
        return float(Duration.parse(text))
    except ValueError:
        raise BootCommandError(f"<{body}>: invalid duration {text!r}") from None


def parse_boot_command(text: str) -> list[Action]:
    """Parse the concatenated boot_command into key and wait actions."""
    actions: list[Action] = []
    position = 0
    while position < len(text):
        match = _TAG.match(text, position)
        if match:
            parsed = _parse_tag(match.group(1))
            if parsed is not None:
                actions.extend(parsed)
                position = match.end()
                continue
        actions.append(Press(_character(text[position])))
        position += 1
    return actions


def _key_event(qcode: str, down: bool) -> dict[str, Any]:
    return {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}


async def type_actions(qmp: Any, actions: list[Action], key_interval: float) -> None:
    """Send `actions` to the guest's keyboard through a connected qemu.qmp client."""
    for action in actions:
        if isinstance(action, Wait):
            await asyncio.sleep(action.seconds)
            continue
        if isinstance(action, Hold):
            await qmp.execute("input-send-event", {"events": [_key_event(action.qcode, action.down)]})
        else:
            keys = [{"type": "qcode", "data": qcode} for qcode in action.qcodes]
            await qmp.execute("send-key", {"keys": keys})
        await asyncio.sleep(key_interval)
