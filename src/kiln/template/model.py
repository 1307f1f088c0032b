"""The Packer configuration model that an HCL2 template decodes into.

Parsing fills the declarations (variables, locals, data sources, sources and the raw build
blocks). `PackerConfig.initialize` evaluates them in dependency order and decodes the
builds, and `PackerConfig.get_builds` turns each build's sources into `BuildPlan`s.
Expressions stay unevaluated in this model until initialization, because their values
depend on variables that may come from files read after the declaration.
"""

from __future__ import annotations

import enum
from typing import Any

from kiln.hcl.diagnostics import Range
from kiln.hcl.record import Record
from kiln.hcl.schema import Body, Expression


class ValueOrigin(enum.StrEnum):
    """The source of a variable's value, lowest precedence first."""

    DEFAULT = "default"
    ENV = "env"
    VARFILE = "varfile"
    CMD = "cmd"


class VariableAssignment(Record):
    origin: ValueOrigin
    value: Any  # a kiln.lang Value
    range: Range | None  # where the value was written, when it was written in a file

    __slots__ = ("origin", "range", "value")

    def __init__(self, origin: ValueOrigin, value: Any, range: Range | None = None) -> None:
        self.origin = origin
        self.value = value
        self.range = range


class Validation(Record):
    condition: Expression
    error_message: Expression
    range: Range

    __slots__ = ("condition", "error_message", "range")

    def __init__(self, condition: Expression, error_message: Expression, range: Range) -> None:
        self.condition = condition
        self.error_message = error_message
        self.range = range


class Variable(Record):
    """An input variable: its declaration and every value assigned to it, in precedence order.

    The effective value is the last assignment; none at all means the variable is unset.
    """

    name: str
    range: Range
    type: Any  # a kiln.lang Type constraint; None when the declaration gives none
    type_defaults: Any  # `optional()` defaults of the type constraint, if any
    description: str
    sensitive: bool
    values: list[VariableAssignment]
    validations: list[Validation]

    __slots__ = (
        "description",
        "name",
        "range",
        "sensitive",
        "type",
        "type_defaults",
        "validations",
        "values",
    )

    def __init__(
        self,
        name: str,
        range: Range,
        type: Any = None,
        type_defaults: Any = None,
        description: str = "",
        sensitive: bool = False,
        values: list[VariableAssignment] | None = None,
        validations: list[Validation] | None = None,
    ) -> None:
        self.name = name
        self.range = range
        self.type = type
        self.type_defaults = type_defaults
        self.description = description
        self.sensitive = sensitive
        self.values = [] if values is None else values
        self.validations = [] if validations is None else validations

    def value(self) -> Any:
        """Return the effective value, or None when the variable has no value at all."""
        return self.values[-1].value if self.values else None

    def origin(self) -> ValueOrigin | None:
        return self.values[-1].origin if self.values else None


class Local(Record):
    name: str
    expr: Expression
    range: Range
    sensitive: bool
    value: Any  # set once evaluated

    __slots__ = ("expr", "name", "range", "sensitive", "value")

    def __init__(
        self,
        name: str,
        expr: Expression,
        range: Range,
        sensitive: bool = False,
        value: Any = None,
    ) -> None:
        self.name = name
        self.expr = expr
        self.range = range
        self.sensitive = sensitive
        self.value = value


class DataSource(Record):
    type: str
    name: str
    body: Body
    range: Range
    type_range: Range
    value: Any  # the data source's output object, set once evaluated

    __slots__ = ("body", "name", "range", "type", "type_range", "value")

    def __init__(
        self,
        type: str,
        name: str,
        body: Body,
        range: Range,
        type_range: Range,
        value: Any = None,
    ) -> None:
        self.type = type
        self.name = name
        self.body = body
        self.range = range
        self.type_range = type_range
        self.value = value

    @property
    def ref(self) -> str:
        return f"data.{self.type}.{self.name}"


class Source(Record):
    type: str
    name: str
    body: Body
    range: Range
    type_range: Range

    __slots__ = ("body", "name", "range", "type", "type_range")

    def __init__(self, type: str, name: str, body: Body, range: Range, type_range: Range) -> None:
        self.type = type
        self.name = name
        self.body = body
        self.range = range
        self.type_range = type_range

    @property
    def ref(self) -> str:
        return f"{self.type}.{self.name}"


