"""Loading a template for a command: component lookup, options and the first diagnostics."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kiln.cli.common import TemplateArguments
from kiln.cli.output import CommandOutput

if TYPE_CHECKING:
    from kiln.template import PackerConfig
    from kiln.template.lookup import ComponentLookup


def component_lookup() -> ComponentLookup | None:
    """Return kiln.core's registry lookup, or None while no registry is installed."""
    try:
        from kiln.core.registry import component_config_class
    except ImportError:
        # NOTE: without kiln.core every component type is accepted and left undecoded.
        return None
    return component_config_class


def open_template(
    arguments: TemplateArguments,
    output: CommandOutput,
    *,
    warn_undeclared_var: bool = False,
) -> PackerConfig | None:
    """Parse the template and its variable values; print the diagnostics; None on errors."""
    from kiln.template import LoadOptions, parse_template

    options = LoadOptions(
        path=arguments.path,
        cli_vars=arguments.vars,
        var_files=arguments.var_files,
        environ=dict(os.environ),
        lookup=component_lookup(),
        warn_undeclared_var=warn_undeclared_var,
    )
    config, diagnostics = parse_template(options)
    if output.diagnostics(diagnostics, config.sources if config else None) or config is None:
        return None
    return config
