"""`kiln build` of an HCL template with a docker source, against the podman engine."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from podman import BASE_IMAGE

TEMPLATE = textwrap.dedent(
    f"""\
    source "docker" "box" {{
      image     = "{BASE_IMAGE}"
      pull      = false
      commit    = true
      changes   = ["ENV STAGE=hcl", "USER nobody"]
      exec_user = "nobody"
    }}

    build {{
      sources = ["source.docker.box"]

      provisioner "file" {{
        content     = "hello from hcl\\n"
        destination = "/tmp/hello.txt"
      }}
      provisioner "shell" {{
        inline = ["id -u", "stat -c owner=%u /tmp/hello.txt", "echo id=${{build.ID}}"]
      }}
      post-processor "docker-tag" {{
        repository = "localhost/kiln/hcl"
        tags       = ["t1"]
      }}
    }}
    """
)


def test_build_hcl_template(docker_host, podman_engine, tmp_path):
    template = tmp_path / "box.pkr.hcl"
    template.write_text(TEMPLATE)

    completed = subprocess.run(
        [sys.executable, "-m", "kiln", "build", "-color=false", str(template)],
        capture_output=True,
        text=True,
        env={**os.environ, "DOCKER_HOST": docker_host},
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    output = completed.stdout

    assert completed.returncode == 0, output + completed.stderr
    assert "docker.box: 65534\n" in output
    assert "docker.box: owner=65534\n" in output
    container_id = output.split("Container ID: ")[1].split()[0]
    assert f"docker.box: id={container_id}\n" in output
    assert (
        "--> docker.box: Imported Docker image: localhost/kiln/hcl:t1 with tags localhost/kiln/hcl:t1"
        in output
    )
    inspected = podman_engine.podman(
        "image", "inspect", "--format", "{{.Config.User}} {{.Config.Env}}", "localhost/kiln/hcl:t1"
    )
    assert inspected.stdout.startswith("nobody ")
    assert "STAGE=hcl" in inspected.stdout
    listed = podman_engine.podman("ps", "--all", "--quiet")
    assert listed.stdout == ""