class SourceUse(Record):
    """A source as one build uses it: by reference, optionally renamed and with extra settings."""

    type: str
    name: str
    range: Range
    local_name: str  # the `name` argument of a `source "T.N" { name = ... }` block
    body: Body | None  # the usage block's other arguments, merged into the source body

    __slots__ = ("body", "local_name", "name", "range", "type")

    def __init__(
        self,
        type: str,
        name: str,
        range: Range,
        local_name: str = "",
        body: Body | None = None,
    ) -> None:
        self.type = type
        self.name = name
        self.range = range
        self.local_name = local_name
        self.body = body

    @property
    def ref(self) -> str:
        return f"{self.type}.{self.name}"

    @property
    def build_source_name(self) -> str:
        """Return the source's name within the build: the local name, else the label name."""
        return self.local_name or self.name


class ComponentBlock(Record):
    """A provisioner, error-cleanup provisioner or post-processor block and its meta-arguments."""

    kind: str  # "provisioner" or "post-processor"
    type: str
    body: Body  # the rest of the block: the component's own configuration
    range: Range
    type_range: Range
    name: str
    only: list[str]
    except_: list[str]
    override: dict[str, Any]  # source name -> attribute values
    pause_before: float
    max_retries: int
    timeout: float | None
    continue_on_error: bool
    keep_input_artifact: bool | None

    __slots__ = (
        "body",
        "continue_on_error",
        "except_",
        "keep_input_artifact",
        "kind",
        "max_retries",
        "name",
        "only",
        "override",
        "pause_before",
        "range",
        "timeout",
        "type",
        "type_range",
    )

    def __init__(
        self,
        kind: str,
        type: str,
        body: Body,
        range: Range,
        type_range: Range,
        name: str = "",
        only: list[str] | None = None,
        except_: list[str] | None = None,
        override: dict[str, Any] | None = None,
        pause_before: float = 0.0,
        max_retries: int = 0,
        timeout: float | None = None,
        continue_on_error: bool = False,
        keep_input_artifact: bool | None = None,
    ) -> None:
        self.kind = kind
        self.type = type
        self.body = body
        self.range = range
        self.type_range = type_range
        self.name = name
        self.only = [] if only is None else only
        self.except_ = [] if except_ is None else except_
        self.override = {} if override is None else override
        self.pause_before = pause_before
        self.max_retries = max_retries
        self.timeout = timeout
        self.continue_on_error = continue_on_error
        self.keep_input_artifact = keep_input_artifact

    def want_for(self, source_ref: str) -> bool:
        """Return whether the block applies to a build of `source_ref` (`TYPE.NAME`)."""
        if self.only:
            return source_ref in self.only
        return source_ref not in self.except_

    @property
    def display_name(self) -> str:
        """Return the name inspect and `-except` see: the `name` argument, else the type."""
        return self.name or self.type


class BuildBlock(Record):
    range: Range
    name: str
    description: str
    sources: list[SourceUse]
    provisioners: list[ComponentBlock]
    error_cleanup_provisioner: ComponentBlock | None
    post_processor_chains: list[list[ComponentBlock]]
    body: Body | None

    __slots__ = (
        "body",
        "description",
        "error_cleanup_provisioner",
        "name",
        "post_processor_chains",
        "provisioners",
        "range",
        "sources",
    )

    def __init__(
        self,
        range: Range,
        name: str = "",
        description: str = "",
        sources: list[SourceUse] | None = None,
        provisioners: list[ComponentBlock] | None = None,
        error_cleanup_provisioner: ComponentBlock | None = None,
        post_processor_chains: list[list[ComponentBlock]] | None = None,
        body: Body | None = None,
    ) -> None:
        self.range = range
        self.name = name
        self.description = description
        self.sources = [] if sources is None else sources
        self.provisioners = [] if provisioners is None else provisioners
        self.error_cleanup_provisioner = error_cleanup_provisioner
        self.post_processor_chains = [] if post_processor_chains is None else post_processor_chains
        self.body = body
