"""A Ui sink that records every event in order and answers questions from a script."""

from __future__ import annotations

from collections import deque

from kiln.sdk.ui import EventKind, Progress, Ui, UiEvent, UiInputUnavailable


class RecordingProgress(Progress):
    def __init__(self, description: str, total: int | None) -> None:
        self.description = description
        self.total = total
        self.done = 0
        self.closed = False

    def advance(self, amount: int) -> None:
        self.done += amount

    def close(self) -> None:
        self.closed = True


class RecordingSink:
    """Keeps every event; `answers` are returned to `ask` in order, and none left raises."""

    def __init__(self, answers: list[str] | None = None) -> None:
        self.events: list[UiEvent] = []
        self.answers: deque[str] = deque(answers or [])
        self.progresses: list[RecordingProgress] = []
        self.secrets: list[str] = []

    def emit(self, event: UiEvent) -> None:
        self.events.append(event)

    async def read_answer(self, event: UiEvent) -> str:
        if not self.answers:
            raise UiInputUnavailable(f"no scripted answer for {event.text!r}")
        return self.answers.popleft()

    def start_progress(self, build: str, description: str, total: int | None) -> Progress:
        progress = RecordingProgress(description, total)
        self.progresses.append(progress)
        return progress

    def add_secret(self, value: str) -> None:
        self.secrets.append(value)

    def texts(self, *kinds: EventKind) -> list[str]:
        """Return the text of every event of `kinds` (say, message and error when none given)."""
        wanted = kinds or (EventKind.SAY, EventKind.MESSAGE, EventKind.ERROR)
        return [event.text for event in self.events if event.kind in wanted]

    def errors(self) -> list[str]:
        return self.texts(EventKind.ERROR)


def recording_ui(build: str = "", answers: list[str] | None = None) -> tuple[Ui, RecordingSink]:
    """Return a Ui targeted at `build` and the sink recording what it is given."""
    sink = RecordingSink(answers)
    return Ui(sink, build), sink
