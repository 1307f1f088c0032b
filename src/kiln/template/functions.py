"""The functions a template may call, by evaluation context."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def packer_functions(base_dir: str) -> Mapping[str, Any]:
    """Return every Packer function, with file functions resolving paths against `base_dir`."""
    try:
        from kiln.lang.functions import packer_functions as lang_packer_functions
    except ImportError:
        # NOTE: until kiln.lang ships its function table, templates can call no functions.
        return {}
    return lang_packer_functions(base_dir)


def default_functions() -> Mapping[str, Any]:
    """Return the only function a variable default may call: `env`."""
    return _VariableDefaultFunctions()


class _VariableDefaultFunctions(Mapping[str, Any]):
    """The functions of a variable default, loaded from kiln.lang.functions on first lookup.

    Most defaults call no function, and importing the function library costs a few
    milliseconds of every `kiln validate -syntax-only` run.
    """

    __slots__ = ("_functions",)

    def __init__(self) -> None:
        self._functions: Mapping[str, Any] | None = None

    def _load(self) -> Mapping[str, Any]:
        if self._functions is None:
            from kiln.lang.functions import variable_default_functions

            self._functions = variable_default_functions()
        return self._functions

    def __getitem__(self, name: str) -> Any:
        return self._load()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())
