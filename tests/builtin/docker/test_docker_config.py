"""Checks of the docker builder's and post-processors' options that need no engine."""

from __future__ import annotations

import asyncio

import pytest

from kiln.builtin.builders.docker import DockerBuilder
from kiln.builtin.builders.docker.artifact import ImageArtifact
from kiln.builtin.builders.docker.config import DockerConfig, DockerfileConfig
from kiln.builtin.builders.docker.engine import Engine, EngineError
from kiln.builtin.builders.docker.run import RunCommandError, parse_run_command
from kiln.builtin.builders.docker.steps import (
    container_address,
    run_arguments,
    shared_directory_base,
    split_reference,
)
from kiln.builtin.post_processors.docker.common import DockerPostProcessError, check_image_artifact
from kiln.builtin.post_processors.docker.docker_import import DockerImportConfig, DockerImportPostProcessor
from kiln.builtin.post_processors.docker.oci_layout import OCILayoutConfig, OCILayoutPostProcessor
from kiln.core.registry import ComponentKind, lookup
from kiln.sdk.artifact import BasicArtifact
from kiln.sdk.component import BuildInfo, PostProcessContext
from kiln.sdk.config import ConfigProblems
from kiln.sdk.testing import recording_ui


def problems_of(config: DockerConfig) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ConfigProblems) as caught:
        DockerBuilder().prepare(config)
    return [(problem.path, problem.message) for problem in caught.value.problems]


def test_valid_config_has_no_warnings():
    assert DockerBuilder().prepare(DockerConfig(image="debian:12", commit=True)) == []


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({"commit": True}, ("image",), "image must be specified"),
        (
            {"image": "x"},
            (),
            "No instructions given for handling the artifact; expected commit, discard, or export_path",
        ),
        (
            {"image": "x", "commit": True, "discard": True},
            (),
            "Cannot specify more than one of commit, discard, and export_path.",
        ),
        (
            {"image": "x", "discard": True, "export_path": "out.tar"},
            (),
            "Cannot specify more than one of commit, discard, and export_path.",
        ),
        (
            {"image": "x", "commit": True, "changes": ["ENV A=1", "RUN make"]},
            ("changes", 1),
            (
                "Unsupported change 'RUN make': expected one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, "
                "MAINTAINER, ONBUILD, USER, VOLUME, WORKDIR."
            ),
        ),
        (
            {"image": "x", "commit": True, "run_command": ["--memory", "1g", "{{.Image}}"]},
            ("run_command",),
            "run_command flag --memory is not supported by kiln's docker builder",
        ),
        (
            {"image": "x", "commit": True, "run_command": ["-d"]},
            ("run_command",),
            "run_command names no image; add {{.Image}} after the flags",
        ),
        (
            {"image": "x", "commit": True, "communicator": "ssh"},
            ("communicator",),
            'Unsupported communicator "ssh" for the docker builder: expected "docker" or "none".',
        ),
        (
            {"image": "x", "commit": True, "login": True},
            ("login_server",),
            "login_server must be specified with login.",
        ),
    ],
    ids=["no-image", "no-artifact", "commit-and-discard", "discard-and-export", "bad-change",
         "unknown-flag", "no-image-argument", "ssh", "login-without-server"],
)  # fmt: skip
def test_config_problem(fields, path, message):
    assert (path, message) in problems_of(DockerConfig(**fields))


def test_export_path_directory_rejected(tmp_path):
    config = DockerConfig(image="x", export_path=str(tmp_path))
    assert (("export_path",), "export_path must be a file, not a directory") in problems_of(config)


def test_default_run_command():
    options = parse_run_command(DockerConfig().run_command, image="alpine:3")
    arguments = options.create_arguments()
    assert arguments["image"] == "alpine:3"
    assert arguments["entrypoint"] == ["/bin/sh"]
    assert arguments["stdin_open"] is True
    assert arguments["tty"] is True
    assert "command" not in arguments


