"""The two renderers of the Ui event stream: Packer's human output and its machine-readable lines.

Human output follows Packer's layered Ui: each build's lines are prefixed `==> NAME: ` (detail
lines `    NAME: `), optionally time-stamped, and coloured per build on a terminal. Errors
go to the same stream as everything else, as in Packer. Machine-readable output writes
`UNIX_TIME,TARGET,TYPE,ARGS...` with commas and line breaks escaped.

    renderer = HumanRenderer(sys.stdout, color=sys.stdout.isatty())
    ui = Ui(renderer, "null.example")
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from datetime import datetime
from typing import TextIO

from kiln.core.secrets import SECRETS
from kiln.sdk.ui import EventKind, Progress, UiEvent, UiInputUnavailable

logger = logging.getLogger(__name__)

# Packer's per-build colour cycle: green, cyan, magenta, yellow, blue; errors are red.
BUILD_COLORS = (32, 36, 35, 33, 34)
ERROR_COLOR = 31


def prefix_lines(text: str, target: str, arrow: bool) -> str:
    """Prefix every line of `text` with `==> TARGET: ` (or four spaces for detail lines)."""
    if not target:
        return text
    marker = "==>" if arrow else "   "
    lines = [f"{marker} {target}: {line}" for line in text.split("\n")]
    return "\n".join(lines).rstrip()


def escape_machine_arg(value: str) -> str:
    """Escape one machine-readable argument as Packer does, after masking secrets."""
    value = SECRETS.mask(value)
    return value.replace(",", "%!(PACKER_COMMA)").replace("\r", "\\r").replace("\n", "\\n")


def format_machine_line(timestamp: int, target: str, type: str, args: tuple[str, ...]) -> str:
    return f"{timestamp},{target},{type},{','.join(escape_machine_arg(arg) for arg in args)}\n"


def format_human_text(event: UiEvent) -> str:
    """Return the event's text with Packer's target prefix, before colour and timestamps."""
    return prefix_lines(event.text, event.prefix, arrow=event.kind != EventKind.MESSAGE)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Renderer:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._lock = threading.Lock()

    def _write(self, text: str) -> None:
        with self._lock:
            try:
                self.stream.write(text)
                self.stream.flush()
            except BrokenPipeError:
                logger.debug("output stream closed; dropping UI output")

    def start_progress(self, build: str, description: str, total: int | None) -> Progress:
        return Progress()

    def add_secret(self, value: str) -> None:
        SECRETS.add(value)


class TerminalProgress(Progress):
    """A one-line transfer meter redrawn in place, at most five times a second."""

    INTERVAL = 0.2

    def __init__(self, renderer: HumanRenderer, label: str, total: int | None) -> None:
        self.renderer = renderer
        self.label = label
        self.total = total
        self.done = 0
        self.drawn_at = 0.0

    def advance(self, amount: int) -> None:
        self.done += amount
        now = time.monotonic()
        if now - self.drawn_at >= self.INTERVAL:
            self.drawn_at = now
            self.renderer._write(f"\r{self._line()}")

    def close(self) -> None:
        self.renderer._write(f"\r{self._line()}\n")

    def _line(self) -> str:
        done = format_size(self.done)
        if not self.total:
            return f"{self.label} {done}"
        return f"{self.label} {done} / {format_size(self.total)} ({100 * self.done // self.total}%)"


def format_size(count: int) -> str:
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


class HumanRenderer(_Renderer):
    """Packer's terminal output; `color` and `timestamp` mirror `-color` and `-timestamp-ui`."""

    def __init__(
        self,
        stream: TextIO,
        *,
        color: bool = False,
        timestamp: bool = False,
        input_stream: TextIO | None = None,
    ) -> None:
        super().__init__(stream)
        self.color = color
        self.timestamp = timestamp
        self.input_stream = input_stream
        self._build_colors: dict[str, int] = {}
        self.progress_bars = _isatty(stream)

    def start_progress(self, build: str, description: str, total: int | None) -> Progress:
        if not self.progress_bars:
            return Progress()
        label = prefix_lines(SECRETS.mask(description), build, arrow=False)
        return TerminalProgress(self, label, total)

    def add_build(self, name: str) -> None:
        """Give build `name` the next colour of the cycle."""
        self._build_colors.setdefault(name, BUILD_COLORS[len(self._build_colors) % len(BUILD_COLORS)])

    def emit(self, event: UiEvent) -> None:
        if event.kind == EventKind.MACHINE:
            logger.debug("machine readable: %s %r", event.type, event.args)
            return
        text = SECRETS.mask(format_human_text(event))
        logger.debug("ui%s: %s", " error" if event.kind == EventKind.ERROR else "", text)
        if event.kind == EventKind.ASK:
            self._write(self._decorate(event, text) + " ")
            return
        self._write(self._decorate(event, text) + "\n")

    def _decorate(self, event: UiEvent, text: str) -> str:
        if self.timestamp and event.build:
            text = f"{datetime.now().astimezone().isoformat(timespec='seconds')}: {text}"
        color = self._build_colors.get(event.build)
        if not self.color or color is None:
            return text
        if event.kind == EventKind.ERROR:
            return f"\033[1;{ERROR_COLOR}m{text}\033[0m"
        bold = 0 if event.kind == EventKind.MESSAGE else 1
        return f"\033[{bold};{color}m{text}\033[0m"

    async def read_answer(self, event: UiEvent) -> str:
        # NOTE: Packer reads answers from /dev/tty even when standard input is redirected;
        # kiln reads standard input and only when it is a terminal.
        source = self.input_stream if self.input_stream is not None else sys.stdin
        if source is None or not source.isatty():
            raise UiInputUnavailable("no available tty")
        return (await _read_line(source)).strip()


async def _read_line(source: TextIO) -> str:
    """Read a line on a daemon thread, so an unanswered prompt cannot keep kiln from exiting.

    With `asyncio.to_thread`, the default executor's shutdown at exit would wait for the read.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def read() -> None:
        try:
            line = source.readline()
        except (OSError, ValueError) as error:
            loop.call_soon_threadsafe(_settle, future, None, error)
            return
        loop.call_soon_threadsafe(_settle, future, line, None)

    threading.Thread(target=read, name="kiln-ui-input", daemon=True).start()
    return await future


def _settle(future: asyncio.Future[str], line: str | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(UiInputUnavailable(str(error)))
    else:
        future.set_result(line or "")


class MachineRenderer(_Renderer):
    """`-machine-readable` output: one `TIME,TARGET,TYPE,ARGS` line per event, no colour, no questions."""

    def emit(self, event: UiEvent) -> None:
        now = int(time.time())
        if event.kind == EventKind.MACHINE:
            self._write(format_machine_line(now, event.prefix, event.type, event.args))
            return
        if event.kind == EventKind.ASK:
            return
        self._write(format_machine_line(now, "", "ui", (event.kind.value, format_human_text(event))))

    async def read_answer(self, event: UiEvent) -> str:
        raise UiInputUnavailable("machine-readable UI can't ask")
