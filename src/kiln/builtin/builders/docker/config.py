"""Options of the `docker` builder and the checks `prepare` applies to them."""

from __future__ import annotations

import os
from dataclasses import dataclass

from kiln.sdk.config import ConfigProblem, option

LOGIN_SECTION = "Registry login"
RUN_SECTION = "Container"

DEFAULT_RUN_COMMAND = ["-d", "-i", "-t", "--entrypoint=/bin/sh", "--", "{{.Image}}"]
DEFAULT_CONTAINER_DIR = "/packer-files"

# The instructions `docker commit --change` accepts; any other one makes the engine fail late.
CHANGE_INSTRUCTIONS = (
    "CMD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "USER",
    "VOLUME",
    "WORKDIR",
)
COMMUNICATOR_TYPES = ("docker", "none")


@dataclass
class DockerfileConfig:
    """The `build` block: make the base image from a Dockerfile instead of naming one."""

    path: str = option(default="", doc="Dockerfile to build the base image from (required).")
    build_dir: str = option(default="", doc="Build context directory; the Dockerfile's directory when empty.")
    arguments: dict[str, str] = option(default_factory=dict, doc="Build arguments (`ARG` values) by name.")
    pull: bool = option(default=True, doc="Pull newer versions of the Dockerfile's base images.")
    compress: bool = option(default=False, doc="Send the build context to the engine gzip-compressed.")


@dataclass
class DockerConfig:
    """Configuration of the `docker` builder."""

    image: str = option(
        default="", doc="Base image to start the container from, e.g. `debian:12` (required unless `build`)."
    )
    build: DockerfileConfig | None = option(default=None, doc="Build the base image from a Dockerfile.")
    pull: bool = option(default=True, doc="Pull `image` from its registry before starting the container.")
    commit: bool = option(default=False, doc="Commit the container to a new image when provisioning ends.")
    discard: bool = option(default=False, doc="Throw the container away when provisioning ends.")
    export_path: str = option(default="", doc="Export the container's file system to this tar file.")
    changes: list[str] = option(
        default_factory=list,
        doc="Dockerfile instructions applied on commit: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, "
        "MAINTAINER, ONBUILD, USER, VOLUME or WORKDIR.",
    )
    author: str = option(default="", doc="Author recorded in the committed image.")
    message: str = option(default="", doc="Commit message recorded in the committed image.")
    run_command: list[str] = option(
        default_factory=lambda: list(DEFAULT_RUN_COMMAND),
        doc="`docker run` arguments that start the container; `{{.Image}}` is the image.",
        docs_section=RUN_SECTION,
    )
    volumes: dict[str, str] = option(
        default_factory=dict,
        doc="Host paths mounted in the container, host path to container path.",
        docs_section=RUN_SECTION,
    )
    container_dir: str = option(
        default=DEFAULT_CONTAINER_DIR,
        doc="Where the build's temporary host directory is mounted in the container.",
        docs_section=RUN_SECTION,
    )
    privileged: bool = option(default=False, doc="Run the container privileged.", docs_section=RUN_SECTION)
    platform: str = option(
        default="", doc="Platform of the image to pull and run, e.g. `linux/amd64`.", docs_section=RUN_SECTION
    )
    cap_add: list[str] = option(
        default_factory=list, doc="Linux capabilities to add.", docs_section=RUN_SECTION
    )
    cap_drop: list[str] = option(
        default_factory=list, doc="Linux capabilities to drop.", docs_section=RUN_SECTION
    )
    device: list[str] = option(
        default_factory=list,
        doc="Host devices to add, as `HOST[:CONTAINER[:PERMISSIONS]]`.",
        docs_section=RUN_SECTION,
    )
    tmpfs: list[str] = option(
        default_factory=list, doc="tmpfs mounts, as `PATH[:OPTIONS]`.", docs_section=RUN_SECTION
    )
    runtime: str = option(
        default="", doc="OCI runtime the engine runs the container with.", docs_section=RUN_SECTION
    )
    exec_user: str = option(
        default="", doc="User that provisioner commands run as, as `USER[:GROUP]`.", docs_section=RUN_SECTION
    )
    fix_upload_owner: bool = option(
        default=True,
        doc="Give uploaded files to `exec_user` (uploads unpack as root).",
        docs_section=RUN_SECTION,
    )
    windows_container: bool = option(
        default=False,
        doc="The image is a Windows container (not supported by kiln).",
        docs_section=RUN_SECTION,
    )
    docker_path: str = option(
        default="docker",
        doc="Docker CLI of Packer's implementation; kiln talks to the engine API at `DOCKER_HOST` instead.",
        deprecated="the `DOCKER_HOST` environment variable, which names the engine kiln talks to",
    )
    communicator: str = option(default="docker", doc="`docker` (default: exec and archive copies) or `none`.")
    login: bool = option(
        default=False, doc="Log in to `login_server` before pulling.", docs_section=LOGIN_SECTION
    )
    login_server: str = option(default="", doc="Registry to log in to.", docs_section=LOGIN_SECTION)
    login_username: str = option(default="", doc="User name for the registry.", docs_section=LOGIN_SECTION)
    login_password: str = option(
        default="", sensitive=True, doc="Password for the registry.", docs_section=LOGIN_SECTION
    )
    ecr_login: bool = option(
        default=False, doc="Log in to Amazon ECR (not supported by kiln).", docs_section=LOGIN_SECTION
    )


