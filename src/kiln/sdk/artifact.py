"""Artifacts: what a builder or post-processor produced.

An artifact names the component that made it (`builder_id`, e.g. `fnoeding.null`), the local
files it consists of, an id (an image or instance id, empty when there is none), a one-line
description for the build summary, and extra state such as the builder's generated data.
`destroy` removes it when a post-processor chain decides not to keep it.

    artifact = BasicArtifact("packer.file", files=["out.txt"], id="File", string="Stored file: out.txt")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Artifact(Protocol):
    @property
    def builder_id(self) -> str: ...

    @property
    def files(self) -> list[str]: ...

    @property
    def id(self) -> str: ...

    def __str__(self) -> str:
        """The one-line description listed in the build summary."""
        ...

    def state(self, name: str) -> Any:
        """Return builder-specific data such as `generated_data`, or None when there is none."""
        ...

    async def destroy(self) -> None: ...


@dataclass
class BasicArtifact:
    """An Artifact from plain values; `destroy` removes the files unless `on_destroy` is given."""

    builder_id: str
    files: list[str] = field(default_factory=list)
    id: str = ""
    string: str = ""
    states: Mapping[str, Any] = field(default_factory=dict)
    on_destroy: Callable[[], None] | None = None
    remove_files_on_destroy: bool = False

    def __str__(self) -> str:
        return self.string

    def state(self, name: str) -> Any:
        return self.states.get(name)

    async def destroy(self) -> None:
        if self.on_destroy is not None:
            self.on_destroy()
        if self.remove_files_on_destroy:
            for path in self.files:
                if os.path.exists(path):
                    os.remove(path)
