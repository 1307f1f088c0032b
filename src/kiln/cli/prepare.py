"""`validate`'s last check: every component prepares its decoded configuration.

A problem a component reports at an option's path is shown at that option in the template,
or at the component's block when the option was not written there.
"""

from __future__ import annotations

from typing import Any

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, error, warning
from kiln.sdk.config import ConfigProblems


def prepare_plans(plans: list[Any]) -> Diagnostics:
    """Prepare every component of every plan, as Packer's validate does; return the problems."""
    from kiln.core.build import BuildOptions, build_info
    from kiln.core.corebuild import inject_packer_config
    from kiln.core.registry import lookup
    from kiln.core.secrets import SECRETS

    options = BuildOptions()
    diagnostics = Diagnostics()
    for plan in plans:
        # A component may quote an option's value in its problem, so secrets are known first.
        SECRETS.add(*plan.sensitive_values)
        info = build_info(plan, options)
        components = [("builder", "source", plan.builder)]
        components += [("provisioner", "provisioner-block", spec) for spec in plan.provisioners]
        if plan.error_cleanup_provisioner is not None:
            components.append(
                ("provisioner", "error-cleanup-provisioner-block", plan.error_cleanup_provisioner)
            )
        components += [
            ("post-processor", "post-processor-block", spec)
            for chain in plan.post_processor_chains
            for spec in chain
        ]
        for kind, block_name, spec in components:
            component_class = lookup(kind, spec.type)
            if component_class is None:
                diagnostics.append(error(f"Unknown {kind} type {spec.type}", "", spec.range))
                continue
            try:
                for text in component_class().prepare(inject_packer_config(spec.config, info)):
                    diagnostics.append(
                        warning(f'Warning when preparing {block_name} "{spec.type}"', text, spec.range)
                    )
            except ConfigProblems as problems:
                diagnostics.extend(_problem_diagnostics(block_name, spec, problems))
            except ValueError as problem:
                diagnostics.append(
                    error(f'Failed preparing {block_name} "{spec.type}"', str(problem), spec.range)
                )
    return diagnostics


def _problem_diagnostics(block_name: str, spec: Any, problems: ConfigProblems) -> list[Diagnostic]:
    found = []
    for problem in problems.problems:
        option = problem.path[0] if problem.path else None
        subject = spec.option_ranges.get(option, spec.range) if isinstance(option, str) else spec.range
        make = warning if problem.severity == "warning" else error
        found.append(make(f'Failed preparing {block_name} "{spec.type}"', problem.message, subject))
    return found
