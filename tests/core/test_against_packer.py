"""kiln build against the installed Packer 1.6.6: the machine-readable artifact records must agree."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.packer,
    pytest.mark.skipif(shutil.which("packer") is None, reason="packer is not installed"),
]

TEMPLATE = """
source "null" "first" { communicator = "none" }
source "null" "second" { communicator = "none" }

build {
  sources = ["source.null.first", "source.null.second"]
  provisioner "shell-local" { inline = ["echo provisioned"] }
  post-processor "manifest" { output = "manifest.json" }
  post-processor "checksum" { checksum_types = ["md5"] }
}
"""


def machine_records(command: list[str], folder) -> dict[str, list[str]]:
    """Run a build and return its artifact records by build, in the order printed.

    Packer lists the builds of its summary in Go map order, which varies from run to run, so
    only the order within one build is compared.
    """
    result = subprocess.run(
        [*command, "build", "-machine-readable", "-parallel-builds=1", "template.pkr.hcl"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "CHECKPOINT_DISABLE": "1", "HOME": str(folder)},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    records: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        _, target, kind, *args = line.split(",")
        if kind.startswith("artifact"):
            records.setdefault(target, []).append(",".join([kind, *args]))
    return records


def test_artifact_records_match_packer(tmp_path):
    packer_dir = tmp_path / "packer"
    kiln_dir = tmp_path / "kiln"
    for folder in (packer_dir, kiln_dir):
        folder.mkdir()
        (folder / "template.pkr.hcl").write_text(TEMPLATE)

    expected = machine_records(["packer"], packer_dir)
    actual = machine_records([sys.executable, "-m", "kiln"], kiln_dir)

    assert sorted(expected) == ["null.first", "null.second"]
    assert [len(records) for records in expected.values()] == [16, 16]
    assert actual == expected


def test_manifest_matches_packer(tmp_path):
    import re

    texts = []
    for name, command in (("packer", ["packer"]), ("kiln", [sys.executable, "-m", "kiln"])):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "template.pkr.hcl").write_text(TEMPLATE)
        machine_records(command, folder)
        text = (folder / "manifest.json").read_text()
        text = re.sub(r'"(packer_run_uuid|last_run_uuid)": "[0-9a-f-]+"', r'"\1": "UUID"', text)
        texts.append(re.sub(r'"build_time": \d+', '"build_time": 0', text))

    assert texts[1] == texts[0]
