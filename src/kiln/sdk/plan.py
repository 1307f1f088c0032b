"""Concrete builds: what the template layer hands to the engine.

Loading a template (HCL2, HCL-JSON or legacy JSON) yields one `BuildPlan` per source in each
build block, after `-only`/`-except` filtering, with every component's configuration already
decoded into its config dataclass. Go templates that read values existing only while a build
runs (`{{ .HTTPPort }}`, `{{ build `Host` }}`) are left in the configuration and rendered by
the engine with the builder's generated data just before a provisioner or post-processor runs.
HCL components read `build.Host` as "<unknown>" until then, and offer `reevaluate`, which
decodes their block again with the real values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiln.hcl.diagnostics import Range


@dataclass(slots=True)
class ComponentSpec:
    """A configured component: its type, its name in the template and its decoded config."""

    type: str  # the component type, e.g. "shell", "qemu", "manifest"
    config: Any  # an instance of the component's config dataclass
    name: str = ""  # the block's `name` argument (or type when unnamed), as Packer names it
    range: Range | None = None  # the block's definition, for runtime diagnostics
    raw_config: Any = None  # the undecoded configuration, for hashing and re-decoding
    # Where each top-level option was written, by its template name, so that a problem
    # `prepare` reports at an option's path can be shown at that option.
    option_ranges: dict[str, Range] = field(default_factory=dict)
    # Re-evaluates the block with the builder's generated data (Packer's names: "ID", "Host")
    # and returns a fresh config, so `upper(build.ID)` gets the real value. None: the engine
    # renders the `{{ .ID }}` placeholders left in `config` instead.
    reevaluate: Callable[[Mapping[str, Any]], Any] | None = field(default=None, kw_only=True)


@dataclass(slots=True)
class ProvisionerSpec(ComponentSpec):
    """A provisioner with Packer's meta-arguments; `only`/`except`/`override` already applied."""

    pause_before: float = 0.0  # seconds
    max_retries: int = 0
    timeout: float | None = None  # seconds; None means no limit
    continue_on_error: bool = False


@dataclass(slots=True)
class PostProcessorSpec(ComponentSpec):
    keep_input_artifact: bool | None = None  # None: the post-processor decides


@dataclass(slots=True)
class BuildPlan:
    """One build to run: a builder, its provisioners and its post-processor chains."""

    name: str  # what -only/-except match and output lines are prefixed with, e.g. "qemu.base"
    builder: ComponentSpec
    provisioners: list[ProvisionerSpec] = field(default_factory=list)
    error_cleanup_provisioner: ProvisionerSpec | None = None
    post_processor_chains: list[list[PostProcessorSpec]] = field(default_factory=list)
    build_block_name: str = ""  # the `build { name = ... }` label, empty when unnamed
    source_name: str = ""  # the source block's name, e.g. "base"
    # Strings to mask in every output line, from sensitive variables and sensitive options.
    sensitive_values: list[str] = field(default_factory=list)
