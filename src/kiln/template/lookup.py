"""How the template layer finds a component's configuration class without importing kiln.core.

kiln.core passes a `ComponentLookup`: given a kind ("builder", "provisioner",
"post-processor" or "datasource") and a type name ("qemu", "shell"), it returns the
component's config dataclass, or None when no such component is installed. A lookup may
also offer `known_types(kind)` so that a message about an unknown name can suggest a near one,
and `datasource_output_class(type_name)` so that a data source that is not executed (as in
`validate`) still has an unknown value of its output's type.

    def lookup(kind: str, type_name: str) -> type | None:
        return REGISTRY.get((kind, type_name))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

ComponentLookup = Callable[[str, str], "type | None"]

COMPONENT_KINDS = ("builder", "provisioner", "post-processor", "datasource")


def known_types(lookup: ComponentLookup | None, kind: str) -> Iterable[str]:
    """Return the type names `lookup` can list for `kind`, or nothing when it cannot list them."""
    lister = getattr(lookup, "known_types", None)
    if lister is None:
        return ()
    return list(lister(kind))


def datasource_output_class(lookup: ComponentLookup | None, type_name: str) -> type | None:
    """Return the output dataclass of a data source, or None when `lookup` does not offer it."""
    finder = getattr(lookup, "datasource_output_class", None)
    if finder is None:
        return None
    return finder(type_name)
