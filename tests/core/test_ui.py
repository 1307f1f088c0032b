"""Ui renderers: Packer's line forms, machine-readable escaping, colours and secret masking."""

from __future__ import annotations

import io
import re

import pytest

from kiln.core.durations import format_elapsed
from kiln.core.secrets import SECRETS
from kiln.core.ui import HumanRenderer, MachineRenderer, escape_machine_arg, prefix_lines
from kiln.sdk.ui import Ui


@pytest.fixture(autouse=True)
def no_secrets():
    SECRETS.clear()
    yield
    SECRETS.clear()


def test_prefix_each_line_and_trim():
    assert prefix_lines("a\nb", "null.x", arrow=True) == "==> null.x: a\n==> null.x: b"
    # As in Packer, a trailing newline leaves a prefix-only line, trimmed of its space.
    assert prefix_lines("a\n", "null.x", arrow=True) == "==> null.x: a\n==> null.x:"


def test_detail_lines_are_indented():
    assert prefix_lines("out", "null.x", arrow=False) == "    null.x: out"


def test_human_say_error_and_untargeted():
    stream = io.StringIO()
    renderer = HumanRenderer(stream)
    Ui(renderer, "null.x").say("Running")
    Ui(renderer, "null.x").error("Broke")
    Ui(renderer, "null.x", "").say("Build 'null.x' finished after 1 second.")
    Ui(renderer).say("\n==> Wait completed after 1 second")
    assert stream.getvalue().splitlines() == [
        "==> null.x: Running",
        "==> null.x: Broke",
        "Build 'null.x' finished after 1 second.",
        "",
        "==> Wait completed after 1 second",
    ]


def test_human_colours_per_build():
    stream = io.StringIO()
    renderer = HumanRenderer(stream, color=True)
    renderer.add_build("a")
    renderer.add_build("b")
    Ui(renderer, "a").say("one")
    Ui(renderer, "b").say("two")
    Ui(renderer, "b").message("detail")
    Ui(renderer, "a").error("bad")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "\033[1;32m==> a: one\033[0m"
    assert lines[1] == "\033[1;36m==> b: two\033[0m"
    assert lines[2] == "\033[0;36m    b: detail\033[0m"
    assert lines[3] == "\033[1;31m==> a: bad\033[0m"


def test_timestamp_prefix_outside_arrow():
    stream = io.StringIO()
    Ui(HumanRenderer(stream, timestamp=True), "a").say("hi")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d: ==> a: hi\n", stream.getvalue())


def test_machine_ui_lines():
    stream = io.StringIO()
    renderer = MachineRenderer(stream)
    Ui(renderer, "null.x").say("hello, world")
    Ui(renderer, "null.x").message("two\nlines")
    Ui(renderer).for_target("null.x").machine("artifact", "0", "builder-id", "fnoeding.null")
    lines = [line.split(",", 1)[1] for line in stream.getvalue().splitlines()]
    assert lines == [
        ",ui,say,==> null.x: hello%!(PACKER_COMMA) world",
        ",ui,message,    null.x: two\\n    null.x: lines",
        "null.x,artifact,0,builder-id,fnoeding.null",
    ]


def test_machine_escaping():
    assert escape_machine_arg("a,b\r\nc") == "a%!(PACKER_COMMA)b\\r\\nc"


def test_secret_masked_in_both_renderers():
    SECRETS.add("hunter2")
    human, machine = io.StringIO(), io.StringIO()
    Ui(HumanRenderer(human), "a").say("password is hunter2")
    Ui(MachineRenderer(machine), "a").machine("secret", "hunter2")
    assert human.getvalue() == "==> a: password is <sensitive>\n"
    assert machine.getvalue().endswith(",a,secret,<sensitive>\n")


def test_multiline_secret_masked_line_by_line():
    SECRETS.add("line-one-secret\nline-two-secret\nline-three-secret")
    stream = io.StringIO()
    ui = Ui(HumanRenderer(stream), "a")
    ui.say("line-one-secret\nline-two-secret\nline-three-secret")
    ui.say("only line-two-secret here")
    output = stream.getvalue()
    assert "secret" not in output.replace("<sensitive>", "")
    assert output.splitlines() == [
        "==> a: <sensitive>",
        "==> a: <sensitive>",
        "==> a: <sensitive>",
        "==> a: only <sensitive> here",
    ]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.017950, "17 milliseconds 950 microseconds"),
        (1.0, "1 second"),
        (61.5, "1 minute 1 second"),
        (3600 * 2 + 5, "2 hours 5 seconds"),
        (0, "0 microseconds"),
    ],
)
def test_elapsed_format(seconds, expected):
    assert format_elapsed(seconds) == expected


def test_log_records_masked_and_ui_echo_dropped():
    import logging

    from kiln.core.logs import install_log_filters

    SECRETS.add("s3cr3t")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    install_log_filters(handler, to_terminal=True)
    logger = logging.getLogger("kiln.test_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    ui_logger = logging.getLogger("kiln.core.ui")
    ui_logger.addHandler(handler)
    ui_logger.setLevel(logging.DEBUG)
    try:
        logger.info("token %s", "s3cr3t")
        Ui(HumanRenderer(io.StringIO()), "a").say("shown to the user")
    finally:
        logger.removeHandler(handler)
        ui_logger.removeHandler(handler)
    assert stream.getvalue() == "token <sensitive>\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_meter_on_terminal(monkeypatch):
    from kiln.core.ui import TerminalProgress
    from kiln.sdk.ui import ProgressReader

    monkeypatch.setattr(TerminalProgress, "INTERVAL", 0.0)
    stream = _Terminal()
    ui = Ui(HumanRenderer(stream), "null.x")
    with ui.progress("Uploading disk.img", 4096) as progress:
        reader = ProgressReader(io.BytesIO(b"x" * 4096), progress)
        assert reader.read(1024) == b"x" * 1024
        reader.read()
    assert stream.getvalue().split("\r")[1:] == [
        "    null.x: Uploading disk.img 1.0 KiB / 4.0 KiB (25%)",
        "    null.x: Uploading disk.img 4.0 KiB / 4.0 KiB (100%)",
        "    null.x: Uploading disk.img 4.0 KiB / 4.0 KiB (100%)\n",
    ]


def test_no_progress_meter_off_terminal():
    stream = io.StringIO()
    with Ui(HumanRenderer(stream), "null.x").progress("Uploading", 10) as progress:
        progress.advance(10)
    assert stream.getvalue() == ""
