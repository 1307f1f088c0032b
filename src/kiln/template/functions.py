"""The functions a template may call, by evaluation context."""

from __future__ import annotations

from collections.abc import Mapping
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
    from kiln.lang.functions import variable_default_functions

    return variable_default_functions()
