"""`PackerConfig`: a parsed HCL2 template, its evaluation scopes, and the way to its builds.

config, diagnostics = parse_template(LoadOptions(path="images/"))
diagnostics = config.initialize(evaluate_datasources=True)
plans, diagnostics = config.get_builds(only=["qemu.*"])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiln.hcl.diagnostics import Diagnostics, SourceFiles, error
from kiln.hcl.record import Record
from kiln.hcl.schema import Block
from kiln.template.lookup import ComponentLookup
from kiln.template.model import BuildBlock, DataSource, Local, Source, Variable

if TYPE_CHECKING:
    from kiln.sdk.plan import BuildPlan
    from kiln.template.parser import LoadOptions

# Runs a data source: (type name, decoded config) -> its output as plain data.
DatasourceExecutor = Callable[[str, Any], Any]


class PackerConfig(Record):
    basedir: str  # the template's directory, as `path.root` shows it
    cwd: str
    core_version: str
    lookup: ComponentLookup | None
    sources: SourceFiles
    variables: dict[str, Variable]
    locals: dict[str, Local]
    data_sources: dict[str, DataSource]
    source_blocks: dict[str, Source]
    build_blocks: list[Block]
    hcp_registry_blocks: list[Block]
    required_plugins: list[dict[str, Any]]
    builds: list[BuildBlock]  # filled by `initialize`
    datasource_executor: DatasourceExecutor | None
    sensitive_values: list[str]
    initialized: bool

    __slots__ = (
        "basedir",
        "build_blocks",
        "builds",
        "core_version",
        "cwd",
        "data_sources",
        "datasource_executor",
        "hcp_registry_blocks",
        "initialized",
        "locals",
        "lookup",
        "required_plugins",
        "sensitive_values",
        "source_blocks",
        "sources",
        "variables",
    )

    def __init__(
        self,
        basedir: str,
        cwd: str,
        core_version: str,
        lookup: ComponentLookup | None,
        sources: SourceFiles,
        variables: dict[str, Variable] | None = None,
        locals: dict[str, Local] | None = None,
        data_sources: dict[str, DataSource] | None = None,
        source_blocks: dict[str, Source] | None = None,
        build_blocks: list[Block] | None = None,
        hcp_registry_blocks: list[Block] | None = None,
        required_plugins: list[dict[str, Any]] | None = None,
        builds: list[BuildBlock] | None = None,
        datasource_executor: DatasourceExecutor | None = None,
        sensitive_values: list[str] | None = None,
        initialized: bool = False,
    ) -> None:
        self.basedir = basedir
        self.cwd = cwd
        self.core_version = core_version
        self.lookup = lookup
        self.sources = sources
        self.variables = {} if variables is None else variables
        self.locals = {} if locals is None else locals
        self.data_sources = {} if data_sources is None else data_sources
        self.source_blocks = {} if source_blocks is None else source_blocks
        self.build_blocks = [] if build_blocks is None else build_blocks
        self.hcp_registry_blocks = [] if hcp_registry_blocks is None else hcp_registry_blocks
        self.required_plugins = [] if required_plugins is None else required_plugins
        self.builds = [] if builds is None else builds
        self.datasource_executor = datasource_executor
        self.sensitive_values = [] if sensitive_values is None else sensitive_values
        self.initialized = initialized

    def add_local(self, local: Local) -> Diagnostics:
        if local.name in self.locals:
            first = self.locals[local.name].range
            return Diagnostics(
                [
                    error(
                        "Duplicate local definition",
                        f'The local "{local.name}" is already defined at {first.filename}:{first.start.line}.',
                        local.range,
                    )
                ]
            )
        self.locals[local.name] = local
        return Diagnostics()

    def collect_variable_values(self, options: LoadOptions, auto_var_files: list[str]) -> Diagnostics:
        """Assign values in precedence order: environment, auto var files, -var-file, -var."""
        from kiln.template import files as template_files
        from kiln.template import variables

        self.datasource_executor = getattr(options, "datasource_executor", None)
        diagnostics = variables.collect_environment(self.variables, options.environ, self.sources)
        for filename in [*auto_var_files, *options.var_files]:
            if filename in options.var_files:
                diagnostics.extend(template_files.check_var_file_name(filename))
            parsed, problems = template_files.parse_file(filename, self.sources)
            diagnostics.extend(problems)
            if parsed is None or problems.has_errors():
                continue
            diagnostics.extend(
                variables.collect_var_file(
                    self.variables, filename, parsed.body, warn_undeclared=options.warn_undeclared_var
                )
            )
        diagnostics.extend(variables.collect_cli(self.variables, options.cli_vars, self.sources))
        return diagnostics

    # Evaluation scopes.

    def variables_object(self) -> Any:
        from kiln.template.values import mark_sensitive, object_val, unknown_val

        values = {}
        for name, variable in self.variables.items():
            value = variable.value()
            value = unknown_val(variable.type) if value is None else value
            values[name] = mark_sensitive(value) if variable.sensitive else value
        return object_val(values)

    def locals_object(self) -> Any:
        from kiln.template.values import mark_sensitive, object_val, unknown_val

        values = {}
        for name, local in self.locals.items():
            value = unknown_val() if local.value is None else local.value
            values[name] = mark_sensitive(value) if local.sensitive else value
        return object_val(values)

    def data_object(self) -> Any:
        from kiln.template.values import object_val, unknown_val

        by_type: dict[str, dict[str, Any]] = {}
        for data_source in self.data_sources.values():
            value = unknown_val() if data_source.value is None else data_source.value
            by_type.setdefault(data_source.type, {})[data_source.name] = value
        return object_val({type_name: object_val(names) for type_name, names in by_type.items()})

    def eval_context(self, **extra: Any) -> Any:
        """Return the scope of locals, data sources and component blocks, plus `extra` roots."""
        from kiln.lang.eval import EvalContext
        from kiln.template.functions import packer_functions
        from kiln.template.values import object_val, string_val, unknown_val

        roots = {
            "var": self.variables_object(),
            "local": self.locals_object(),
            "data": self.data_object(),
            "path": object_val({"root": string_val(self.basedir), "cwd": string_val(self.cwd)}),
            "packer": object_val(
                {
                    "version": string_val(self.core_version),
                    "iterationID": unknown_val(),
                    "versionFingerprint": unknown_val(),
                }
            ),
        }
        roots.update(extra)
        return EvalContext(roots, packer_functions(self.basedir))

    # Phases after parsing.

    def initialize(self, *, evaluate_datasources: bool = False) -> Diagnostics:
        """Check variables, evaluate locals and data sources, and decode the build blocks."""
        from kiln.template.builds import decode_build_blocks
        from kiln.template.evaluate import check_validations, evaluate_locals_and_data
        from kiln.template.hcp import check_registry_block
        from kiln.template.variables import check_unset

        diagnostics = check_unset(self.variables)
        diagnostics.extend(self._check_component_types())
        diagnostics.extend(check_validations(self))
        diagnostics.extend(evaluate_locals_and_data(self, execute=evaluate_datasources))
        self.builds, problems = decode_build_blocks(self)
        diagnostics.extend(problems)
        for block in self.hcp_registry_blocks:
            diagnostics.extend(check_registry_block(self, block))
        self.sensitive_values = self._collect_sensitive_values()
        self.initialized = True
        return diagnostics

    def get_builds(
        self, *, only: list[str] | None = None, except_: list[str] | None = None
    ) -> tuple[list[BuildPlan], Diagnostics]:
        """Return one plan per selected source of every build, components decoded."""
        from kiln.template.plans import plan_builds

        return plan_builds(self, only or [], except_ or [])

    def _check_component_types(self) -> Diagnostics:
        """Report sources and data sources whose type no installed component has."""
        from kiln.hcl.diagnostics import did_you_mean
        from kiln.template.lookup import known_types

        diagnostics = Diagnostics()
        if self.lookup is None:
            return diagnostics
        declared = [("builder", source) for source in self.source_blocks.values()]
        declared += [("datasource", data_source) for data_source in self.data_sources.values()]
        for kind, block in declared:
            if self.lookup(kind, block.type) is not None:
                continue
            noun = "data source" if kind == "datasource" else kind
            suggestion = did_you_mean(block.type, known_types(self.lookup, kind))
            diagnostics.append(
                error(
                    f"Unknown {noun} type {block.type}",
                    f'No {noun} named "{block.type}" is installed.{suggestion}',
                    block.type_range,
                )
            )
        return diagnostics

    def _collect_sensitive_values(self) -> list[str]:
        from kiln.template.values import sensitive_strings

        found: list[str] = []
        for variable in self.variables.values():
            if variable.sensitive and variable.value() is not None:
                found.extend(sensitive_strings(variable.value()))
        for local in self.locals.values():
            if local.sensitive and local.value is not None:
                found.extend(sensitive_strings(local.value))
        return sorted(set(found))
