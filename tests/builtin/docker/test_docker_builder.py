"""The docker builder against a real engine: podman's Docker API service."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

from kiln.builtin.builders.docker.artifact import BUILDER_ID_IMPORT, ImageArtifact
from kiln.builtin.builders.docker.config import DockerConfig, DockerfileConfig
from kiln.builtin.post_processors.docker.docker_import import DockerImportConfig
from kiln.builtin.post_processors.docker.docker_push import DockerPushConfig
from kiln.builtin.post_processors.docker.docker_save import DockerSaveConfig
from kiln.builtin.post_processors.docker.docker_tag import DockerTagConfig, DockerTagPostProcessor
from kiln.builtin.post_processors.docker.oci_layout import OCILayoutConfig
from kiln.builtin.provisioners.file import FileProvisionerConfig
from kiln.builtin.provisioners.shell import ShellConfig
from kiln.core.build import BuildOptions, make_ui, run_builds
from kiln.sdk.component import BuildInfo, PostProcessContext
from kiln.sdk.plan import BuildPlan, ComponentSpec, PostProcessorSpec, ProvisionerSpec
from kiln.sdk.testing import recording_ui
from podman import BASE_IMAGE, REGISTRY_PASSWORD, REGISTRY_USER


def run_plan(plan: BuildPlan) -> tuple[int, str]:
    stream = io.StringIO()
    options = BuildOptions(color=False)
    code = asyncio.run(run_builds([plan], options, make_ui(options, stream)))
    return code, stream.getvalue()


CREDENTIALS = f"{REGISTRY_USER}:{REGISTRY_PASSWORD}"


def login_options(registry: str) -> dict[str, object]:
    return {
        "login": True,
        "login_server": registry,
        "login_username": REGISTRY_USER,
        "login_password": REGISTRY_PASSWORD,
    }


def provisioners(tmp_path: Path) -> list[ProvisionerSpec]:
    upload = tmp_path / "motd"
    upload.write_text("provisioned by kiln\n")
    return [
        ProvisionerSpec(
            "file", FileProvisionerConfig(source=str(upload), destination="/etc/motd"), name="file"
        ),
        ProvisionerSpec(
            "shell", ShellConfig(inline=["cat /etc/motd", "echo id={{ .ID }} >&2"]), name="shell"
        ),
    ]


def test_commit_runs_provisioned_image(docker_host, podman_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("PACKER_TMP_DIR", str(tmp_path / "shared"))
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
    assert f"    docker.base: Run command: docker run -v {tmp_path}/shared/tmp" in output
    assert f":/packer-files -d -i -t --entrypoint=/bin/sh -- {BASE_IMAGE}\n" in output
    assert "==> docker.base: Using docker communicator to connect: " in output
    assert "docker.base: provisioned by kiln\n" in output
    assert "==> docker.base: Committing the container" in output
    image_id = output.split("Imported Docker image: ")[1].split()[0]
    assert image_id.startswith("sha256:")
    ran = podman_engine.podman("run", "--rm", "--entrypoint", "", image_id, "/bin/cat", "/etc/motd")
    assert ran.stdout == "provisioned by kiln\n"
    inspected = podman_engine.podman("image", "inspect", "--format", "{{.Author}}|{{.Comment}}", image_id)
    assert inspected.stdout.strip() == "kiln tests|provisioned"


def test_tag_push_pull_through_registry(docker_host, podman_engine, registry, tmp_path):
    repository = f"{registry}/kiln/app"
    config = DockerConfig(image=BASE_IMAGE, pull=False, commit=True)
    chain = [
        PostProcessorSpec(
            "docker-tag", DockerTagConfig(repository=repository, tags=["1.0", "stable"]), name="tag"
        ),
        PostProcessorSpec("docker-push", DockerPushConfig(**login_options(registry)), name="push"),
    ]
    plan = BuildPlan(
        "docker.push",
        ComponentSpec("docker", config),
        provisioners=provisioners(tmp_path),
        post_processor_chains=[chain],
    )

    code, output = run_plan(plan)

    assert code == 0, output
    assert f"docker.push (docker-tag): Repository: {repository}:1.0" in output
    assert f"docker.push (docker-push): Pushing: {repository}:stable" in output
    podman_engine.podman("rmi", "--force", f"{repository}:1.0", f"{repository}:stable")
    pulled = podman_engine.podman("pull", "--creds", CREDENTIALS, f"{repository}:1.0", check=False)
    assert pulled.returncode == 0, pulled.stderr
    ran = podman_engine.podman("run", "--rm", f"{repository}:1.0", "-c", "cat /etc/motd")
    assert ran.stdout == "provisioned by kiln\n"


def test_oci_layout_and_save(docker_host, podman_engine, tmp_path):
    layout = tmp_path / "layout"
    saved = tmp_path / "saved.tar"
    config = DockerConfig(image=BASE_IMAGE, pull=False, commit=True, changes=["LABEL stage=oci"])
    plan = BuildPlan(
        "docker.oci",
        ComponentSpec("docker", config),
        provisioners=provisioners(tmp_path),
        post_processor_chains=[
            [PostProcessorSpec("oci-layout", OCILayoutConfig(path=str(layout), ref_name="v1"), name="oci")],
            [PostProcessorSpec("docker-save", DockerSaveConfig(path=str(saved)), name="save")],
        ],
    )

    code, output = run_plan(plan)

    assert code == 0, output
    assert json.loads((layout / "oci-layout").read_text()) == {"imageLayoutVersion": "1.0.0"}
    index = json.loads((layout / "index.json").read_text())
    manifest_descriptor = index["manifests"][0]
    assert manifest_descriptor["annotations"]["org.opencontainers.image.ref.name"] == "v1"
    manifest = json.loads(read_blob(layout, manifest_descriptor))
    image_config = json.loads(read_blob(layout, manifest["config"]))
    assert image_config["config"]["Labels"]["stage"] == "oci"
    layer_files = set()
    for layer in manifest["layers"]:
        assert layer["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip"
        with tarfile.open(fileobj=io.BytesIO(read_blob(layout, layer))) as archive:
            layer_files.update(archive.getnames())
    assert "etc/motd" in layer_files
    diff_ids = image_config["rootfs"]["diff_ids"]
    assert len(diff_ids) == len(manifest["layers"])
    with tarfile.open(saved) as archive:
        assert "manifest.json" in archive.getnames()
    if shutil.which("skopeo"):
        inspected = subprocess.run(
            ["skopeo", "inspect", f"oci:{layout}:v1"], capture_output=True, text=True, check=False
        )
        assert inspected.returncode == 0, inspected.stderr
        assert json.loads(inspected.stdout)["Labels"]["stage"] == "oci"


def read_blob(layout: Path, descriptor: dict) -> bytes:
    """Read a blob and check it against its descriptor's digest and size."""
    algorithm, _, digest = descriptor["digest"].partition(":")
    data = (layout / "blobs" / algorithm / digest).read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    assert len(data) == descriptor["size"]
    return data


