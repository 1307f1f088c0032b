"""Build blocks: decoding them, and turning each used source into a `BuildPlan`.

A build's name for `-only`/`-except` is `TYPE.NAME` (the source's type and its name in the
build, which an inline `source "T.N" { name = "x" }` block may change), prefixed with
`BUILD.` when the build block has a name. Provisioner and post-processor `only`/`except`
lists match the unprefixed `TYPE.NAME`. As in Packer, `-except` also matches post-processors
by name (or type when unnamed) and then drops the rest of that chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiln.hcl.diagnostics import Diagnostics, Range, error
from kiln.hcl.schema import Block
from kiln.sdk.config import Duration
from kiln.template import schemas
from kiln.template.model import BuildBlock, ComponentBlock, SourceUse

if TYPE_CHECKING:
    from kiln.template.config import PackerConfig


def parse_source_reference(text: str) -> tuple[str, str] | None:
    """Split `source.TYPE.NAME` or `TYPE.NAME` into (TYPE, NAME); None when malformed."""
    parts = text.split(".")
    if len(parts) > 2:
        parts = parts[1:] if parts[0] == "source" or len(parts) == 3 else parts
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


def decode_build_blocks(config: PackerConfig) -> tuple[list[BuildBlock], Diagnostics]:
    diagnostics = Diagnostics()
    builds = []
    for block in config.build_blocks:
        build, problems = _decode_build_block(config, block)
        diagnostics.extend(problems)
        if build is not None:
            builds.append(build)
    return builds, diagnostics


def _decode_build_block(config: PackerConfig, block: Block) -> tuple[BuildBlock | None, Diagnostics]:
    from kiln.template.values import evaluate, static_value, want_string, want_string_list

    from kiln.lang.dynblock import expand

    # `dynamic "source"` and `dynamic "provisioner"` blocks expand into one block per element.
    content, problems = expand(block.body, config.eval_context()).content(schemas.BUILD_SCHEMA)
    diagnostics = Diagnostics(problems)
    if diagnostics.has_errors():
        return None, diagnostics
    build = BuildBlock(block.def_range, body=block.body)
    ctx = config.eval_context()
    for attribute_name in ("name", "description"):
        attribute = content.attributes.get(attribute_name)
        if attribute is None:
            continue
        value, problems = evaluate(attribute.expr, ctx)
        text, problems = want_string(value, attribute.expr.range, problems)
        diagnostics.extend(problems)
        setattr(build, attribute_name, text or "")

    if "sources" in content.attributes:
        attribute = content.attributes["sources"]
        value, problems = static_value(attribute.expr)
        references, more = (
            want_string_list(value, attribute.expr.range) if not problems.has_errors() else (None, problems)
        )
        diagnostics.extend(more)
        for reference in references or []:
            diagnostics.extend(_add_source_use(config, build, reference, attribute.expr.range, None))
    from kiln.template.plans import build_object

    # Meta-arguments may use `build.name`; the generated values stay placeholders.
    ctx = config.eval_context(build=build_object(build.name))
    diagnostics.extend(_decode_build_children(config, build, content.blocks, ctx))

    if not build.sources and not diagnostics.has_errors():
        # Packer's wording, lower case included, which scripts and tests match.
        diagnostics.append(
            error(
                "missing source reference",
                "a build block must reference at least one source to be built",
                block.def_range,
            )
        )
    return build, diagnostics


def _decode_build_children(
    config: PackerConfig, build: BuildBlock, blocks: list[Block], ctx: Any
) -> Diagnostics:
    diagnostics = Diagnostics()
    for child in blocks:
        if child.type == "source":
            diagnostics.extend(_decode_source_use(config, build, child, ctx))
        elif child.type == "provisioner":
            component, problems = decode_component_block(config, child, "provisioner", ctx)
            diagnostics.extend(problems)
            if component is not None:
                build.provisioners.append(component)
        elif child.type == "error-cleanup-provisioner":
            if build.error_cleanup_provisioner is not None:
                diagnostics.append(
                    error(
                        "Only one error-cleanup-provisioner block is allowed",
                        "This build already has an error-cleanup-provisioner block; keep one.",
                        child.def_range,
                    )
                )
                continue
            component, problems = decode_component_block(config, child, "provisioner", ctx)
            diagnostics.extend(problems)
            build.error_cleanup_provisioner = component
        elif child.type == "post-processor":
            component, problems = decode_component_block(config, child, "post-processor", ctx)
            diagnostics.extend(problems)
            if component is not None:
                build.post_processor_chains.append([component])
        elif child.type == "post-processors":
            diagnostics.extend(_decode_post_processors_block(config, build, child, ctx))
        # NOTE: hcp_packer_registry blocks are accepted and ignored: kiln has no HCP Packer support.
    return diagnostics


def _decode_post_processors_block(
    config: PackerConfig, build: BuildBlock, block: Block, ctx: Any
) -> Diagnostics:
    content, problems = block.body.content(schemas.POST_PROCESSORS_SCHEMA)
    diagnostics = Diagnostics(problems)
    chain = []
    for child in content.blocks:
        component, problems = decode_component_block(config, child, "post-processor", ctx)
        diagnostics.extend(problems)
        if component is not None:
            chain.append(component)
    if chain:
        build.post_processor_chains.append(chain)
    return diagnostics


def _add_source_use(
    config: PackerConfig, build: BuildBlock, reference: str, subject: Range, use_block: Block | None
) -> Diagnostics:
    parsed = parse_source_reference(reference)
    if parsed is None:
        return Diagnostics(
            [
                error(
                    "Invalid " + ("source block" if use_block else "sources") + " reference",
                    f'"{reference}" is not a source reference. A valid source reference looks like '
                    '"source.type.name", for example "source.null.example".',
                    subject,
                )
            ]
        )
    use = SourceUse(parsed[0], parsed[1], subject)
    build.sources.append(use)
    if use.ref not in config.source_blocks:
        known = ", ".join(sorted(config.source_blocks))
        return Diagnostics([error(f"Unknown source {use.ref}", f"Known: [{known}]", subject)])
    return Diagnostics()


def _decode_source_use(config: PackerConfig, build: BuildBlock, block: Block, ctx: Any) -> Diagnostics:
    from kiln.template.values import evaluate, want_string

    subject = block.label_ranges[0] if block.label_ranges else block.def_range
    count = len(build.sources)
    diagnostics = _add_source_use(config, build, block.labels[0], subject, block)
    if len(build.sources) == count:
        return diagnostics
    use = build.sources[-1]
    content, rest, problems = block.body.partial_content(schemas.SOURCE_USE_SCHEMA)
    diagnostics.extend(problems)
    use.body = rest
    if "name" in content.attributes:
        attribute = content.attributes["name"]
        value, problems = evaluate(attribute.expr, ctx)
        name, problems = want_string(value, attribute.expr.range, problems)
        diagnostics.extend(problems)
        use.local_name = name or ""
    return diagnostics


def decode_component_block(
    config: PackerConfig, block: Block, kind: str, ctx: Any
) -> tuple[ComponentBlock | None, Diagnostics]:
    """Read a provisioner or post-processor block's meta-arguments; keep the rest for later."""
    meta_names = (
        schemas.PROVISIONER_META_ARGUMENTS if kind == "provisioner" else schemas.POST_PROCESSOR_META_ARGUMENTS
    )
    content, rest, problems = block.body.partial_content(schemas.meta_schema(meta_names))
    diagnostics = Diagnostics(problems)
    type_range = block.label_ranges[0] if block.label_ranges else block.def_range
    component = ComponentBlock(kind, block.labels[0], rest, block.def_range, type_range)
    if config.lookup is not None and config.lookup(kind, component.type) is None:
        from kiln.hcl.diagnostics import did_you_mean
        from kiln.template.lookup import known_types

        suggestion = did_you_mean(component.type, known_types(config.lookup, kind))
        diagnostics.append(
            error(
                f"Unknown {kind} type {component.type}",
                f'No {kind} named "{component.type}" is installed.{suggestion}',
                type_range,
            )
        )
        return None, diagnostics
    for name, attribute in content.attributes.items():
        diagnostics.extend(_apply_meta_argument(component, name, attribute, ctx))
    if component.only and component.except_:
        diagnostics.append(
            error(
                "Only one of only and except may be set",
                f"This {kind} block sets both `only` and `except`; keep one of them.",
                block.def_range,
            )
        )
    return component, diagnostics


