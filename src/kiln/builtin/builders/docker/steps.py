"""The steps of the `docker` builder, in the order the builder runs them."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiln.builtin.builders.docker.config import DockerConfig
from kiln.builtin.builders.docker.engine import Engine, EngineError
from kiln.builtin.builders.docker.run import parse_run_command
from kiln.builtin.builders.none_communicator import NoneCommunicator
from kiln.sdk.component import BuildContext
from kiln.sdk.step import Step, StepAction
from kiln.sdk.steps import MachineState

logger = logging.getLogger(__name__)


@dataclass
class DockerState(MachineState):
    engine: Engine | None = None
    temp_dir: Path | None = None
    container_id: str | None = None
    image: str | None = None  # the base image: `image`, or the one built from the Dockerfile
    image_id: str | None = None


class DockerStep(Step[DockerState]):
    def __init__(self, context: BuildContext, config: DockerConfig) -> None:
        self.context = context
        self.config = config

    def fail(self, state: DockerState, message: str, error: Exception) -> StepAction:
        self.context.ui.error(message)
        state.error = EngineError(message)
        state.error.__cause__ = error
        return StepAction.HALT


class StepConnectEngine(DockerStep):
    """Connect to the Docker engine at DOCKER_HOST."""

    writes = ("engine",)

    async def run(self, state: DockerState) -> StepAction:
        try:
            state.engine = await Engine.connect()
        except EngineError as error:
            return self.fail(state, str(error), error)
        return StepAction.CONTINUE

    async def cleanup(self, state: DockerState) -> None:
        if state.engine is not None:
            await state.engine.close()


class StepTempDir(DockerStep):
    """Make the host directory mounted at `container_dir`, where uploads may be staged."""

    writes = ("temp_dir",)

    async def run(self, state: DockerState) -> StepAction:
        self.context.ui.say("Creating a temporary directory for sharing data...")
        try:
            base = shared_directory_base()
            base.mkdir(mode=0o755, parents=True, exist_ok=True)
            state.temp_dir = Path(tempfile.mkdtemp(prefix="tmp", dir=base))
        except OSError as error:
            return self.fail(state, f"Error making temp dir: {error}", error)
        return StepAction.CONTINUE

    async def cleanup(self, state: DockerState) -> None:
        if state.temp_dir is not None:
            await asyncio.to_thread(shutil.rmtree, state.temp_dir, True)


def shared_directory_base() -> Path:
    """Return where the shared directory is made: PACKER_TMP_DIR, else Packer's config directory.

    Packer uses its config directory rather than /tmp because Docker Desktop shares only the
    user's home with its virtual machine. The config directory is `$PACKER_CONFIG_DIR/.packer.d`,
    else `~/.packer.d` when it exists, else `$XDG_CONFIG_HOME/packer` or `~/.config/packer`.
    """
    if os.environ.get("PACKER_TMP_DIR"):
        return Path(os.environ["PACKER_TMP_DIR"]).absolute()
    if os.environ.get("PACKER_CONFIG_DIR"):
        return Path(os.environ["PACKER_CONFIG_DIR"]) / ".packer.d"
    legacy = Path.home() / ".packer.d"
    if legacy.is_dir():
        return legacy
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "packer"


class StepBuildImage(DockerStep):
    """Build the base image from the `build` block's Dockerfile; otherwise use `image`."""

    reads = ("engine",)
    writes = ("image",)

    async def run(self, state: DockerState) -> StepAction:
        assert state.engine is not None
        build = self.config.build
        if build is None:
            state.image = self.config.image
            return StepAction.CONTINUE

        import docker.errors

        dockerfile = Path(build.path).absolute()
        context_dir = Path(build.build_dir).absolute() if build.build_dir else dockerfile.parent
        self.context.ui.say(f"Building the base image from {build.path}...")

        def build_image(client: Any) -> str:
            image, log = client.images.build(
                path=str(context_dir),
                dockerfile=str(dockerfile),
                buildargs=build.arguments or None,
                pull=build.pull,
                gzip=build.compress,
                rm=True,
            )
            for entry in log:
                if entry.get("stream", "").strip():
                    logger.debug("docker build: %s", entry["stream"].rstrip())
            return str(image.id)

        try:
            state.image = await state.engine.call(build_image)
        except (EngineError, docker.errors.BuildError) as error:
            return self.fail(state, f"Error building the image from {build.path}: {error}", error)
        self.context.ui.message(f"Built image: {state.image}")
        return StepAction.CONTINUE