def test_export_then_import(docker_host, podman_engine, tmp_path):
    exported = tmp_path / "rootfs.tar"
    config = DockerConfig(image=BASE_IMAGE, pull=False, export_path=str(exported))
    importer = DockerImportConfig(repository="localhost/kiln/imported", tag="v2", changes=['CMD ["/bin/sh"]'])
    plan = BuildPlan(
        "docker.export",
        ComponentSpec("docker", config),
        provisioners=provisioners(tmp_path),
        post_processor_chains=[
            [PostProcessorSpec("docker-import", importer, name="import", keep_input_artifact=True)]
        ],
    )

    code, output = run_plan(plan)

    assert code == 0, output
    assert "docker.export (docker-import): Repository: localhost/kiln/imported:v2" in output
    with tarfile.open(exported) as archive:
        assert "etc/motd" in [name.lstrip("./") for name in archive.getnames()]
    ran = podman_engine.podman("run", "--rm", "localhost/kiln/imported:v2", "/bin/cat", "/etc/motd")
    assert ran.stdout == "provisioned by kiln\n"


def test_failed_provisioner_removes_container(docker_host, podman_engine, tmp_path):
    config = DockerConfig(image=BASE_IMAGE, pull=False, commit=True)
    failing = ProvisionerSpec("shell", ShellConfig(inline=["echo about to fail", "exit 7"]), name="shell")
    plan = BuildPlan("docker.fail", ComponentSpec("docker", config), provisioners=[failing])
    before = set(podman_engine.podman("ps", "--all", "--quiet", "--no-trunc").stdout.split())

    code, output = run_plan(plan)

    assert code == 1
    assert "Script exited with non-zero exit status: 7" in output
    assert "==> docker.fail: Killing the container: " in output
    after = set(podman_engine.podman("ps", "--all", "--quiet", "--no-trunc").stdout.split())
    assert after <= before