def test_run_command_flags():
    options = parse_run_command(
        ["-dit", "-e", "A=1", "--env=B=2", "-v", "/h:/c", "--user", "nobody", "-w", "/srv",
         "--label", "k=v", "--privileged", "--tmpfs", "/run:size=1m", "{{.Image}}", "sleep", "9"],
        image="busybox",
    )  # fmt: skip
    assert options.environment == ["A=1", "B=2"]
    assert options.volumes == ["/h:/c"]
    assert options.user == "nobody"
    assert options.working_dir == "/srv"
    assert options.labels == {"k": "v"}
    assert options.privileged
    assert options.create_arguments()["tmpfs"] == {"/run": "size=1m"}
    assert options.image == "busybox"
    assert options.command == ["sleep", "9"]


def test_run_command_flag_without_value():
    with pytest.raises(RunCommandError, match="run_command flag --entrypoint needs a value"):
        parse_run_command(["--entrypoint"], image="x")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("busybox", ("busybox", None)),
        ("busybox:1.36", ("busybox", "1.36")),
        ("127.0.0.1:5000/app", ("127.0.0.1:5000/app", None)),
        ("127.0.0.1:5000/app:v1", ("127.0.0.1:5000/app", "v1")),
        ("app@sha256:abc", ("app@sha256:abc", None)),
    ],
)
def test_split_reference(reference, expected):
    assert split_reference(reference) == expected


def test_import_requires_repository():
    with pytest.raises(ConfigProblems) as caught:
        DockerImportPostProcessor().prepare(DockerImportConfig())
    assert caught.value.problems[0].path == ("repository",)


def test_oci_layout_rejects_unknown_compression():
    with pytest.raises(ConfigProblems) as caught:
        OCILayoutPostProcessor().prepare(OCILayoutConfig(path="out", compression="zstd"))
    messages = [problem.message for problem in caught.value.problems]
    assert messages == ['Invalid compression "zstd": expected gzip or none.']


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (ComponentKind.BUILDER, "docker"),
        (ComponentKind.POST_PROCESSOR, "docker-import"),
        (ComponentKind.POST_PROCESSOR, "docker-tag"),
        (ComponentKind.POST_PROCESSOR, "docker-save"),
        (ComponentKind.POST_PROCESSOR, "docker-push"),
        (ComponentKind.POST_PROCESSOR, "oci-layout"),
    ],
)
def test_registered(kind, name):
    assert lookup(kind, name) is not None


def test_run_arguments_put_options_before_run_command(tmp_path):
    config = DockerConfig(
        image="x",
        commit=True,
        privileged=True,
        cap_add=["NET_ADMIN"],
        volumes={"/srv/cache": "/cache"},
    )
    arguments = run_arguments(config, tmp_path)
    assert arguments == [
        "--privileged",
        "--cap-add", "NET_ADMIN",
        "-v", "/srv/cache:/cache",
        "-v", f"{tmp_path}:/packer-files",
        "-d", "-i", "-t", "--entrypoint=/bin/sh", "--", "{{.Image}}",
    ]  # fmt: skip
    options = parse_run_command(arguments, image="x")
    assert options.volumes == ["/srv/cache:/cache", f"{tmp_path}:/packer-files"]
    assert options.cap_add == ["NET_ADMIN"]
    assert options.privileged


@pytest.mark.parametrize(
    ("attributes", "address"),
    [
        ({"NetworkSettings": {"IPAddress": "10.88.0.5"}}, "10.88.0.5"),
        (
            {"NetworkSettings": {"IPAddress": "", "Networks": {"podman": {"IPAddress": "10.89.0.2"}}}},
            "10.89.0.2",
        ),
        ({"NetworkSettings": {}}, ""),
    ],
    ids=["default-bridge", "named-network", "no-network"],
)
def test_container_address(attributes, address):
    assert container_address(attributes) == address


