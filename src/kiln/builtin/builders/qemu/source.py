"""The builder's source image: checksums, the download cache and verification.

Local paths (and `file://` URLs) are used in place, as Packer does. Files at http(s) URLs
are downloaded into PACKER_CACHE_DIR under Packer's cache key, `sha1(checksum or URL).EXT`,
and reused while their checksum matches.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from kiln.sdk.ui import Ui

log = logging.getLogger(__name__)

_LENGTHS = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_BSD_LINE = re.compile(r"^(\w+) \((.+)\) = ([0-9a-fA-F]+)$")
CHUNK = 1 << 20


class SourceError(Exception):
    """The source image could not be found, downloaded or verified."""


@dataclass(frozen=True, slots=True)
class Checksum:
    algorithm: str
    digest: str

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.digest}"


def parse_checksum(text: str, url: str, base_dir: Path) -> Checksum | None:
    """Return the expected checksum of `url` from an `iso_checksum` value; None for `none`."""
    if text.lower() == "none":
        return None
    if text.startswith("file:"):
        return _from_checksum_file(text.removeprefix("file:"), url, base_dir)
    algorithm, _, digest = text.rpartition(":")
    if not algorithm:
        algorithm = _LENGTHS.get(len(digest), "")
    if algorithm not in ("md5", "sha1", "sha256", "sha512") or not _HEX.match(digest):
        raise SourceError(f"Invalid checksum {text!r}: expected TYPE:HEX, bare hex, file:PATH or none.")
    return Checksum(algorithm, digest.lower())


def _from_checksum_file(location: str, url: str, base_dir: Path) -> Checksum:
    text = _read_small(location, base_dir)
    file_name = os.path.basename(urllib.parse.urlparse(url).path or url)
    for line in text.splitlines():
        line = line.strip()
        bsd = _BSD_LINE.match(line)
        if bsd and os.path.basename(bsd.group(2)) == file_name:
            return Checksum(bsd.group(1).lower().replace("-", ""), bsd.group(3).lower())
        parts = line.split()
        if len(parts) >= 2 and os.path.basename(parts[1].lstrip("*")) == file_name:
            digest = parts[0]
            if len(digest) in _LENGTHS and _HEX.match(digest):
                return Checksum(_LENGTHS[len(digest)], digest.lower())
    raise SourceError(f"No checksum for {file_name!r} found in checksum file {location}.")


def _read_small(location: str, base_dir: Path) -> str:
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("http", "https"):
        # Imported here: urllib.request loads http.client and email, which local files never need.
        from urllib.request import urlopen

        with urlopen(location, timeout=60) as response:
            return response.read().decode(errors="replace")
    return local_path(location, base_dir).read_text(errors="replace")


def local_path(url: str, base_dir: Path) -> Path:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "file":
        return Path(urllib.parse.unquote(parsed.path))
    path = Path(os.path.expanduser(url))
    return path if path.is_absolute() else base_dir / path


def is_remote(url: str) -> bool:
    return urllib.parse.urlparse(url).scheme in ("http", "https")


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cache_dir() -> Path:
    configured = os.environ.get("PACKER_CACHE_DIR")
    if configured:
        return Path(configured).absolute()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "packer" if xdg else Path.home() / ".cache" / "packer"


def cache_target(checksum_text: str, urls: list[str], extension: str) -> Path:
    key = checksum_text if checksum_text and checksum_text.lower() != "none" else "".join(urls)
    return cache_dir() / f"{hashlib.sha1(key.encode()).hexdigest()}.{extension.lower()}"


def verify(path: Path, checksum: Checksum | None) -> None:
    if checksum is None:
        return
    actual = file_digest(path, checksum.algorithm)
    if actual != checksum.digest:
        raise SourceError(
            f"Checksum did not match for {path}: expected {checksum}, got {checksum.algorithm}:{actual}."
        )


def fetch(url: str, target: Path, checksum: Checksum | None, ui: Ui) -> Path:
    """Download `url` to `target` (reusing a verified copy), verifying its checksum. Blocking.

    `TARGET.lock` is held meanwhile, so parallel builds wanting the same file download it once.
    """
    import fcntl

    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _fetch_locked(url, target, checksum, ui)


def _fetch_locked(url: str, target: Path, checksum: Checksum | None, ui: Ui) -> Path:
    if target.exists():
        try:
            verify(target, checksum)
            log.debug("reusing cached %s", target)
            return target
        except SourceError:
            log.debug("cached %s does not match its checksum; downloading again", target)
    partial = target.with_name(target.name + ".part")
    ui.say(f"{url} => {target}")
    from urllib.request import urlopen

    with urlopen(url, timeout=60) as response, partial.open("wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with ui.progress(f"Downloading {os.path.basename(url)}", total) as progress:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                progress.advance(len(chunk))
    try:
        verify(partial, checksum)
    except SourceError:
        ui.error(f"Checksum did not match, removing {partial}")
        partial.unlink(missing_ok=True)
        raise
    shutil.move(partial, target)
    return target
