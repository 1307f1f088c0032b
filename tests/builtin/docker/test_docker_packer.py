"""The docker builder's output next to Packer 1.6.6's for the same template and engine.

Packer drives the engine with the docker CLI, so both need `packer` and `docker` installed and
reach the same podman service through DOCKER_HOST. Packer 1.6.6 fails to commit against podman
4.3 (the docker CLI's commit request is rejected with "Decode(): EOF"), so the template
discards the container.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from podman import BASE_IMAGE

pytestmark = [
    pytest.mark.packer,
    pytest.mark.skipif(
        shutil.which("packer") is None or shutil.which("docker") is None,
        reason="needs packer and the docker CLI",
    ),
]

TEMPLATE = textwrap.dedent(
    f"""\
    source "docker" "box" {{
      image   = "{BASE_IMAGE}"
      pull    = false
      discard = true
    }}

    build {{
      sources = ["source.docker.box"]

      provisioner "file" {{
        source      = "hello.txt"
        destination = "/tmp/hello.txt"
      }}
      provisioner "shell" {{
        inline = ["cat /tmp/hello.txt"]
      }}
    }}
    """
)

# Values that differ between any two runs.
VOLATILE = [
    (re.compile(r"[0-9a-f]{64}"), "CONTAINER"),
    (re.compile(r"-v \S+:/packer-files"), "-v SHARED:/packer-files"),
    (re.compile(r"connect: [0-9.]+"), "connect: ADDRESS"),
    (re.compile(r"/tmp/packer-shell\d+"), "/tmp/packer-shellN"),
    (re.compile(r"after [0-9a-z .]+"), "after DURATION"),
]


def normalize(output: str) -> list[str]:
    for pattern, replacement in VOLATILE:
        output = pattern.sub(replacement, output)
    return output.splitlines()


@pytest.fixture(scope="module")
def outputs(podman_engine, tmp_path_factory) -> tuple[list[str], list[str]]:
    folder = tmp_path_factory.mktemp("packer-docker")
    (folder / "hello.txt").write_text("hello\n")
    (folder / "box.pkr.hcl").write_text(TEMPLATE)
    environment = {
        **os.environ,
        "DOCKER_HOST": podman_engine.docker_host,
        "PACKER_TMP_DIR": str(folder / "shared"),
        "CHECKPOINT_DISABLE": "1",
    }
    results = []
    for command in (["packer"], [sys.executable, "-m", "kiln"]):
        completed = subprocess.run(
            [*command, "build", "-color=false", "box.pkr.hcl"],
            cwd=folder,
            env=environment,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        results.append(normalize(completed.stdout))
    return results[0], results[1]


def test_output_matches_packer(outputs):
    packer, kiln = outputs
    assert kiln == packer