@pytest.mark.parametrize(
    ("environment", "make_legacy", "expected"),
    [
        ({"PACKER_TMP_DIR": "tmpdir", "PACKER_CONFIG_DIR": "config"}, False, "tmpdir"),
        ({"PACKER_CONFIG_DIR": "config"}, True, "config/.packer.d"),
        ({}, True, "home/.packer.d"),
        ({"XDG_CONFIG_HOME": "xdg"}, False, "xdg/packer"),
        ({}, False, "home/.config/packer"),
    ],
    ids=["tmp-dir", "config-dir", "legacy-home", "xdg", "default"],
)
def test_shared_directory_base(environment, make_legacy, expected, tmp_path, monkeypatch):
    for name in ("PACKER_TMP_DIR", "PACKER_CONFIG_DIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name, value in environment.items():
        monkeypatch.setenv(name, str(tmp_path / value))
    if make_legacy:
        (tmp_path / "home" / ".packer.d").mkdir(parents=True)
    assert shared_directory_base() == tmp_path / expected


def test_build_block_checks(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\n")
    both = DockerConfig(image="x", commit=True, build=DockerfileConfig(path=str(dockerfile)))
    no_path = DockerConfig(commit=True, build=DockerfileConfig())
    missing = DockerConfig(commit=True, build=DockerfileConfig(path=str(tmp_path / "nope")))
    bad_dir = DockerConfig(
        commit=True, build=DockerfileConfig(path=str(dockerfile), build_dir=str(dockerfile))
    )

    assert problems_of(both) == [(("build",), "Only one of image and build may be specified.")]
    assert problems_of(no_path) == [(("build", "path"), "path must be specified in the build block")]
    assert problems_of(missing) == [(("build", "path"), f"Dockerfile {tmp_path / 'nope'} not found")]
    assert problems_of(bad_dir) == [(("build", "build_dir"), f"build_dir {dockerfile} is not a directory")]
    assert (
        DockerBuilder().prepare(DockerConfig(commit=True, build=DockerfileConfig(path=str(dockerfile)))) == []
    )


def test_unreachable_engine_message(tmp_path, monkeypatch):
    socket_path = tmp_path / "missing.sock"
    monkeypatch.setenv("DOCKER_HOST", f"unix://{socket_path}")

    with pytest.raises(EngineError) as caught:
        asyncio.run(Engine.connect())

    assert str(caught.value) == (
        f"Docker engine at unix://{socket_path} is not reachable: No such file or directory. "
        "Start the engine, or set DOCKER_HOST to its socket (e.g. unix:///run/podman/podman.sock)."
    )


@pytest.mark.parametrize("post_processor", ["docker-push", "docker-save", "docker-tag", "oci-layout"])
def test_image_post_processors_reject_files(post_processor):
    artifact = BasicArtifact("packer.docker", files=["rootfs.tar"], id="Container")
    with pytest.raises(DockerPostProcessError) as caught:
        check_image_artifact(artifact, post_processor)
    assert str(caught.value).startswith("Unknown artifact type: packer.docker\n")
    assert f"The {post_processor} post-processor accepts only images" in str(caught.value)


def test_import_rejects_committed_image():
    processor = DockerImportPostProcessor()
    processor.prepare(DockerImportConfig(repository="local/app"))
    artifact = ImageArtifact("packer.post-processor.docker-import", "sha256:abc")
    ui, _ = recording_ui()
    context = PostProcessContext(ui, BuildInfo())
    with pytest.raises(DockerPostProcessError, match="With commit = true the image is already in the engine"):
        asyncio.run(processor.post_process(context, artifact))


def test_run_command_arguments_after_image_kept():
    options = parse_run_command(["-it", "{{.Image}}", "ls", "-dit"], image="busybox")
    assert options.interactive
    assert options.tty
    assert options.command == ["ls", "-dit"]