class StepPull(DockerStep):
    """Pull the base image (unless `pull = false` or it was built) and record its digest and id."""

    reads = ("engine",)

    async def run(self, state: DockerState) -> StepAction:
        assert state.engine is not None
        if self.config.build is not None:
            return StepAction.CONTINUE
        if not self.config.pull:
            logger.debug("pull disabled, using the engine's copy of %s", self.config.image)
            return StepAction.CONTINUE

        ui = self.context.ui
        ui.say(f"Pulling Docker image: {self.config.image}")
        if self.config.login:
            ui.message("Logging in...")
        try:
            await state.engine.call(self._pull)
        except EngineError as error:
            return self.fail(state, f"Error pulling Docker image: {error}", error)

        await self._record_source(state.engine)
        return StepAction.CONTINUE

    def _pull(self, client: Any) -> None:
        repository, tag = split_reference(self.config.image)
        credentials = registry_credentials(
            self.config.login,
            self.config.login_username,
            self.config.login_password,
            self.config.login_server,
        )
        client.images.pull(
            repository, tag=tag, platform=self.config.platform or None, auth_config=credentials
        )

    async def _record_source(self, engine: Engine) -> None:
        try:
            image = await engine.call(lambda client: client.images.get(self.config.image))
        except EngineError as error:
            self.context.ui.error(f"Error determining source Docker image Id: {error}")
            return
        digests = image.attrs.get("RepoDigests") or []
        extra = self.context.generated.extra
        extra["SourceImageDigest"] = digests[0].partition("@")[2] if digests else ""
        extra["SourceImageSha256"] = image.id


def registry_credentials(login: bool, username: str, password: str, server: str) -> dict[str, str] | None:
    """Return the `auth_config` that pull and push send to the engine, or None without `login`.

    The credentials travel with each request (the X-Registry-Auth header) rather than through a
    separate login call, because podman 4.3's login endpoint ignored the registries.conf entry
    marking a plain-HTTP registry on 127.0.0.1 insecure and failed over HTTPS.
    """
    if not login:
        return None
    return {"username": username, "password": password, "serveraddress": server}


def split_reference(reference: str) -> tuple[str, str | None]:
    """Split `repo[:tag]` at the tag's colon, not at a registry port's (`localhost:5000/app`)."""
    if "@" in reference:
        return reference, None
    repository, colon, tag = reference.rpartition(":")
    if not colon or "/" in tag:
        return reference, None
    return repository, tag


class StepRun(DockerStep):
    """Start the container with `run_command`, the configured mounts and the shared directory."""

    reads = ("engine", "temp_dir", "image")
    writes = ("container_id",)

    async def run(self, state: DockerState) -> StepAction:
        assert state.engine is not None
        assert state.temp_dir is not None
        assert state.image is not None
        arguments = run_arguments(self.config, state.temp_dir)
        options = parse_run_command(arguments, image=state.image)
        ui = self.context.ui
        ui.say("Starting docker container...")
        ui.message(f"Run command: docker run {' '.join(options.rendered)}")
        try:
            container = await state.engine.call(
                lambda client: client.containers.create(**options.create_arguments())
            )
            state.container_id = container.id
            await state.engine.call(lambda client: container.start())
            await state.engine.call(lambda client: container.reload())
        except EngineError as error:
            return self.fail(state, f"Error running container: {error}", error)

        self.context.generated.id = state.container_id
        self.context.generated.host = container_address(container.attrs)
        ui.message(f"Container ID: {state.container_id}")
        return StepAction.CONTINUE

    async def cleanup(self, state: DockerState) -> None:
        if state.container_id is None or state.engine is None:
            return
        container_id = state.container_id
        self.context.ui.say(f"Killing the container: {container_id}")
        try:
            await state.engine.call(lambda client: client.api.remove_container(container_id, force=True))
        except EngineError as error:
            # A container that is already gone is what cleanup wants anyway.
            logger.warning("removing container %s failed: %s", container_id, error)
        state.container_id = None