def _apply_meta_argument(component: ComponentBlock, name: str, attribute: Any, ctx: Any) -> Diagnostics:
    from kiln.template.values import evaluate, to_plain, want_string, want_string_list

    value, diagnostics = evaluate(attribute.expr, ctx)
    if diagnostics.has_errors():
        return diagnostics
    subject = attribute.expr.range
    if name == "name":
        text, problems = want_string(value, subject)
        component.name = text or ""
    elif name in ("only", "except"):
        names, problems = want_string_list(value, subject)
        setattr(component, "only" if name == "only" else "except_", names or [])
    elif name in ("pause_before", "timeout"):
        text, problems = want_string(value, subject)
        problems.extend(_set_duration(component, name, text, subject))
    elif name == "max_retries":
        problems = _set_max_retries(component, to_plain(value), subject)
    elif name in ("continue_on_error", "keep_input_artifact"):
        plain = to_plain(value)
        problems = Diagnostics()
        if isinstance(plain, str) and plain.lower() in ("true", "false"):
            plain = plain.lower() == "true"
        if not isinstance(plain, bool):
            problems.append(
                error(
                    "Incorrect attribute value type",
                    f'Inappropriate value for attribute "{name}": bool required.',
                    subject,
                )
            )
        else:
            setattr(component, name, plain)
    else:  # override
        problems = _set_override(component, value, subject)
    diagnostics.extend(problems)
    return diagnostics


def _set_duration(component: ComponentBlock, name: str, text: str | None, subject: Range) -> Diagnostics:
    if text is None:
        return Diagnostics()
    try:
        seconds = float(Duration.parse(text))
    except ValueError as problem:
        return Diagnostics(
            [
                error(
                    f"Invalid {name} duration",
                    f'{problem}; write a duration such as "10s" or "1m30s".',
                    subject,
                )
            ]
        )
    setattr(component, name, seconds)
    return Diagnostics()


def _set_max_retries(component: ComponentBlock, plain: Any, subject: Range) -> Diagnostics:
    try:
        component.max_retries = int(plain) if not isinstance(plain, bool) else int("x")
    except (TypeError, ValueError):
        return Diagnostics(
            [
                error(
                    "Incorrect attribute value type",
                    'Inappropriate value for attribute "max_retries": number required.',
                    subject,
                )
            ]
        )
    return Diagnostics()


def _set_override(component: ComponentBlock, value: Any, subject: Range) -> Diagnostics:
    from kiln.template.values import to_plain

    unmarked = value.unmark_deep()[0]
    if not (unmarked.type.is_object() or unmarked.type.is_map()):
        return Diagnostics([error("provisioner's override block must be an HCL object", "", subject)])
    override: dict[str, Any] = {}
    for source_name, entry in unmarked.items():
        if not (entry.type.is_object() or entry.type.is_map()):
            return Diagnostics(
                [error(f"provisioner's override.'{source_name}' block must be an HCL object", "", subject)]
            )
        override[source_name] = to_plain(entry)
    component.override = override
    return Diagnostics()
