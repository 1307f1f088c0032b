"""The extra CD built from `cd_files` and `cd_content`, with pycdlib (no external tools)."""

from __future__ import annotations

import glob
import io
import os
from pathlib import Path


def _entries(files: list[str], content: dict[str, str]) -> dict[str, bytes | Path]:
    """Map each path on the CD (relative, `/`-separated) to its bytes or local file."""
    entries: dict[str, bytes | Path] = {}
    for pattern in files:
        matches = sorted(glob.glob(pattern)) or [pattern]
        for match in matches:
            path = Path(match)
            if path.is_dir():
                # Like Packer: `dir` keeps its name on the CD, `dir/` puts its contents at the root.
                prefix = "" if match.endswith("/") else path.name + "/"
                for child in sorted(path.rglob("*")):
                    if child.is_file():
                        entries[prefix + child.relative_to(path).as_posix()] = child
            else:
                entries[path.name] = path
    for name, text in content.items():
        entries[name.lstrip("/")] = text.encode()
    return entries


def make_cd(files: list[str], content: dict[str, str], label: str, target: Path) -> None:
    """Write an ISO 9660 image with Rock Ridge and Joliet names to `target`. Blocking."""
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=4, joliet=3, rock_ridge="1.09", vol_ident=label or "CDROM")
    created_dirs: set[str] = set()
    for name, source in sorted(_entries(files, content).items()):
        parts = name.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            if directory not in created_dirs:
                iso.add_directory(
                    iso_path="/" + directory.upper(), rr_name=parts[depth - 1], joliet_path="/" + directory
                )
                created_dirs.add(directory)
        data = source if isinstance(source, bytes) else source.read_bytes()
        iso.add_fp(
            io.BytesIO(data),
            len(data),
            iso_path="/" + name.upper(),
            rr_name=parts[-1],
            joliet_path="/" + name,
        )
    iso.write(os.fspath(target))
    iso.close()
