"""The parse phase: files into declarations, and variable values from every source.

`parse_template` reads the template files, checks `packer.required_version`, records the
`packer`, `variable(s)`, `local(s)`, `data`, `source` and `build` blocks, then collects
variable values in precedence order: defaults, `PKR_VAR_` environment variables, auto
variable files, `-var-file` files in command-line order and `-var` flags. Nothing that
depends on a value is evaluated yet, except variable defaults, which may only call `env`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from kiln import PACKER_COMPAT_VERSION
from kiln.hcl.diagnostics import Diagnostics, SourceFiles, error
from kiln.hcl.record import Record
from kiln.hcl.schema import Block
from kiln.template import files as template_files
from kiln.template import schemas
from kiln.template.config import DatasourceExecutor, PackerConfig
from kiln.template.lookup import ComponentLookup
from kiln.template.model import DataSource, Local, Source
from kiln.template.variables import decode_variable_block, decode_variables_block
from kiln.template.version import check_version_constraint


class LoadOptions(Record):
    """The template path to load and the variable values given outside the template.

    config, diagnostics = parse_template(LoadOptions(path="images/", cli_vars=[("arch", "arm64")]))
    """

    path: str
    cli_vars: list[tuple[str, str]]  # -var pairs, in order
    var_files: list[str]  # -var-file paths, in order
    environ: Mapping[str, str]  # defaults to a copy of os.environ
    lookup: ComponentLookup | None  # None accepts every component type, undecoded
    warn_undeclared_var: bool  # warn about var-file entries no variable declares
    core_version: str
    cwd: str  # defaults to the process's working directory
    # Runs a data source for `initialize(evaluate_datasources=True)`: (type, config) -> output.
    datasource_executor: DatasourceExecutor | None

    __slots__ = (
        "cli_vars",
        "core_version",
        "cwd",
        "datasource_executor",
        "environ",
        "lookup",
        "path",
        "var_files",
        "warn_undeclared_var",
    )

    def __init__(
        self,
        path: str,
        cli_vars: list[tuple[str, str]] | None = None,
        var_files: list[str] | None = None,
        environ: Mapping[str, str] | None = None,
        lookup: ComponentLookup | None = None,
        warn_undeclared_var: bool = False,
        core_version: str = PACKER_COMPAT_VERSION,
        cwd: str = "",
        datasource_executor: DatasourceExecutor | None = None,
    ) -> None:
        self.path = path
        self.cli_vars = [] if cli_vars is None else cli_vars
        self.var_files = [] if var_files is None else var_files
        self.environ = dict(os.environ) if environ is None else environ
        self.lookup = lookup
        self.warn_undeclared_var = warn_undeclared_var
        self.core_version = core_version
        self.cwd = cwd
        self.datasource_executor = datasource_executor


def parse_template(options: LoadOptions) -> tuple[PackerConfig | None, Diagnostics]:
    """Parse an HCL2 template file or directory; return None only when nothing could be read."""
    diagnostics = Diagnostics()
    if not template_files.want_hcl2(options.path):
        # TODO: route to the legacy JSON template loader once kiln has one.
        detail = (
            f"{options.path} is not an HCL2 template. Templates are files ending in .pkr.hcl or "
            ".pkr.json, or a directory of them; legacy JSON templates are not supported by kiln yet."
        )
        diagnostics.append(error("Unsupported template format", detail))
        return None, diagnostics

    template_paths, auto_var_files, found = template_files.find_template_files(options.path)
    diagnostics.extend(found)
    if found.has_errors():
        return None, diagnostics

    config = _new_config(options)
    parsed = []
    for filename in template_paths:
        parsed_file, file_diagnostics = template_files.parse_file(filename, config.sources)
        diagnostics.extend(file_diagnostics)
        if parsed_file is not None:
            parsed.append(parsed_file)
    if diagnostics.has_errors():
        return config, diagnostics

    version_diagnostics = _check_required_version(parsed, options.core_version)
    if version_diagnostics.has_errors():
        return config, version_diagnostics

    for parsed_file in parsed:
        diagnostics.extend(_read_file_blocks(config, parsed_file))

    diagnostics.extend(config.collect_variable_values(options, auto_var_files))
    return config, diagnostics


def _new_config(options: LoadOptions) -> PackerConfig:
    path = options.path.rstrip("/") or options.path
    basedir = path if os.path.isdir(path) else os.path.dirname(path) or "."
    return PackerConfig(
        basedir=basedir.replace("\\", "/"),
        cwd=(options.cwd or os.getcwd()).replace("\\", "/"),
        core_version=options.core_version,
        lookup=options.lookup,
        sources=SourceFiles(),
    )


def _check_required_version(parsed: list[template_files.ParsedFile], core_version: str) -> Diagnostics:
    from kiln.template.values import static_string

    diagnostics = Diagnostics()
    for parsed_file in parsed:
        content, _rest, _ = parsed_file.body.partial_content(schemas.PACKER_SNIFF_SCHEMA)
        for block in content.blocks:
            version_content, _rest, _ = block.body.partial_content(schemas.PACKER_VERSION_SCHEMA)
            attribute = version_content.attributes.get("required_version")
            if attribute is None:
                continue
            constraint, problems = static_string(attribute.expr)
            diagnostics.extend(problems)
            if constraint is not None:
                diagnostics.extend(check_version_constraint(constraint, core_version, attribute.expr.range))
    return diagnostics


def _read_file_blocks(config: PackerConfig, parsed_file: template_files.ParsedFile) -> Diagnostics:
    content, diagnostics = parsed_file.body.content(schemas.CONFIG_SCHEMA)
    diagnostics = Diagnostics(diagnostics)
    readers = {
        "packer": _read_packer_block,
        "variable": decode_variable_block,
        "variables": decode_variables_block,
        "local": _read_local_block,
        "locals": _read_locals_block,
        "data": _read_data_block,
        "source": _read_source_block,
        "build": _read_build_block,
        "hcp_packer_registry": _read_hcp_registry_block,
    }
    # Packer reads the blocks kind by kind, so variables exist before anything refers to them.
    for block_type in ("packer", "variables", "variable", "data", "locals", "local", "source", "build"):
        for block in content.blocks_of_type(block_type):
            diagnostics.extend(readers[block_type](config, block))
    for block in content.blocks_of_type("hcp_packer_registry"):
        diagnostics.extend(readers["hcp_packer_registry"](config, block))
    return diagnostics


def _read_packer_block(config: PackerConfig, block: Block) -> Diagnostics:
    from kiln.template.plugins import decode_required_plugins

    content, diagnostics = block.body.content(schemas.PACKER_BLOCK_SCHEMA)
    diagnostics = Diagnostics(diagnostics)
    for plugins_block in content.blocks_of_type("required_plugins"):
        requirements, problems = decode_required_plugins(plugins_block)
        diagnostics.extend(problems)
        config.required_plugins.append(requirements)
    return diagnostics


def _read_local_block(config: PackerConfig, block: Block) -> Diagnostics:
    from kiln.template.values import static_bool

    name = block.labels[0]
    content, diagnostics = block.body.content(schemas.LOCAL_SCHEMA)
    diagnostics = Diagnostics(diagnostics)
    expression = content.attributes.get("expression")
    if expression is None:
        diagnostics.append(
            error(
                "Missing required argument",
                f'The local "{name}" has no "expression" argument; set it to the value of the local.',
                block.def_range,
            )
        )
        return diagnostics
    sensitive = False
    if "sensitive" in content.attributes:
        flag, problems = static_bool(content.attributes["sensitive"].expr)
        diagnostics.extend(problems)
        sensitive = bool(flag)
    diagnostics.extend(config.add_local(Local(name, expression.expr, block.def_range, sensitive)))
    return diagnostics


def _read_locals_block(config: PackerConfig, block: Block) -> Diagnostics:
    attributes, diagnostics = block.body.just_attributes()
    diagnostics = Diagnostics(diagnostics)
    for name, attribute in sorted(attributes.items(), key=lambda item: item[1].range.start.byte):
        diagnostics.extend(config.add_local(Local(name, attribute.expr, attribute.range)))
    return diagnostics


def _read_data_block(config: PackerConfig, block: Block) -> Diagnostics:
    data_type, name = block.labels
    diagnostics = Diagnostics()
    data_source = DataSource(data_type, name, block.body, block.def_range, block.label_ranges[0])
    if data_source.ref in config.data_sources:
        first = config.data_sources[data_source.ref]
        diagnostics.append(
            error(
                "Duplicate " + data_source.ref + " block",
                f"This data source is already declared at {first.range.filename}:{first.range.start.line}.",
                block.def_range,
            )
        )
        return diagnostics
    config.data_sources[data_source.ref] = data_source
    return diagnostics


def _read_source_block(config: PackerConfig, block: Block) -> Diagnostics:
    source_type, name = block.labels
    diagnostics = Diagnostics()
    source = Source(source_type, name, block.body, block.def_range, block.label_ranges[0])
    if source.ref in config.source_blocks:
        first = config.source_blocks[source.ref]
        diagnostics.append(
            error(
                "Duplicate source block",
                f'The source "{source.ref}" is already declared at {first.range.filename}:{first.range.start.line}.',
                block.def_range,
            )
        )
        return diagnostics
    config.source_blocks[source.ref] = source
    return diagnostics


def _read_build_block(config: PackerConfig, block: Block) -> Diagnostics:
    config.build_blocks.append(block)
    return Diagnostics()


def _read_hcp_registry_block(config: PackerConfig, block: Block) -> Diagnostics:
    config.hcp_registry_blocks.append(block)
    return Diagnostics()
