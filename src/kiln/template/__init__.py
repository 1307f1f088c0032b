"""Packer templates: HCL2 files and directories into build plans.

    config, diagnostics = parse_template(LoadOptions(path="images/", lookup=lookup))
    diagnostics.extend(config.initialize(evaluate_datasources=True))
    plans, more = config.get_builds(only=["qemu.*"])

Legacy JSON templates live in `kiln.template.legacy_json`.
"""

from kiln.template.config import PackerConfig
from kiln.template.lookup import ComponentLookup
from kiln.template.parser import LoadOptions, parse_template

__all__ = ["ComponentLookup", "LoadOptions", "PackerConfig", "parse_template"]