def test_pull_records_source_digest(docker_host, podman_engine, registry, tmp_path):
    source = f"{registry}/kiln/base:1"
    podman_engine.podman("tag", BASE_IMAGE, source)
    podman_engine.podman("push", "--creds", CREDENTIALS, source)
    config = DockerConfig(image=source, discard=True, **login_options(registry))
    shell = ProvisionerSpec(
        "shell",
        ShellConfig(inline=["echo digest={{ .SourceImageDigest }} sha={{ .SourceImageSha256 }}"]),
        name="shell",
    )
    plan = BuildPlan("docker.pull", ComponentSpec("docker", config), provisioners=[shell])

    code, output = run_plan(plan)

    assert code == 0, output
    assert f"==> docker.pull: Pulling Docker image: {source}" in output
    digest = output.split("digest=")[1].split()[0]
    image_id = output.split("sha=")[1].split()[0]
    assert digest.startswith("sha256:")
    inspected = podman_engine.podman("image", "inspect", "--format", "{{.Id}}", source).stdout.strip()
    assert image_id == f"sha256:{inspected}"
    assert "--> docker.pull: Exported Docker file: \n" in output


def test_build_block_bootstraps_image(docker_host, podman_engine, tmp_path):
    context_dir = tmp_path / "context"
    context_dir.mkdir()
    (context_dir / "Dockerfile").write_text(
        f"FROM {BASE_IMAGE}\nARG GREETING=unset\nCOPY note.txt /note.txt\nRUN echo $GREETING > /greeting\n"
    )
    (context_dir / "note.txt").write_text("from the context\n")
    build = DockerfileConfig(path=str(context_dir / "Dockerfile"), arguments={"GREETING": "hi"}, pull=False)
    config = DockerConfig(build=build, discard=True)
    shell = ProvisionerSpec("shell", ShellConfig(inline=["cat /greeting /note.txt"]), name="shell")
    plan = BuildPlan("docker.bootstrap", ComponentSpec("docker", config), provisioners=[shell])

    code, output = run_plan(plan)

    assert code == 0, output
    assert f"==> docker.bootstrap: Building the base image from {build.path}..." in output
    assert "    docker.bootstrap: Built image: sha256:" in output
    assert "docker.bootstrap: hi\n" in output
    assert "docker.bootstrap: from the context\n" in output


def test_missing_image_fails_cleanly(docker_host, podman_engine):
    config = DockerConfig(image="localhost/kiln/no-such-image:1", pull=False, discard=True)
    plan = BuildPlan("docker.missing", ComponentSpec("docker", config))

    code, output = run_plan(plan)

    assert code == 1
    assert "==> docker.missing: Error running container: " in output
    assert "no-such-image" in output.split("Error running container: ")[1].splitlines()[0]
    assert "Traceback" not in output


def test_pull_with_wrong_password_fails(docker_host, podman_engine, registry):
    source = f"{registry}/kiln/private:1"
    podman_engine.podman("tag", BASE_IMAGE, source)
    podman_engine.podman("push", "--creds", CREDENTIALS, source)
    podman_engine.podman("rmi", source)
    options = {**login_options(registry), "login_password": "wrong"}
    plan = BuildPlan(
        "docker.denied", ComponentSpec("docker", DockerConfig(image=source, discard=True, **options))
    )

    code, output = run_plan(plan)

    assert code == 1
    assert "==> docker.denied: Error pulling Docker image: " in output
    assert "wrong" not in output


def test_tag_without_tags_records_none(docker_host, podman_engine):
    processor = DockerTagPostProcessor()
    processor.prepare(DockerTagConfig(repository="localhost/kiln/untagged"))
    image_id = podman_engine.podman("image", "inspect", "--format", "{{.Id}}", BASE_IMAGE).stdout.strip()
    ui, sink = recording_ui()

    result = asyncio.run(
        processor.post_process(
            PostProcessContext(ui, BuildInfo()), ImageArtifact(BUILDER_ID_IMPORT, image_id)
        )
    )

    assert result.artifact.id == "localhost/kiln/untagged"
    assert result.artifact.state("docker_tags") == []
    assert (result.keep, result.force_override) == (True, True)
    assert sink.texts() == [f"Tagging image: {image_id}", "Repository: localhost/kiln/untagged"]
    listed = podman_engine.podman("image", "inspect", "--format", "{{.Id}}", "localhost/kiln/untagged:latest")
    assert listed.stdout.strip() == image_id
