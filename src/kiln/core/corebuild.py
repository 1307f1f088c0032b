"""One build: prepare its components, run the builder, then the post-processor chains."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any

from kiln.core.hook import CoreProvisionHook
from kiln.core.policy import BuildPolicy, OnError
from kiln.core.registry import ComponentKind, lookup
from kiln.core.render import RenderData, render_config
from kiln.sdk.artifact import Artifact
from kiln.sdk.component import (
    BuildContext,
    Builder,
    BuildInfo,
    GeneratedData,
    PostProcessContext,
    PostProcessor,
)
from kiln.sdk.config import ConfigProblems
from kiln.sdk.plan import BuildPlan, ComponentSpec, PostProcessorSpec
from kiln.sdk.ui import Ui

logger = logging.getLogger(__name__)


class BuildError(Exception):
    """A build failed; the message is shown as `Build 'NAME' errored after D: MESSAGE`."""


class MultiError(BuildError):
    """Several errors of one build, formatted as Packer's `N error(s) occurred:` list."""

    def __init__(self, errors: list[BaseException]) -> None:
        self.errors = errors
        points = "\n".join(f"* {error}" for error in errors)
        super().__init__(f"{len(errors)} error(s) occurred:\n\n{points}")


@dataclass
class PreparedBuild:
    """A plan whose components were found and prepared; `warnings` are shown before building."""

    plan: BuildPlan
    info: BuildInfo
    builder: Builder[Any]
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.plan.name


def component_problems(error: Exception) -> list[str]:
    """Return the messages of a failed prepare, one per problem."""
    if isinstance(error, ConfigProblems):
        return [problem.message for problem in error.problems]
    return [str(error)]


def prepare_failure(plan: BuildPlan, problems: list[str]) -> str:
    """Word a build's prepare problems as Packer does, with Go's multierror list."""
    count = "1 error occurred" if len(problems) == 1 else f"{len(problems)} errors occurred"
    points = "".join(f"\n\t* {problem}" for problem in problems)
    return f'Error: Failed to prepare build: "{plan.name}"\n\n{count}:{points}\n'


def prepare_build(plan: BuildPlan, info: BuildInfo) -> tuple[PreparedBuild | None, list[str]]:
    """Find and prepare every component of `plan`; return the build, or None and the errors."""
    errors: list[str] = []
    warnings: list[str] = []
    builder_class = lookup(ComponentKind.BUILDER, plan.builder.type)
    if builder_class is None:
        return None, [f'builder type "{plan.builder.type}" is not known']
    builder: Builder[Any] = builder_class()
    try:
        warnings += builder.prepare(inject_packer_config(plan.builder.config, info))
    except (ConfigProblems, ValueError) as error:
        errors += component_problems(error)

    checks: list[tuple[ComponentKind, ComponentSpec]] = [
        (ComponentKind.PROVISIONER, spec) for spec in plan.provisioners
    ]
    if plan.error_cleanup_provisioner is not None:
        checks.append((ComponentKind.PROVISIONER, plan.error_cleanup_provisioner))
    checks += [(ComponentKind.POST_PROCESSOR, spec) for chain in plan.post_processor_chains for spec in chain]
    for kind, spec in checks:
        component_class = lookup(kind, spec.type)
        if component_class is None:
            errors.append(f'{kind.value} type "{spec.type}" is not known')
            continue
        # Configs may still contain placeholders for generated data. This first prepare reports
        # the problems that do not depend on them, and the component is prepared again to run.
        try:
            # A copy, because prepare may fill in defaults that must not leak into the plan.
            warnings += component_class().prepare(inject_packer_config(copy.deepcopy(spec.config), info))
        except (ConfigProblems, ValueError) as error:
            errors += component_problems(error)
    if errors:
        return None, [prepare_failure(plan, errors)]
    return PreparedBuild(plan, info, builder, warnings), []


def inject_packer_config(config: Any, info: BuildInfo) -> Any:
    """Set the `packer_*` options every Packer component receives, where the config declares them."""
    values = {
        "packer_build_name": info.build_name,
        "packer_builder_type": info.builder_type,
        "packer_debug": info.debug,
        "packer_force": info.force,
        "packer_on_error": info.on_error,
    }
    names = {item.name for item in dataclasses.fields(config)} if dataclasses.is_dataclass(config) else set()
    changes = {key: value for key, value in values.items() if key in names}
    return dataclasses.replace(config, **changes) if changes else config


def describe_error(error: BaseException) -> str:
    """Return an error's message, with a file system error as `REASON: PATH` and no errno."""
    if isinstance(error, OSError) and error.strerror:
        paths = [str(path) for path in (error.filename, error.filename2) if path is not None]
        return f"{error.strerror}: {' -> '.join(paths)}" if paths else error.strerror
    return str(error)


