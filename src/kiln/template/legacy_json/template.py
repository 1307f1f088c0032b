"""Legacy JSON templates: the `builders` / `provisioners` / `post-processors` format.

`parse_template` reads the file into a `LegacyTemplate` and checks its shape as Packer does
(root keys, duplicate keys, post-processor nesting, only/except/override naming existing
builders). `resolve_variables` applies defaults, `-var-file` files and `-var` values with
user variables referring to each other. `plan_builds` turns it into `BuildPlan`s, rendering
each component's options with Packer's template functions and leaving `{{ .Field }}` data
references for the engine to fill in while the build runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiln import PACKER_COMPAT_VERSION
from kiln.hcl.diagnostics import Diagnostics, Pos, Range, error
from kiln.sdk.config import Duration
from kiln.sdk.interpolate.gotemplate import TemplateError
from kiln.sdk.interpolate.packer import Context, render
from kiln.sdk.plan import BuildPlan, ComponentSpec, PostProcessorSpec, ProvisionerSpec
from kiln.template.legacy_json.decode import decode_plain

# Maps (kind, type name) to the component's config dataclass, or None when unknown.
ComponentLookup = Callable[[str, str], "type | None"]

_ROOT_KEYS = {
    "builders",
    "provisioners",
    "post-processors",
    "variables",
    "sensitive-variables",
    "min_packer_version",
    "description",
    "error-cleanup-provisioner",
    "push",
}
_PROVISIONER_META = {"type", "only", "except", "override", "pause_before", "max_retries", "timeout", "name"}
_POST_PROCESSOR_META = {"type", "only", "except", "keep_input_artifact", "name"}


@dataclass(slots=True)
class RawComponent:
    """One component object of the template, its meta keys split from its options."""

    type: str
    name: str
    options: dict[str, Any]
    only: list[str] = field(default_factory=list)
    except_: list[str] = field(default_factory=list)
    override: dict[str, dict[str, Any]] = field(default_factory=dict)
    pause_before: str = ""
    max_retries: str = ""
    timeout: str = ""
    keep_input_artifact: bool | None = None


@dataclass(slots=True)
class LegacyTemplate:
    path: str  # the template file, "-" for standard input
    description: str = ""
    min_packer_version: str = ""
    variables: dict[str, str | None] = field(default_factory=dict)  # None: required
    sensitive_variables: list[str] = field(default_factory=list)
    builders: list[RawComponent] = field(default_factory=list)
    provisioners: list[RawComponent] = field(default_factory=list)
    error_cleanup_provisioner: RawComponent | None = None
    post_processors: list[list[RawComponent]] = field(default_factory=list)

    @property
    def template_dir(self) -> str:
        return str(Path(self.path).resolve().parent) if self.path != "-" else str(Path.cwd())


class _DuplicateKey(Exception):
    pass


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _json_error_range(filename: str, source: str, position: int) -> Range:
    line = source.count("\n", 0, position) + 1
    column = position - (source.rfind("\n", 0, position) + 1) + 1
    byte = len(source[:position].encode())
    return Range(filename, Pos(line, column, byte), Pos(line, column + 1, byte + 1))


def load_json(source: bytes, filename: str) -> tuple[Any, Diagnostics]:
    """Parse JSON, rejecting duplicate keys, with a ranged diagnostic on syntax errors."""
    diagnostics = Diagnostics()
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as exc:
        subject = Range(filename, Pos(1, 1, exc.start), Pos(1, 1, exc.start + 1))
        diagnostics.append(error("Invalid UTF-8", f"The template is not valid UTF-8 text (byte {exc.start}).", subject))
        return None, diagnostics
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates), diagnostics
    except _DuplicateKey as exc:
        diagnostics.append(error("Failed to parse template", f"template has duplicate field: {exc}"))
    except json.JSONDecodeError as exc:
        subject = _json_error_range(filename, text, exc.pos)
        diagnostics.append(error("Failed to parse template", f"Error parsing JSON: {exc.msg}", subject))
    return None, diagnostics


def _string_list(value: Any, what: str, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    problems.append(f"{what}: expected a list of strings")
    return []


def _raw_component(data: Any, kind: str, index: int, meta: set[str], problems: list[str]) -> RawComponent | None:
    if isinstance(data, str) and kind == "post-processor":
        data = {"type": data}
    if not isinstance(data, dict):
        problems.append(f"{kind} {index + 1}: must be an object")
        return None
    type_name = data.get("type")
    if not isinstance(type_name, str) or not type_name:
        problems.append(f"{kind} {index + 1}: missing 'type'")
        return None
    what = f"{kind} {index + 1}"
    component = RawComponent(
        type=type_name,
        name=str(data.get("name") or type_name),
        options={key: value for key, value in data.items() if key not in meta},
        only=_string_list(data.get("only"), f"{what}: only", problems),
        except_=_string_list(data.get("except"), f"{what}: except", problems),
    )
    if component.only and component.except_:
        problems.append(f"{what}: only one of 'only' or 'except' may be specified")
    if "override" in data:
        if isinstance(data["override"], dict):
            component.override = data["override"]
        else:
            problems.append(f"{what}: override must be an object")
    for key in ("pause_before", "max_retries", "timeout"):
        if key in data and data[key] is not None:
            setattr(component, key, str(data[key]))
    if "keep_input_artifact" in data:
        component.keep_input_artifact = bool(data["keep_input_artifact"])
    return component


def _parse_post_processors(value: Any, problems: list[str]) -> list[list[RawComponent]]:
    if not isinstance(value, list):
        problems.append("post-processors: must be an array")
        return []
    chains: list[list[RawComponent]] = []
    for index, entry in enumerate(value):
        members = entry if isinstance(entry, list) else [entry]
        chain: list[RawComponent] = []
        for member in members:
            if isinstance(member, list):
                problems.append(f"post-processor {index + 1}: nested arrays are not allowed")
                continue
            component = _raw_component(member, "post-processor", index, _POST_PROCESSOR_META, problems)
            if component:
                chain.append(component)
        if chain:
            chains.append(chain)
    return chains


def parse_template(source: bytes, filename: str) -> tuple[LegacyTemplate | None, Diagnostics]:
    """Read a legacy JSON template and check its structure."""
    data, diagnostics = load_json(source, filename)
    if diagnostics.has_errors():
        return None, diagnostics
    if not isinstance(data, dict):
        diagnostics.append(error("Failed to parse template", "The template must be a JSON object."))
        return None, diagnostics

    problems: list[str] = []
    for key, value in data.items():
        if key.startswith("_"):
            if not isinstance(value, str):
                problems.append(f"Root level comment '{key}' must be a string")
        elif key not in _ROOT_KEYS:
            problems.append(f"Unknown root level key in template: '{key}'")

    template = LegacyTemplate(path=filename)
    template.description = str(data.get("description") or "")
    template.min_packer_version = str(data.get("min_packer_version") or "")
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        problems.append("variables: must be an object")
        variables = {}
    for name, default in variables.items():
        template.variables[name] = None if default is None else _as_text(default)
    template.sensitive_variables = _string_list(data.get("sensitive-variables"), "sensitive-variables", problems)

    builders = data.get("builders") or []
    if not isinstance(builders, list):
        problems.append("builders: must be an array")
        builders = []
    for index, entry in enumerate(builders):
        component = _raw_component(entry, "builder", index, {"type", "name"}, problems)
        if component:
            template.builders.append(component)
    names = [builder.name for builder in template.builders]
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(f"builder {name}: builder with this name already exists")

    for index, entry in enumerate(data.get("provisioners") or []):
        component = _raw_component(entry, "provisioner", index, _PROVISIONER_META, problems)
        if component:
            template.provisioners.append(component)
    if data.get("error-cleanup-provisioner") is not None:
        template.error_cleanup_provisioner = _raw_component(
            data["error-cleanup-provisioner"], "error-cleanup-provisioner", 0, _PROVISIONER_META, problems
        )
    if "post-processors" in data:
        template.post_processors = _parse_post_processors(data["post-processors"], problems)

    _check_builder_references(template, set(names), problems)
    for problem in problems:
        diagnostics.append(error("Failed to parse template", problem))
    return template, diagnostics


def _check_builder_references(template: LegacyTemplate, names: set[str], problems: list[str]) -> None:
    components = [*template.provisioners, *(pp for chain in template.post_processors for pp in chain)]
    for component in components:
        for reference in [*component.only, *component.except_, *component.override]:
            if reference not in names:
                problems.append(f"{component.type}: '{reference}' is not a known builder name")


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def check_min_version(template: LegacyTemplate, running: str = PACKER_COMPAT_VERSION) -> Diagnostics:
    diagnostics = Diagnostics()
    if template.min_packer_version and _version_tuple(running) < _version_tuple(template.min_packer_version):
        diagnostics.append(
            error("", f"This template requires Packer version {template.min_packer_version} or higher; using {running}")
        )
    return diagnostics


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version.split("-")[0])[:3])


def resolve_variables(
    template: LegacyTemplate,
    var_files: Sequence[Path] = (),
    cli_vars: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], Diagnostics]:
    """Return user variable values: defaults < var files in order < -var, templates rendered."""
    diagnostics = Diagnostics()
    values: dict[str, str | None] = dict(template.variables)
    for var_file in var_files:
        try:
            data, file_diagnostics = load_json(var_file.read_bytes(), str(var_file))
        except OSError as exc:
            diagnostics.append(error("Failed to read variable file", f"{var_file}: {exc.strerror}"))
            continue
        diagnostics.extend(file_diagnostics)
        if isinstance(data, dict):
            values.update({key: _as_text(value) for key, value in data.items()})
        elif data is not None:
            diagnostics.append(error("Invalid variable file", f"{var_file}: must be a JSON object of strings"))
    values.update(cli_vars or {})

    missing = sorted(name for name, value in values.items() if value is None)
    for name in missing:
        diagnostics.append(error("Required variable not set", f"required variable not set: {name}"))
    if diagnostics.has_errors():
        return {}, diagnostics

    resolved: dict[str, str] = {name: value for name, value in values.items() if value is not None}
    context = Context(user_variables=resolved, enable_env=True, template_dir=template.template_dir)
    # Variables may refer to each other in any order; render until nothing changes, as Packer does.
    for _ in range(100):
        changed = False
        for name in sorted(resolved):
            try:
                rendered = render(resolved[name], context)
            except TemplateError as exc:
                if "not set" in str(exc):
                    continue
                diagnostics.append(error("Failed to interpolate variable", f'Failed to interpolate "{name}": {exc}'))
                return {}, diagnostics
            if rendered != resolved[name]:
                resolved[name] = rendered
                changed = True
        if not changed:
            break
    return resolved, diagnostics


class _KeepDataReferences(Mapping[str, Any]):
    """Template data that renders every `{{ .Field }}` as itself, for the engine to fill in later."""

    def __getitem__(self, key: str) -> str:
        return "{{.%s}}" % key

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0


def _render_options(value: Any, context: Context) -> Any:
    if isinstance(value, str):
        return render(value, context)
    if isinstance(value, dict):
        return {key: _render_options(item, context) for key, item in value.items()}
    if isinstance(value, list):
        return [_render_options(item, context) for item in value]
    return value


@dataclass(slots=True)
class _Planner:
    template: LegacyTemplate
    user_variables: dict[str, str]
    lookup: ComponentLookup
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def context(self, builder: RawComponent) -> Context:
        return Context(
            data=_KeepDataReferences(),
            user_variables=self.user_variables,
            build_name=builder.name,
            build_type=builder.type,
            template_dir=self.template.template_dir,
        )

    def decode(self, kind: str, component: RawComponent, options: dict[str, Any], builder: RawComponent) -> Any:
        config_class = self.lookup(kind, component.type)
        if config_class is None:
            self.fail(f"Failed to initialize build '{builder.name}'", f"unknown {kind} type: '{component.type}'")
            return None
        try:
            rendered = _render_options(options, self.context(builder))
        except TemplateError as exc:
            self.fail(f"Failed to initialize build '{builder.name}'", f"{kind} {component.type}: {exc}")
            return None
        config, problems = decode_plain(rendered, config_class)
        for problem in problems:
            self.fail(f"Failed to prepare build: '{builder.name}'", f"{kind} {component.type}: {problem.message}")
        return config

    def fail(self, summary: str, detail: str) -> None:
        self.diagnostics.append(error(summary, detail))

    def duration(self, text: str, what: str) -> float | None:
        if not text:
            return None
        try:
            return float(Duration.parse(text))
        except ValueError as exc:
            self.fail("Failed to parse template", f"{what}: {exc}")
            return None

    def provisioner(self, raw: RawComponent, builder: RawComponent) -> ProvisionerSpec | None:
        options = {**raw.options, **raw.override.get(builder.name, {})}
        before = len(self.diagnostics)
        config = self.decode("provisioner", raw, options, builder)
        retries = 0
        if raw.max_retries:
            try:
                retries = int(render(raw.max_retries, self.context(builder)))
            except (ValueError, TemplateError) as exc:
                self.fail("Failed to parse template", f"max_retries: {exc}")
        pause = self.duration(raw.pause_before, "pause_before") or 0.0
        timeout = self.duration(raw.timeout, "timeout")
        if len(self.diagnostics) > before:
            return None
        return ProvisionerSpec(
            type=raw.type,
            config=config,
            name=raw.name,
            raw_config=options,
            pause_before=pause,
            max_retries=retries,
            timeout=timeout,
        )

    def applies(self, raw: RawComponent, builder: RawComponent) -> bool:
        if raw.only and builder.name not in raw.only:
            return False
        return builder.name not in raw.except_

    def plan(self, builder: RawComponent, excluded: set[str]) -> BuildPlan | None:
        before = len(self.diagnostics)
        config = self.decode("builder", builder, builder.options, builder)
        provisioners = [self.provisioner(raw, builder) for raw in self.template.provisioners if self.applies(raw, builder)]
        cleanup = None
        if self.template.error_cleanup_provisioner is not None:
            cleanup = self.provisioner(self.template.error_cleanup_provisioner, builder)
        chains: list[list[PostProcessorSpec]] = []
        for raw_chain in self.template.post_processors:
            chain: list[PostProcessorSpec] = []
            for raw in raw_chain:
                if raw.name in excluded or raw.type in excluded and raw.name == raw.type:
                    break  # `-except` drops a post-processor and the rest of its chain
                if not self.applies(raw, builder):
                    continue
                pp_config = self.decode("post-processor", raw, raw.options, builder)
                chain.append(
                    PostProcessorSpec(
                        type=raw.type,
                        config=pp_config,
                        name=raw.name,
                        raw_config=raw.options,
                        keep_input_artifact=raw.keep_input_artifact,
                    )
                )
            if chain:
                chains.append(chain)
        if len(self.diagnostics) > before:
            return None
        sensitive = [self.user_variables[name] for name in self.template.sensitive_variables if self.user_variables.get(name)]
        return BuildPlan(
            name=builder.name,
            builder=ComponentSpec(type=builder.type, config=config, name=builder.name, raw_config=builder.options),
            provisioners=[p for p in provisioners if p is not None],
            error_cleanup_provisioner=cleanup,
            post_processor_chains=chains,
            source_name=builder.name,
            sensitive_values=sensitive,
        )


def plan_builds(
    template: LegacyTemplate,
    user_variables: dict[str, str],
    lookup: ComponentLookup,
    only: Sequence[str] = (),
    except_: Sequence[str] = (),
) -> tuple[list[BuildPlan], Diagnostics]:
    """Return a BuildPlan per builder selected by `-only`/`-except` (exact builder names).

    Builds that fail to decode are left out and reported; the others are still returned, as
    Packer still runs the valid builds of a template with one broken builder.
    """
    planner = _Planner(template, user_variables, lookup)
    excluded = set(except_)
    plans: list[BuildPlan] = []
    for builder in template.builders:
        if only and builder.name not in only:
            continue
        if builder.name in excluded:
            continue
        plan = planner.plan(builder, excluded)
        if plan is not None:
            plans.append(plan)
    return plans, planner.diagnostics

