"""The component contracts: Builder, Provisioner, PostProcessor and Datasource.

Each component class names its `config_class`, a dataclass declared with `kiln.sdk.config`.
kiln.core makes one instance per use, calls `prepare(config)` (validation only, no side
effects: return warnings, raise ConfigProblems), then the component's coroutine. Builds are
cancelled through asyncio: the task running `Builder.run` is cancelled, and every step's
cleanup still runs (see kiln.sdk.step).

    class NullBuilder(Builder[NullConfig]):
        config_class = NullConfig
        builder_id = "fnoeding.null"

        async def run(self, context: BuildContext) -> Artifact | None:
            await context.hook.provision(communicator)
            return BasicArtifact(self.builder_id, id="Null")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from kiln.sdk.artifact import Artifact
from kiln.sdk.communicator import Communicator
from kiln.sdk.step import StepPolicy
from kiln.sdk.ui import Ui

C = TypeVar("C")

# The exit status a communicator reports when the connection dropped before the command
# ended (Packer's `packersdk.CmdDisconnect`); shell provisioners treat it as a disconnect.
CMD_DISCONNECT = 2300218


@dataclass
class BuildInfo:
    """Facts about the build a component is part of (Packer's `packer_*` options)."""

    build_name: str = ""  # the source name as Packer's `packer_build_name`, e.g. "base"
    builder_type: str = ""  # e.g. "qemu"
    full_name: str = ""  # the name output lines are prefixed with, e.g. "qemu.base"
    run_uuid: str = ""  # PACKER_RUN_UUID, shared by every build of one run
    debug: bool = False
    force: bool = False
    on_error: str = "cleanup"
    user_variables: Mapping[str, str] = field(default_factory=dict)
    sensitive_variables: list[str] = field(default_factory=list)


@dataclass
class GeneratedData:
    """Values a builder learns while it runs, offered to provisioners and post-processors.

    Templates reach them as `{{ .Host }}` / `build.Host`; `template_data` gives Packer's names.
    Unset values render as Packer's `ERR_..._NOT_IMPLEMENTED_BY_BUILDER` markers.
    """

    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = None
    conn_type: str | None = None
    ssh_public_key: str | None = None
    ssh_private_key: str | None = None
    winrm_password: str | None = None
    id: str | None = None
    http_ip: str | None = None
    http_port: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # builder-specific, e.g. "ImageName"

    def template_data(self, run_uuid: str = "") -> dict[str, Any]:
        """Return the data as Packer names it, with its markers for values the builder did not set."""
        data: dict[str, Any] = {
            "Host": self.host or "",
            "Port": self.port if self.port is not None else "",
            "User": self.user or "",
            "Password": self.password or "",
            "ConnType": self.conn_type or "",
            "SSHPublicKey": self.ssh_public_key or "",
            "SSHPrivateKey": self.ssh_private_key or "",
            "WinRMPassword": self.winrm_password or "",
            "ID": self.id or "ERR_ID_NOT_IMPLEMENTED_BY_BUILDER",
            "PackerRunUUID": run_uuid,
            "PackerHTTPIP": self.http_ip or "ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER",
            "PackerHTTPPort": str(self.http_port)
            if self.http_port
            else "ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER",
            "PackerHTTPAddr": (
                f"{self.http_ip}:{self.http_port}"
                if self.http_ip and self.http_port
                else "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER"
            ),
        }
        data.update(self.extra)
        return data


class ProvisionHook(Protocol):
    """The interface a builder calls to run the build's provisioners in the machine it made."""

    async def provision(self, communicator: Communicator | None, generated: GeneratedData) -> None:
        """Run every provisioner in order; raise ProvisionError when one fails.

        `communicator` is None for builders without one (`communicator = "none"`), which is an
        error when the build has provisioners.
        """
        ...

    async def cleanup_provision(self, communicator: Communicator | None, generated: GeneratedData) -> None:
        """Run the error-cleanup provisioner, if the build has one."""
        ...


class ProvisionError(Exception):
    """A provisioner failed; the message is what the build summary shows."""


@dataclass
class BuildContext:
    """The argument of a builder's `run`: the build's Ui, the provisioning hook and build facts.

    The builder fills `generated` as it learns values (host, port, user) before provisioning.
    """

    ui: Ui
    hook: ProvisionHook
    info: BuildInfo
    generated: GeneratedData = field(default_factory=GeneratedData)
    # Pass to `run_steps`: it applies `-on-error` and `-debug` around the builder's steps.
    step_policy: StepPolicy = field(default_factory=StepPolicy)


@dataclass
class ProvisionContext:
    """The argument of a provisioner's `provision`; `generated` is already rendered into its config."""

    ui: Ui
    communicator: Communicator | None
    info: BuildInfo
    generated: GeneratedData = field(default_factory=GeneratedData)


@dataclass
class PostProcessContext:
    ui: Ui
    info: BuildInfo
    generated: GeneratedData = field(default_factory=GeneratedData)


@dataclass
class PostProcessResult:
    """A post-processor's result, as Packer's `(artifact, keep, forceOverride)`.

    `keep` is the post-processor's default for keeping the input artifact; `force_override`
    makes a `keep` of True win over the user's `keep_input_artifact = false`.
    """

    artifact: Artifact | None
    keep: bool = False
    force_override: bool = False


class Component(Generic[C]):
    """Common shape: a config class, `prepare` that validates, and the prepared config."""

    config_class: ClassVar[type[Any]]
    # Options kiln.core must not render as Go templates before the component runs, because
    # the component renders them itself with its own data (`execute_command`'s `{{ .Path }}`).
    render_exclude: ClassVar[frozenset[str]] = frozenset()
    config: C

    def prepare(self, config: C) -> list[str]:
        """Check `config` and keep it; return warnings, raise ConfigProblems for errors.

        Runs again just before the component is used, with generated data rendered in.
        """
        self.config = config
        return []


class Builder(Component[C]):
    builder_id: ClassVar[str] = ""

    async def run(self, context: BuildContext) -> Artifact | None:
        """Build the machine, provision it through `context.hook`, return the artifact (None if nothing)."""
        raise NotImplementedError


class Provisioner(Component[C]):
    async def provision(self, context: ProvisionContext) -> None:
        """Change the machine; raise ProvisionError (or CommunicatorError) on failure."""
        raise NotImplementedError


class PostProcessor(Component[C]):
    async def post_process(self, context: PostProcessContext, artifact: Artifact) -> PostProcessResult:
        raise NotImplementedError


class Datasource(Component[C]):
    # The dataclass describing the value `execute` returns, for the template layer's schema.
    output_class: ClassVar[type[Any]]

    async def execute(self) -> Any:
        """Fetch the data; return an instance of `output_class`."""
        raise NotImplementedError
