"""The docker builder against a real engine: podman's Docker API service."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from kiln.builtin.builders.docker.config import DockerConfig
from kiln.builtin.provisioners.file import FileProvisionerConfig
from kiln.builtin.provisioners.shell import ShellConfig
from kiln.core.build import BuildOptions, make_ui, run_builds
from kiln.sdk.plan import BuildPlan, ComponentSpec, ProvisionerSpec
from podman import BASE_IMAGE


def run_plan(plan: BuildPlan) -> tuple[int, str]:
    stream = io.StringIO()
    options = BuildOptions(color=False)
    code = asyncio.run(run_builds([plan], options, make_ui(options, stream)))
    return code, stream.getvalue()


def provisioners(tmp_path: Path) -> list[ProvisionerSpec]:
    upload = tmp_path / "motd"
    upload.write_text("provisioned by kiln\n")
    return [
        ProvisionerSpec("file", FileProvisionerConfig(source=str(upload), destination="/etc/motd"), name="file"),
        ProvisionerSpec("shell", ShellConfig(inline=["cat /etc/motd", "echo id={{ .ID }} >&2"]), name="shell"),
    ]


def test_commit_runs_provisioned_image(docker_host, podman_engine, tmp_path):
    config = DockerConfig(
        image=BASE_IMAGE,
        pull=False,
        commit=True,
        changes=["ENV GREETING=hello", 'CMD ["/bin/cat", "/etc/motd"]', "LABEL made.by=kiln", "WORKDIR /etc"],
        author="kiln tests",
        message="provisioned",
    )
    plan = BuildPlan("docker.base", ComponentSpec("docker", config), provisioners=provisioners(tmp_path))

    code, output = run_plan(plan)

    assert code == 0, output
    assert "==> docker.base: Starting docker container..." in output
    assert "==> docker.base: provisioned by kiln" in output
    assert "==> docker.base: Committing the container" in output
    image_id = output.split("Imported Docker image: ")[1].split()[0]
    assert image_id.startswith("sha256:")
    ran = podman_engine.podman("run", "--rm", "--entrypoint", "", image_id, "/bin/cat", "/etc/motd")
    assert ran.stdout == "provisioned by kiln\n"
    inspected = podman_engine.podman("image", "inspect", "--format", "{{.Author}}|{{.Comment}}", image_id)
    assert inspected.stdout.strip() == "kiln tests|provisioned"
