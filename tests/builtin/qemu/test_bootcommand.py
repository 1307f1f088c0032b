"""boot_command parsing: Packer's key grammar to QMP key actions."""

from __future__ import annotations

import pytest

from kiln.builtin.builders.qemu.bootcommand import BootCommandError, Hold, Press, Wait, parse_boot_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ab", [Press(("a",)), Press(("b",))]),
        ("A", [Press(("shift", "a"))]),
        ("a=1 -", [Press(("a",)), Press(("equal",)), Press(("1",)), Press(("spc",)), Press(("minus",))]),
        ("<enter>", [Press(("ret",))]),
        ("<ENTER><Return>", [Press(("ret",)), Press(("ret",))]),
        ("<f12><pageUp><spacebar>", [Press(("f12",)), Press(("pgup",)), Press(("spc",))]),
        ("<wait>", [Wait(1.0)]),
        ("<wait5>", [Wait(5.0)]),
        ("<wait1m30s>", [Wait(90.0)]),
        ("<wait250ms>", [Wait(0.25)]),
        ("<leftCtrlOn>c<leftCtrlOff>", [Hold("ctrl", True), Press(("c",)), Hold("ctrl", False)]),
        ("<aOn><aOff>", [Hold("a", True), Hold("a", False)]),
        ("<foo>", [Press(("shift", "comma")), *[Press((c,)) for c in "foo"], Press(("shift", "dot"))]),
        ("x:~", [Press(("x",)), Press(("shift", "semicolon")), Press(("shift", "grave_accent"))]),
    ],
    ids=[
        "letters", "upper", "symbols", "enter", "case-insensitive", "special", "wait", "wait-seconds",
        "wait-duration", "wait-ms", "hold", "hold-char", "unknown-tag-literal", "shifted-symbols",
    ],
)  # fmt: skip
def test_parse(text, expected):
    assert parse_boot_command(text) == expected


@pytest.mark.parametrize("text", ["<wait0>", "<waitx>", "é"], ids=["zero-wait", "bad-duration", "no-key"])
def test_parse_rejects(text):
    with pytest.raises(BootCommandError):
        parse_boot_command(text)
