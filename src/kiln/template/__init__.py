"""Packer templates: HCL2 files and directories into build plans.

    config, diagnostics = parse_template(LoadOptions(path="images/", lookup=lookup))
    diagnostics.extend(config.initialize(evaluate_datasources=True))
    plans, more = config.get_builds(only=["qemu.*"])

Legacy JSON templates live in `kiln.template.legacy_json`. The names below are imported on
first use (PEP 562 module `__getattr__`), so importing a submodule does not load the loader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiln._lazy import lazy_exports

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


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY_EXPORTS)
