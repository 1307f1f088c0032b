"""The Packer configuration model that an HCL2 template decodes into.

Parsing fills the declarations (variables, locals, data sources, sources and the raw build
blocks). `PackerConfig.initialize` evaluates them in dependency order and decodes the
builds, and `PackerConfig.get_builds` turns each build's sources into `BuildPlan`s.
Expressions stay unevaluated in this model until initialization, because their values
depend on variables that may come from files read after the declaration.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from kiln.hcl.diagnostics import Range
from kiln.hcl.schema import Body, Expression


class ValueOrigin(enum.StrEnum):
    """The source of a variable's value, lowest precedence first."""

    DEFAULT = "default"
    ENV = "env"
    VARFILE = "varfile"
    CMD = "cmd"


@dataclass(slots=True)
class VariableAssignment:
    origin: ValueOrigin
    value: Any  # a kiln.lang Value
    range: Range | None = None  # where the value was written, when it was written in a file


@dataclass(slots=True)
class Validation:
    condition: Expression
    error_message: Expression
    range: Range


@dataclass(slots=True)
class Variable:
    """An input variable: its declaration and every value assigned to it, in precedence order.

    The effective value is the last assignment; none at all means the variable is unset.
    """

    name: str
    range: Range
    type: Any = None  # a kiln.lang Type constraint; None when the declaration gives none
    type_defaults: Any = None  # `optional()` defaults of the type constraint, if any
    description: str = ""
    sensitive: bool = False
    values: list[VariableAssignment] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)

    def value(self) -> Any:
        """Return the effective value, or None when the variable has no value at all."""
        return self.values[-1].value if self.values else None

    def origin(self) -> ValueOrigin | None:
        return self.values[-1].origin if self.values else None


@dataclass(slots=True)
class Local:
    name: str
    expr: Expression
    range: Range
    sensitive: bool = False
    value: Any = None  # set once evaluated


@dataclass(slots=True)
class DataSource:
    type: str
    name: str
    body: Body
    range: Range
    type_range: Range
    value: Any = None  # the data source's output object, set once evaluated

    @property
    def ref(self) -> str:
        return f"data.{self.type}.{self.name}"


@dataclass(slots=True)
class Source:
    type: str
    name: str
    body: Body
    range: Range
    type_range: Range

    @property
    def ref(self) -> str:
        return f"{self.type}.{self.name}"


@dataclass(slots=True)
class SourceUse:
    """A source as one build uses it: by reference, optionally renamed and with extra settings."""

    type: str
    name: str
    range: Range
    local_name: str = ""  # the `name` argument of a `source "T.N" { name = ... }` block
    body: Body | None = None  # the usage block's other arguments, merged into the source body

    @property
    def ref(self) -> str:
        return f"{self.type}.{self.name}"

    @property
    def build_source_name(self) -> str:
        """Return the source's name within the build: the local name, else the label name."""
        return self.local_name or self.name


@dataclass(slots=True)
class ComponentBlock:
    """A provisioner, error-cleanup provisioner or post-processor block and its meta-arguments."""

    kind: str  # "provisioner" or "post-processor"
    type: str
    body: Body  # the rest of the block: the component's own configuration
    range: Range
    type_range: Range
    name: str = ""
    only: list[str] = field(default_factory=list)
    except_: list[str] = field(default_factory=list)
    override: dict[str, Any] = field(default_factory=dict)  # source name -> attribute values
    pause_before: float = 0.0
    max_retries: int = 0
    timeout: float | None = None
    continue_on_error: bool = False
    keep_input_artifact: bool | None = None

    def want_for(self, source_ref: str) -> bool:
        """Return whether the block applies to a build of `source_ref` (`TYPE.NAME`)."""
        if self.only:
            return source_ref in self.only
        return source_ref not in self.except_

    @property
    def display_name(self) -> str:
        """Return the name inspect and `-except` see: the `name` argument, else the type."""
        return self.name or self.type


@dataclass(slots=True)
class BuildBlock:
    range: Range
    name: str = ""
    description: str = ""
    sources: list[SourceUse] = field(default_factory=list)
    provisioners: list[ComponentBlock] = field(default_factory=list)
    error_cleanup_provisioner: ComponentBlock | None = None
    post_processor_chains: list[list[ComponentBlock]] = field(default_factory=list)
    body: Body | None = None
