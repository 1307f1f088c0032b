"""Loading a template for a command: component lookup, options and the first diagnostics."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, ClassVar

from kiln.cli.common import TemplateArguments
from kiln.cli.output import CommandOutput

if TYPE_CHECKING:
    from kiln.template import PackerConfig
    from kiln.template.lookup import ComponentLookup


class RegistryLookup:
    """The component lookup backed by kiln.core's registry, in the template layer's terms."""

    # The template layer names the kind "datasource" and the registry names it "data".
    _KINDS: ClassVar[dict[str, str]] = {"datasource": "data"}

    def __call__(self, kind: str, type_name: str) -> type | None:
        from kiln.core.registry import config_class_of

        return config_class_of(self._KINDS.get(kind, kind), type_name)

    def known_types(self, kind: str) -> list[str]:
        from kiln.core.registry import type_names

        return type_names(self._KINDS.get(kind, kind))

    def datasource_output_class(self, type_name: str) -> type | None:
        from kiln.core.registry import lookup

        component = lookup("data", type_name)
        return getattr(component, "output_class", None)


def execute_datasource(type_name: str, config: Any) -> Any:
    """Run a data source through the registry and return its output as plain data."""
    import asyncio
    import dataclasses

    from kiln.core.registry import lookup

    component_class = lookup("data", type_name)
    if component_class is None:
        raise LookupError(f'no data source named "{type_name}" is installed')
    component = component_class()
    component.prepare(config)
    output = asyncio.run(component.execute())
    return dataclasses.asdict(output) if dataclasses.is_dataclass(output) else output


def component_lookup() -> ComponentLookup:
    return RegistryLookup()


def open_template(
    arguments: TemplateArguments,
    output: CommandOutput,
    *,
    warn_undeclared_var: bool = False,
) -> PackerConfig | None:
    """Parse the template and its variable values; print the diagnostics; None on errors."""
    from kiln.template import LoadOptions, parse_template
    from kiln.template.files import want_hcl2

    if not want_hcl2(arguments.path) and arguments.config_type != "hcl2":
        from kiln.cli.legacy import open_legacy_template
        from kiln.hcl.diagnostics import SourceFiles

        read = SourceFiles()
        legacy, diagnostics = open_legacy_template(
            arguments.path, component_lookup(), arguments.var_files, arguments.vars, read
        )
        if output.diagnostics(diagnostics, legacy.sources if legacy else read) or legacy is None:
            return None
        return legacy  # type: ignore[return-value]

    options = LoadOptions(
        path=arguments.path,
        cli_vars=arguments.vars,
        var_files=arguments.var_files,
        environ=dict(os.environ),
        lookup=component_lookup(),
        datasource_executor=execute_datasource,
        warn_undeclared_var=warn_undeclared_var,
    )
    config, diagnostics = parse_template(options)
    if output.diagnostics(diagnostics, config.sources if config else None) or config is None:
        return None
    return config


def register_secrets(config: Any) -> None:
    """Mask the template's sensitive values in all later output, diagnostics included.

    A function's error may quote its argument (`no file exists at ...`), so the values are
    registered as soon as evaluation has found them, before any diagnostic is printed.
    """
    from kiln.core.secrets import SECRETS

    SECRETS.add(*getattr(config, "sensitive_values", []))