async def run_build(build: PreparedBuild, ui: Ui) -> list[Artifact]:
    """Run the builder and post-processors of `build`; raise BuildError when anything failed."""
    plan = build.plan
    hook = CoreProvisionHook(ui, build.info, plan.provisioners, plan.error_cleanup_provisioner)
    policy = BuildPolicy(ui, OnError(build.info.on_error or "cleanup"), build.info.debug)
    context = BuildContext(ui, hook, build.info, GeneratedData(), policy)

    logger.info("running builder %s for build %s", plan.builder.type, plan.name)
    try:
        builder_artifact = await build.builder.run(context)
    except asyncio.CancelledError:
        raise
    except Exception as error:
        logger.debug("builder of %s failed", plan.name, exc_info=True)
        raise BuildError(describe_error(error)) from error
    if builder_artifact is None:
        return []

    return await run_post_processors(build, ui, builder_artifact, context.generated)


async def run_post_processors(
    build: PreparedBuild, ui: Ui, builder_artifact: Artifact, generated: GeneratedData
) -> list[Artifact]:
    """Run each post-processor chain on the builder's artifact, keeping artifacts as Packer does."""
    chains = build.plan.post_processor_chains
    errors: list[BaseException] = []
    artifacts: list[Artifact] = []
    keep_original = not chains
    data = generated_template_data(builder_artifact, generated, build.info)

    for chain in chains:
        prior = builder_artifact
        for index, spec in enumerate(chain):
            announce_post_processor(ui, spec)
            try:
                result = await run_post_processor(spec, ui, build.info, generated, prior, data)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.debug("post-processor %s failed", spec.type, exc_info=True)
                errors.append(BuildError(f"Post-processor failed: {describe_error(error)}"))
                prior = None
                break
            if result.artifact is None:
                logger.info("post-processor %s returned no artifact; ending its chain", spec.type)
                prior = None
                break
            keep = decide_keep(spec, result.keep, result.force_override)
            if index == 0:
                keep_original = keep_original or keep
            elif keep:
                artifacts.append(prior)
            else:
                await destroy_artifact(prior, spec.type, errors)
            prior = result.artifact
        if prior is not None:
            artifacts.append(prior)

    if keep_original:
        artifacts.insert(0, builder_artifact)
    else:
        await destroy_artifact(builder_artifact, build.plan.builder.type, errors)
    if errors:
        raise MultiErrorWithArtifacts(errors, artifacts)
    return artifacts


class MultiErrorWithArtifacts(MultiError):
    """Post-processing errors; the artifacts that were made are still listed in the summary."""

    def __init__(self, errors: list[BaseException], artifacts: list[Artifact]) -> None:
        super().__init__(errors)
        self.artifacts = artifacts


def announce_post_processor(ui: Ui, spec: PostProcessorSpec) -> None:
    if spec.name == spec.type:
        ui.say(f"Running post-processor: {spec.type}")
    else:
        ui.say(f"Running post-processor: {spec.name} (type {spec.type})")


async def run_post_processor(
    spec: PostProcessorSpec,
    ui: Ui,
    info: BuildInfo,
    generated: GeneratedData,
    artifact: Artifact,
    data: dict[str, Any],
) -> Any:
    post_processor_class = lookup(ComponentKind.POST_PROCESSOR, spec.type)
    if post_processor_class is None:
        raise BuildError(f"unknown post-processor type {spec.type!r}")
    post_processor: PostProcessor[Any] = post_processor_class()
    values = RenderData(data, info.build_name, info.builder_type, info.user_variables)
    config = spec.reevaluate(data) if spec.reevaluate is not None else spec.config
    config = render_config(config, values, post_processor_class.render_exclude)
    post_processor.prepare(inject_packer_config(config, info))
    target_ui = ui.for_target(f"{info.full_name} ({spec.type})")
    return await post_processor.post_process(PostProcessContext(target_ui, info, generated), artifact)


def decide_keep(spec: PostProcessorSpec, default_keep: bool, force_override: bool) -> bool:
    """Apply the user's `keep_input_artifact`, unless the post-processor forces keeping."""
    if spec.keep_input_artifact is None:
        return default_keep
    if default_keep and not spec.keep_input_artifact and force_override:
        logger.info(
            "post-processor %s forces keeping its input artifact; ignoring keep_input_artifact = false",
            spec.type,
        )
        return True
    return spec.keep_input_artifact


async def destroy_artifact(artifact: Artifact, owner: str, errors: list[BaseException]) -> None:
    try:
        await artifact.destroy()
    except OSError as error:
        errors.append(BuildError(f"Failed cleaning up prior artifact: {error}; pp is {owner}"))


def generated_template_data(artifact: Artifact, generated: GeneratedData, info: BuildInfo) -> dict[str, Any]:
    """Return the data post-processor placeholders see: the builder's generated data and build facts."""
    data = generated.template_data(info.run_uuid)
    state = artifact.state("generated_data")
    if isinstance(state, dict):
        data.update(state)
    data.setdefault("BuildName", info.build_name)
    data.setdefault("BuilderType", info.builder_type)
    return data
