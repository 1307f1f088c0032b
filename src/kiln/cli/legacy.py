"""Legacy JSON templates behind the same interface the commands use for HCL2 templates."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiln.hcl.diagnostics import Diagnostics, SourceFiles, error


@dataclass(slots=True)
class LegacyConfig:
    """A parsed legacy JSON template with the variable values given on the command line."""

    template: Any  # kiln.template.legacy_json.LegacyTemplate
    lookup: Any
    var_files: list[str]
    cli_vars: dict[str, str]
    sources: SourceFiles = field(default_factory=SourceFiles)
    user_variables: dict[str, str] = field(default_factory=dict)

    def initialize(self, *, evaluate_datasources: bool = False) -> Diagnostics:
        from kiln.template.legacy_json import check_min_version, resolve_variables

        diagnostics = check_min_version(self.template)
        if diagnostics.has_errors():
            return diagnostics
        values, problems = resolve_variables(
            self.template, [Path(name) for name in self.var_files], self.cli_vars
        )
        diagnostics.extend(problems)
        self.user_variables = values
        return diagnostics

    def get_builds(
        self, *, only: list[str] | None = None, except_: list[str] | None = None
    ) -> tuple[list, Diagnostics]:
        from kiln.template.legacy_json import plan_builds

        return plan_builds(self.template, self.user_variables, self.lookup, only or (), except_ or ())


def open_legacy_template(
    path: str,
    lookup: Any,
    var_files: list[str],
    cli_vars: list[tuple[str, str]],
    sources: SourceFiles | None = None,
) -> tuple[LegacyConfig | None, Diagnostics]:
    """Read and check a legacy JSON template from a file, or from standard input for `-`.

    The text read is added to `sources`, so a syntax error can be shown with its line even when
    no template comes back.
    """
    from kiln.template.legacy_json import parse_template

    try:
        source = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as problem:
        reason = problem.strerror or str(problem)
        return None, Diagnostics(
            [error("Failed to read template", f"The template {path} could not be read: {reason}.")]
        )
    if sources is not None:
        sources.add(path, source)
    template, diagnostics = parse_template(source, path)
    if template is None or diagnostics.has_errors():
        diagnostics = Diagnostics(diagnostics)
        if path.endswith(".hcl"):
            # A common slip: HCL2 templates are recognised by their full suffix only.
            diagnostics.append(
                error(
                    "Template read as legacy JSON",
                    f"{path} does not end in .pkr.hcl or .pkr.json, so it was read as a legacy JSON "
                    "template. Rename it to end in .pkr.hcl to read it as HCL2.",
                )
            )
        return None, diagnostics
    config = LegacyConfig(template, lookup, list(var_files), dict(cli_vars))
    config.sources.add(path, source)
    return config, Diagnostics(diagnostics)


def inspect_legacy(template: Any, output: Any) -> None:
    """Print `inspect`'s JSON-mode report: description, variables, builders, provisioners."""
    output.say("Packer Inspect: JSON mode")
    if template.description:
        output.say("Description:\n")
        output.say(template.description + "\n")
    _inspect_variables(template, output)
    output.say("")

    output.say("Builders:\n")
    if not template.builders:
        output.say("  <No builders>")
    width = max((len(builder.name) for builder in template.builders), default=0)
    for builder in sorted(template.builders, key=lambda item: item.name):
        line = "  " + builder.name.ljust(width)
        if builder.name != builder.type:
            line += f" ({builder.type})"
        output.machine("", "template-builder", builder.name, builder.type)
        output.say(line)
    output.say("")

    output.say("Provisioners:\n")
    if not template.provisioners:
        output.say("  <No provisioners>")
    for provisioner in template.provisioners:
        output.machine("", "template-provisioner", provisioner.type)
        output.say(f"  {provisioner.type}")
    output.say(
        "\nNote: If your build names contain user variables or template\n"
        "functions such as 'timestamp', these are processed at build time,\n"
        "and therefore only show in their raw form here."
    )


def _inspect_variables(template: Any, output: Any) -> None:
    variables = template.variables
    if not variables:
        output.say("Variables:\n")
        output.say("  <No variables>")
        return
    required = sorted(name for name, default in variables.items() if default is None)
    if required:
        output.say("Required variables:\n")
        for name in required:
            output.machine("", "template-variable", name, "", "1")
            output.say("  " + name)
        output.say("")
    output.say("Optional variables and their defaults:\n")
    width = max(len(name) for name in variables)
    for name in sorted(variables):
        default = variables[name]
        if default is None:
            continue
        if name in template.sensitive_variables:
            default = "<sensitive>"
        output.machine("", "template-variable", name, default, "0")
        output.say(f"  {name.ljust(width)} = {default}")
