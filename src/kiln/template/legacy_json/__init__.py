"""Legacy JSON templates (`builders`, `provisioners`, `post-processors`) and their variables."""

from kiln.template.legacy_json.template import (
    LegacyTemplate,
    check_min_version,
    parse_template,
    plan_builds,
    resolve_variables,
)

__all__ = ["LegacyTemplate", "check_min_version", "parse_template", "plan_builds", "resolve_variables"]