def run_arguments(config: DockerConfig, temp_dir: Path) -> list[str]:
    """Return the `docker run` arguments of the container: the builder's options, then `run_command`."""
    arguments = ["--privileged"] if config.privileged else []
    for flag, values in (
        ("--runtime", [config.runtime] if config.runtime else []),
        ("--platform", [config.platform] if config.platform else []),
        ("--tmpfs", config.tmpfs),
        ("--device", config.device),
        ("--cap-add", config.cap_add),
        ("--cap-drop", config.cap_drop),
    ):
        for value in values:
            arguments += [flag, value]
    volumes = {**config.volumes, str(temp_dir): config.container_dir}
    for host, container in volumes.items():
        arguments += ["-v", f"{host}:{container}"]
    return arguments + config.run_command


def container_address(attributes: dict[str, Any]) -> str:
    """Return the container's IP address from its inspect data, or "" when it has none."""
    settings = attributes.get("NetworkSettings") or {}
    if settings.get("IPAddress"):
        return str(settings["IPAddress"])
    for network in (settings.get("Networks") or {}).values():
        if network.get("IPAddress"):
            return str(network["IPAddress"])
    return ""


class StepConnect(DockerStep):
    """Make the communicator provisioners use: exec and archive copies, or none."""

    reads = ("engine", "container_id")
    writes = ("communicator",)

    async def run(self, state: DockerState) -> StepAction:
        assert state.engine is not None and state.container_id is not None
        if self.config.communicator == "none":
            state.communicator = NoneCommunicator()
            return StepAction.CONTINUE

        from kiln.communicator.docker import DockerCommunicator

        self.context.generated.conn_type = "docker"
        self.context.ui.say(f"Using docker communicator to connect: {self.context.generated.host or ''}")
        state.communicator = DockerCommunicator(
            state.engine.client,
            state.container_id,
            exec_user=self.config.exec_user,
            fix_upload_owner=self.config.fix_upload_owner,
        )
        return StepAction.CONTINUE

    async def cleanup(self, state: DockerState) -> None:
        if state.communicator is not None:
            await state.communicator.close()


class StepCommit(DockerStep):
    """Commit the provisioned container to a new image with the configured changes."""

    reads = ("engine", "container_id")
    writes = ("image_id",)

    async def run(self, state: DockerState) -> StepAction:
        assert state.engine is not None and state.container_id is not None
        container_id = state.container_id
        self.context.ui.say("Committing the container")
        try:
            image = await state.engine.call(
                lambda client: client.containers.get(container_id).commit(
                    changes=self.config.changes or None,
                    author=self.config.author or None,
                    message=self.config.message or None,
                )
            )
        except EngineError as error:
            return self.fail(state, f"Error committing container: {error}", error)

        state.image_id = image.id
        self.context.generated.extra["ImageSha256"] = image.id
        self.context.ui.message(f"Image ID: {image.id}")
        return StepAction.CONTINUE


class StepExport(DockerStep):
    """Write the container's file system as a tar file to `export_path`."""

    reads = ("engine", "container_id")

    async def run(self, state: DockerState) -> StepAction:
        assert state.engine is not None and state.container_id is not None
        container_id = state.container_id
        path = Path(self.config.export_path)
        self.context.ui.say("Exporting the container")

        def export(client: object) -> None:
            container = client.containers.get(container_id)  # type: ignore[attr-defined]
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as output:
                output.writelines(container.export())

        try:
            await state.engine.call(export)
        except EngineError as error:
            path.unlink(missing_ok=True)
            return self.fail(state, f"Error exporting: {error}", error)
        return StepAction.CONTINUE
