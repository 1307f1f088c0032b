"""Row: one QEMU build of kiln's tiny test image, provisioned over SSH, by kiln and by Packer.

Both run the same legacy JSON template (the qemu builder with `disk_image`, TCG, a shell
provisioner, `poweroff`). `boot_wait` is 1 ms because Packer 1.6.6 treats `0s` as unset and
waits its 10 s default. The guest itself needs about 7.6 s before SSH accepts connections and about 2 s to power
off under TCG on this kind of machine, so what the ratio shows is each tool's overhead.
Packer connects only to an image from scripts/build-test-image version 2 or later, whose
dropbear also has an ECDSA host key (the script explains why).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from rows import REPO, Commands, Row, kiln_command, packer_command, quiet_env


def prepare(folder: Path) -> Commands:
    image_dir = Path(subprocess.run([str(REPO / "scripts" / "build-test-image")], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    template = {
        "builders": [
            {
                "type": "qemu",
                "iso_url": str(image_dir / "disk.qcow2"),
                "iso_checksum": "none",
                "disk_image": True,
                "format": "qcow2",
                "accelerator": "tcg",
                "memory": 256,
                "headless": True,
                "boot_wait": "1ms",
                "ssh_username": "root",
                "ssh_private_key_file": str(image_dir / "id_ed25519"),
                "ssh_timeout": "2m",
                "shutdown_command": "poweroff",
                "output_directory": "output-bench",
                "vm_name": "bench.qcow2",
            }
        ],
        "provisioners": [{"type": "shell", "inline": ["echo provisioned > /etc/kiln-bench", "sync"]}],
    }
    (folder / "qemu.json").write_text(json.dumps(template, indent=2))

    def reset() -> None:
        shutil.rmtree(folder / "output-bench", ignore_errors=True)

    return Commands(
        kiln_command() + ["build", "qemu.json"],
        packer_command() + ["build", "qemu.json"],
        quiet_env(),
        between_runs=reset,
    )


ROWS = [Row("qemu build: tiny image, shell provisioner, TCG", prepare, target=0.88, repeats=3)]
