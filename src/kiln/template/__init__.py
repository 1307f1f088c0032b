"""Packer templates: HCL2 files and directories into build plans.

    config, diagnostics = parse_template(LoadOptions(path="images/", lookup=lookup))
    diagnostics.extend(config.initialize(evaluate_datasources=True))
    plans, more = config.get_builds(only=["qemu.*"])

Legacy JSON templates live in `kiln.template.legacy_json`. The names below are imported on
first use (PEP 562 module `__getattr__`), so importing a submodule does not load the loader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiln.template.config import PackerConfig
    from kiln.template.lookup import ComponentLookup
    from kiln.template.parser import LoadOptions, parse_template

_LAZY_EXPORTS = {
    "ComponentLookup": "kiln.template.lookup",
    "LoadOptions": "kiln.template.parser",
    "PackerConfig": "kiln.template.config",
    "parse_template": "kiln.template.parser",
}

__all__ = ["ComponentLookup", "LoadOptions", "PackerConfig", "parse_template"]


def __getattr__(name: str) -> Any:
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = __import__(module_name, fromlist=[name])
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_EXPORTS])
