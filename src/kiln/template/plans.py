"""Concrete builds: one `BuildPlan` per source that a build block uses, after filtering.

Each component block is decoded here, once per build, because its expressions may use
`source.name`, `source.type` and `build.name`, whose values differ from build to build.

The decoded configurations are the prepared view Packer shows: values the builder generates
(`build.ID`) read "<unknown>", and Go templates that need no generated data
(`{{ packer_version }}`, `{{ build_name }}`) are rendered. Before a provisioner or
post-processor runs, `ComponentSpec.reevaluate` decodes its block again with the builder's
values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiln.hcl.diagnostics import Diagnostics, DiagnosticsError, Range, error, warning
from kiln.sdk.plan import BuildPlan, ComponentSpec, PostProcessorSpec, ProvisionerSpec
from kiln.template.decode import DecodedBody, build_config, decode_body, map_strings
from kiln.template.glob import GlobError, compile_glob
from kiln.template.model import BuildBlock, ComponentBlock, SourceUse
from kiln.template.values import UNKNOWN_TEXT

if TYPE_CHECKING:
    from kiln.template.config import PackerConfig

# Values a builder learns while it runs, which provisioners and post-processors read as `build.X`.
GENERATED_BUILD_VARIABLES = (
    "ID",
    "Host",
    "Port",
    "User",
    "Password",
    "ConnType",
    "PackerRunUUID",
    "PackerHTTPPort",
    "PackerHTTPIP",
    "PackerHTTPAddr",
    "SSHPublicKey",
    "SSHPrivateKey",
    "WinRMPassword",
)

# The value of each `build.X` while preparing. Packer 1.16 gives every generated value the
# string "<unknown>" then, and decodes provisioners and post-processors again with the real
# values, so `upper(build.ID)` reads "<UNKNOWN>" in the prepared configuration.
_VALUES_BEFORE_BUILD = {key: UNKNOWN_TEXT for key in GENERATED_BUILD_VARIABLES}


def compile_filters(patterns: list[str], flag: str) -> tuple[list[Any], Diagnostics]:
    compiled = []
    diagnostics = Diagnostics()
    for pattern in patterns:
        try:
            compiled.append(compile_glob(pattern))
        except GlobError as problem:
            diagnostics.append(
                error(f"Invalid {flag} pattern", f'The pattern "{pattern}" is not a valid glob: {problem}.')
            )
    return compiled, diagnostics


def _matches(patterns: list[Any], name: str) -> bool:
    return any(pattern.match(name) for pattern in patterns)


def plan_builds(
    config: PackerConfig, only: list[str], except_: list[str]
) -> tuple[list[BuildPlan], Diagnostics]:
    only_globs, diagnostics = compile_filters(only, "-only")
    except_globs, problems = compile_filters(except_, "-except")
    diagnostics.extend(problems)
    if diagnostics.has_errors():
        return [], diagnostics

    plans = []
    diagnostics.extend(_unmatched_filters(config, only, except_))
    for build in config.builds:
        for use in build.sources:
            name = _build_name(build, use)
            if only_globs and not _matches(only_globs, name):
                continue
            if _matches(except_globs, name):
                continue
            plan, problems = _plan_one(config, build, use, name, except_globs)
            diagnostics.extend(problems)
            if plan is not None:
                plans.append(plan)
    return plans, diagnostics


def _unmatched_filters(config: PackerConfig, only: list[str], except_: list[str]) -> Diagnostics:
    """Warn about `-only`/`-except` patterns that select nothing, listing the names they could."""
    names = [_build_name(build, use) for build in config.builds for use in build.sources]
    post_processor_names = [
        block.display_name
        for build in config.builds
        for chain in build.post_processor_chains
        for block in chain
    ]
    diagnostics = Diagnostics()
    for flag, patterns, candidates in (
        ("-only", only, names),
        ("-except", except_, names + post_processor_names),
    ):
        for pattern in patterns:
            if any(compile_glob(pattern).match(candidate) for candidate in candidates):
                continue
            diagnostics.append(
                warning(
                    f'No build matches the {flag} pattern "{pattern}"',
                    f'Possible build names: {", ".join(names) or "none"}. A glob such as "null.*" matches '
                    "several builds.",
                )
            )
    return diagnostics


def _build_name(build: BuildBlock, use: SourceUse) -> str:
    name = f"{use.type}.{use.build_source_name}"
    return f"{build.name}.{name}" if build.name else name


def _plan_one(
    config: PackerConfig, build: BuildBlock, use: SourceUse, name: str, except_globs: list[Any]
) -> tuple[BuildPlan | None, Diagnostics]:
    from kiln.template.values import object_val, string_val

    source = config.source_blocks.get(use.ref)
    if source is None:
        return None, Diagnostics()  # reported when the build block was decoded
    source_object = object_val({"type": string_val(use.type), "name": string_val(use.build_source_name)})
    templates = _TemplateRenderer(config.core_version, use.build_source_name, use.type)
    builder, diagnostics = _decode_builder(config, use, source_object, templates)

    scope = _Scope(
        config,
        build.name,
        use.build_source_name,
        source_object,
        config.eval_context(source=source_object, build=build_object(build.name, _VALUES_BEFORE_BUILD)),
        templates,
    )
    source_ref = f"{use.type}.{use.build_source_name}"
    provisioners = []
    for block in build.provisioners:
        if not block.want_for(source_ref):
            continue
        spec, problems = _decode_provisioner(scope, block)
        diagnostics.extend(problems)
        if spec is not None:
            provisioners.append(spec)
    cleanup = None
    if build.error_cleanup_provisioner is not None and build.error_cleanup_provisioner.want_for(source_ref):
        cleanup, problems = _decode_provisioner(scope, build.error_cleanup_provisioner)
        diagnostics.extend(problems)
    chains, problems = _decode_chains(scope, build, source_ref, except_globs)
    diagnostics.extend(problems)

    if builder is None or diagnostics.has_errors():
        return None, diagnostics
    plan = BuildPlan(
        name=name,
        builder=builder,
        provisioners=provisioners,
        error_cleanup_provisioner=cleanup,
        post_processor_chains=chains,
        build_block_name=build.name,
        source_name=use.build_source_name,
        sensitive_values=_sensitive_values(config, builder, provisioners, cleanup, chains),
    )
    return plan, diagnostics


def build_object(build_name: str, generated: Mapping[str, Any] | None = None) -> Any:
    """Return the `build` object: its name, and the generated values or their placeholders.

    A value missing from `generated` is Packer's `{{ .X }}` placeholder, which the engine
    renders. Functions that change a placeholder's text need `ComponentSpec.reevaluate`.
    """
    from kiln.template.values import object_val, string_val

    attributes = {key: string_val("{{ ." + key + " }}") for key in GENERATED_BUILD_VARIABLES}
    for key, value in (generated or {}).items():
        attributes[key] = string_val(str(value))
    attributes["name"] = string_val(build_name)
    return object_val(attributes)


@dataclass(frozen=True, slots=True)
class _TemplateRenderer:
    """Renders the Go templates in one build's component options that need no generated data.

    For provisioners and post-processors the context matches the one kiln.core renders with
    once the builder ran (no template directory), so rendering early changes no result.
    Builder options are rendered only here. Templates calling `user` are left as they are,
    because HCL2 templates have no user variables to give it.
    """

    core_version: str  # what `{{ packer_version }}` renders
    build_name: str  # the source name, as Packer's `packer_build_name`
    build_type: str  # the builder type

    def __call__(self, text: str) -> str:
        from kiln.sdk.interpolate.packer import Context, render_before_build

        context = Context(
            build_name=self.build_name,
            build_type=self.build_type,
            extra_functions={"packer_version": lambda: self.core_version, "user": _no_user_variables},
        )
        return render_before_build(text, context)


def _no_user_variables(name: str) -> str:
    from kiln.sdk.interpolate.gotemplate import TemplateError

    raise TemplateError(f"user variable {name} is not available in HCL2 templates")


def _redecoder(
    config: PackerConfig,
    kind: str,
    block: ComponentBlock,
    build_name: str,
    source_object: Any,
    override: Any,
    templates: _TemplateRenderer,
) -> Callable[[Mapping[str, Any]], Any]:
    def redecode(generated: Mapping[str, Any]) -> Any:
        ctx = config.eval_context(source=source_object, build=build_object(build_name, generated))
        instance, _decoded, diagnostics = _decode_component(
            config, kind, block.type, block.body, ctx, block.range, override, templates
        )
        if diagnostics.has_errors():
            raise DiagnosticsError(diagnostics)
        return instance

    return redecode


def _decode_builder(
    config: PackerConfig, use: SourceUse, source_object: Any, templates: _TemplateRenderer
) -> tuple[ComponentSpec | None, Diagnostics]:
    from kiln.template.merge import MergedBody

    source = config.source_blocks[use.ref]
    body = MergedBody(source.body, use.body) if use.body is not None else source.body
    ctx = config.eval_context(source=source_object)
    decoded, raw, diagnostics = _decode_component(
        config, "builder", use.type, body, ctx, source.range, None, templates
    )
    if diagnostics.has_errors():
        return None, diagnostics
    return ComponentSpec(
        use.type, decoded, use.build_source_name, source.range, raw.values, raw.ranges
    ), diagnostics


def _decode_component(
    config: PackerConfig,
    kind: str,
    type_name: str,
    body: Any,
    ctx: Any,
    subject: Range,
    override: dict[str, Any] | None,
    templates: _TemplateRenderer,
) -> tuple[Any, DecodedBody, Diagnostics]:
    """Return (config instance, plain values with their ranges, diagnostics) for a component body.

    The plain values are as written. The instance has the Go templates that need no generated
    data rendered, as Packer's plug-ins render them while preparing.
    """
    config_class = config.lookup(kind, type_name) if config.lookup is not None else None
    if config_class is None:
        if config.lookup is not None:
            return (
                None,
                DecodedBody(),
                Diagnostics(
                    [
                        error(
                            f"Unknown {kind} type {type_name}",
                            f'No {kind} named "{type_name}" is installed.',
                            subject,
                        )
                    ]
                ),
            )
        return _undecoded(body, ctx)
    decoded, diagnostics = decode_body(body, config_class, ctx)
    if diagnostics.has_errors():
        return None, decoded, diagnostics
    if override:
        decoded = DecodedBody({**decoded.values, **override}, decoded.ranges)
    instance, problems = build_config(config_class, map_strings(decoded, templates), subject)
    diagnostics.extend(problems)
    return instance, decoded, diagnostics


def _undecoded(body: Any, ctx: Any) -> tuple[Any, DecodedBody, Diagnostics]:
    """Evaluate a body without a schema, for components no lookup can describe."""
    from kiln.template.values import evaluate, to_plain

    attributes, problems = body.just_attributes()
    diagnostics = Diagnostics(problems)
    decoded = DecodedBody()
    for name, attribute in attributes.items():
        value, problems = evaluate(attribute.expr, ctx)
        diagnostics.extend(problems)
        if not problems.has_errors():
            decoded.values[name] = to_plain(value)
            decoded.ranges[name] = attribute.expr.range
    return dict(decoded.values), decoded, diagnostics


@dataclass(frozen=True, slots=True)
class _Scope:
    """What the components of one build are decoded with: the build's and the source's names."""

    config: PackerConfig
    build_name: str
    source_name: str
    source_object: Any
    # Built once per source: rebuilding `var` and `local` for every provisioner made planning
    # quadratic in the number of sources times provisioners.
    root_context: Any
    templates: _TemplateRenderer

    def eval_context(self) -> Any:
        """Return a new scope over the shared root values, so splat state stays per component."""
        from kiln.lang.eval import EvalContext

        return EvalContext(dict(self.root_context.variables), self.root_context.functions)

    def redecoder(
        self, kind: str, block: ComponentBlock, override: Any
    ) -> Callable[[Mapping[str, Any]], Any]:
        return _redecoder(
            self.config, kind, block, self.build_name, self.source_object, override, self.templates
        )


def _decode_provisioner(scope: _Scope, block: ComponentBlock) -> tuple[ProvisionerSpec | None, Diagnostics]:
    override = block.override.get(scope.source_name)
    decoded, raw, diagnostics = _decode_component(
        scope.config,
        "provisioner",
        block.type,
        block.body,
        scope.eval_context(),
        block.range,
        override,
        scope.templates,
    )
    if diagnostics.has_errors():
        return None, diagnostics
    spec = ProvisionerSpec(
        block.type,
        decoded,
        block.display_name,
        block.range,
        raw.values,
        raw.ranges,
        pause_before=block.pause_before,
        max_retries=block.max_retries,
        timeout=block.timeout,
        continue_on_error=block.continue_on_error,
        reevaluate=scope.redecoder("provisioner", block, override),
    )
    return spec, diagnostics


def _decode_chains(
    scope: _Scope, build: BuildBlock, source_ref: str, except_globs: list[Any]
) -> tuple[list[list[PostProcessorSpec]], Diagnostics]:
    diagnostics = Diagnostics()
    ctx = scope.eval_context()
    chains = []
    for chain in build.post_processor_chains:
        specs = []
        for block in chain:
            if not block.want_for(source_ref):
                continue
            # `-except` naming a post-processor drops it and every later one in its chain.
            if _matches(except_globs, block.display_name):
                break
            decoded, raw, problems = _decode_component(
                scope.config,
                "post-processor",
                block.type,
                block.body,
                ctx,
                block.range,
                None,
                scope.templates,
            )
            diagnostics.extend(problems)
            if not problems.has_errors():
                specs.append(
                    PostProcessorSpec(
                        block.type,
                        decoded,
                        block.display_name,
                        block.range,
                        raw.values,
                        raw.ranges,
                        keep_input_artifact=block.keep_input_artifact,
                        reevaluate=scope.redecoder("post-processor", block, None),
                    )
                )
        if specs:
            chains.append(specs)
    return chains, diagnostics


def _sensitive_values(config: PackerConfig, builder: ComponentSpec, *groups: Any) -> list[str]:
    """Return the strings to mask: sensitive variables and locals, and options declared sensitive."""
    found = set(config.sensitive_values)
    specs = [builder]
    for group in groups:
        if isinstance(group, ComponentSpec):
            specs.append(group)
        elif isinstance(group, list):
            for item in group:
                specs.extend(item if isinstance(item, list) else [item])
    for spec in specs:
        found.update(sensitive_options(spec.config))
    return sorted(found)


def sensitive_options(component_config: Any) -> list[str]:
    """Return the non-empty string values of options a config dataclass declares sensitive."""
    from kiln.sdk.config import option_info

    if not dataclasses.is_dataclass(component_config):
        return []
    found: list[str] = []
    for config_field in dataclasses.fields(component_config):
        value = getattr(component_config, config_field.name)
        if dataclasses.is_dataclass(value):
            found.extend(sensitive_options(value))
        elif (
            option_info(config_field).sensitive and isinstance(value, str) and value not in ("", UNKNOWN_TEXT)
        ):
            found.append(value)
    return found