def check_docker_config(config: DockerConfig) -> list[ConfigProblem]:
    """Return every problem of `config` that decoding could not catch, at each option's path."""
    from kiln.builtin.builders.docker.run import RunCommandError, parse_run_command

    problems = _check_artifact_choice(config)
    problems += _check_image_source(config)
    for index, change in enumerate(config.changes):
        instruction = change.split(maxsplit=1)[0].upper() if change.strip() else ""
        if instruction not in CHANGE_INSTRUCTIONS:
            problems.append(
                ConfigProblem(
                    ("changes", index),
                    f"Unsupported change {change!r}: expected one of {', '.join(CHANGE_INSTRUCTIONS)}.",
                )
            )
    try:
        parse_run_command(config.run_command, image=config.image or "IMAGE")
    except RunCommandError as error:
        problems.append(ConfigProblem(("run_command",), str(error)))
    problems += _check_unsupported(config)
    return problems


def _check_image_source(config: DockerConfig) -> list[ConfigProblem]:
    if config.build is None:
        return [] if config.image else [ConfigProblem(("image",), "image must be specified")]
    if config.image:
        return [ConfigProblem(("build",), "Only one of image and build may be specified.")]
    if not config.build.path:
        return [ConfigProblem(("build", "path"), "path must be specified in the build block")]
    if not os.path.isfile(config.build.path):
        return [ConfigProblem(("build", "path"), f"Dockerfile {config.build.path} not found")]
    if config.build.build_dir and not os.path.isdir(config.build.build_dir):
        return [
            ConfigProblem(("build", "build_dir"), f"build_dir {config.build.build_dir} is not a directory")
        ]
    return []


def _check_artifact_choice(config: DockerConfig) -> list[ConfigProblem]:
    chosen = [config.commit, config.discard, bool(config.export_path)]
    if sum(chosen) == 0:
        return [
            ConfigProblem(
                (),
                "No instructions given for handling the artifact; expected commit, discard, or export_path",
            )
        ]
    if sum(chosen) > 1:
        return [ConfigProblem((), "Cannot specify more than one of commit, discard, and export_path.")]
    if config.export_path and os.path.isdir(config.export_path):
        return [ConfigProblem(("export_path",), "export_path must be a file, not a directory")]
    return []


def _check_unsupported(config: DockerConfig) -> list[ConfigProblem]:
    problems = []
    if config.communicator not in COMMUNICATOR_TYPES:
        # TODO: accept `ssh` by connecting to the container's address once a test image
        # with an SSH server is available.
        problems.append(
            ConfigProblem(
                ("communicator",),
                f'Unsupported communicator "{config.communicator}" for the docker builder: '
                'expected "docker" or "none".',
            )
        )
    if config.windows_container:
        problems.append(ConfigProblem(("windows_container",), "kiln cannot build Windows containers."))
    if config.ecr_login:
        problems.append(
            ConfigProblem(
                ("ecr_login",), "Amazon ECR login is not supported; use login with a token instead."
            )
        )
    if config.login and not config.login_server:
        problems.append(ConfigProblem(("login_server",), "login_server must be specified with login."))
    return problems
