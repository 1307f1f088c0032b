"""The Ui: how builders, provisioners and post-processors talk to the person running kiln.

Every call becomes a `UiEvent` (kind, build, text) sent to one sink. kiln.core renders the
same stream either as Packer's human output (`==> NAME: text`, colours per build) or as
machine-readable lines, and masks secrets in one place before either renderer sees the text.
Components receive a Ui already targeted at their build, so they never prefix lines
themselves.

    ui.say("Creating disk...")
    answer = await ui.ask("Press enter to continue.")

Debug details belong in the `logging` module's log, not in the Ui.
"""

from __future__ import annotations

import enum
import io
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol, Self


class EventKind(enum.StrEnum):
    SAY = "say"  # a progress line, `==> NAME: text`
    MESSAGE = "message"  # detail lines, indented under `==>` lines; components mostly use SAY
    ERROR = "error"
    MACHINE = "machine"  # a machine-readable record: `type` and `args`, hidden from people
    ASK = "ask"  # a question shown before reading an answer


@dataclass(frozen=True, slots=True)
class UiEvent:
    """One thing to show: `build` is the build it belongs to (its colour), empty for kiln itself.

    `target` is the name the line is prefixed with (`==> TARGET: text`): None means the build
    name, an empty string means no prefix (as for `Build 'x' finished after ...`).
    """

    kind: EventKind
    build: str
    text: str = ""
    type: str = ""  # the record type of a MACHINE event, e.g. "artifact-count"
    args: tuple[str, ...] = ()
    target: str | None = None

    @property
    def prefix(self) -> str:
        return self.build if self.target is None else self.target


class UiSink(Protocol):
    """Where events go: a renderer in kiln.core or a recording list in tests."""

    def emit(self, event: UiEvent) -> None: ...

    async def read_answer(self, event: UiEvent) -> str:
        """Return the answer to an ASK event; raise UiInputUnavailable when no one can answer."""
        ...

    def start_progress(self, build: str, description: str, total: int | None) -> Progress: ...


class UiInputUnavailable(Exception):
    """A question was asked where no one can answer (machine-readable mode, no terminal)."""


class Progress:
    """A transfer's progress; the base reports nothing, which suits logs and machine output."""

    def advance(self, amount: int) -> None:
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ProgressReader(io.RawIOBase):
    """A binary file wrapper that advances `progress` by each read, for upload sources.

    with ui.progress(f"Uploading {name}", size) as progress:
        await communicator.upload(path, ProgressReader(handle, progress), size=size)
    """

    def __init__(self, source: BinaryIO, progress: Progress) -> None:
        self.source = source
        self.progress = progress

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.progress.advance(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def fileno(self) -> int:
        return self.source.fileno()


class Ui:
    """A sink bound to one build and target: the calls components make.

    `for_target` derives a Ui with another line prefix, such as a post-processor's
    `NAME (TYPE)`; the build, and so the colour, stays the same.
    """

    def __init__(self, sink: UiSink, build: str = "", target: str | None = None) -> None:
        self.sink = sink
        self.build = build
        self.target = target

    def for_target(self, target: str) -> Ui:
        return Ui(self.sink, self.build, target)

    def _event(self, kind: EventKind, text: str = "", **fields: object) -> UiEvent:
        return UiEvent(kind, self.build, text, target=self.target, **fields)  # type: ignore[arg-type]

    def say(self, text: str) -> None:
        self.sink.emit(self._event(EventKind.SAY, text))

    def message(self, text: str) -> None:
        """Show detail lines; Packer indents them under the `==>` lines (`    NAME: text`)."""
        self.sink.emit(self._event(EventKind.MESSAGE, text))

    def error(self, text: str) -> None:
        self.sink.emit(self._event(EventKind.ERROR, text))

    def machine(self, type: str, *args: str) -> None:
        """Record a machine-readable line `TIMESTAMP,TARGET,TYPE,ARGS...` (shown only in that mode)."""
        self.sink.emit(self._event(EventKind.MACHINE, type=type, args=tuple(args)))

    async def ask(self, question: str) -> str:
        """Show `question` and return the line typed in reply; raise UiInputUnavailable if none can be."""
        event = self._event(EventKind.ASK, question)
        self.sink.emit(event)
        return await self.sink.read_answer(event)

    def add_secret(self, value: str) -> None:
        """Mask `value` (and each of its lines) in all output from now on, e.g. a generated password."""
        add = getattr(self.sink, "add_secret", None)
        if add is not None:
            add(value)

    def progress(self, description: str, total: int | None = None) -> Progress:
        """Start tracking a transfer of `total` bytes (None when unknown); close it when done."""
        return self.sink.start_progress(self.build, description, total)
