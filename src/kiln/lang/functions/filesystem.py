"""Filesystem functions, as go-cty-funcs defines them, plus Packer's `filebase64`.

`file`, `fileexists`, `fileset` and `templatefile` resolve relative paths against the
template's directory (path.root); Packer's `filebase64` resolves them against the working
directory instead. Paths in messages are written as Go's filepath.Join and Clean make them.
"""

from __future__ import annotations

import base64
import os
import posixpath
import stat
from pathlib import Path

from kiln.lang.functions._base import Function, FunctionError, Parameter, make
from kiln.lang.functions._doublestar import GlobPatternError, glob_files
from kiln.lang.functions._gotime import go_quote
from kiln.lang.types import BOOL, STRING, SetType, Type
from kiln.lang.values import FALSE, TRUE, Value, set_val, set_val_empty, string_val


def expand_home(path: str) -> str:
    """Expand a leading ``~`` as mitchellh/go-homedir does: only ``~`` and ``~/...``."""
    if not path.startswith("~"):
        return path
    if len(path) > 1 and path[1] not in "/\\":
        raise FunctionError("cannot expand user-specific home dir")
    home = os.environ.get("HOME") or str(Path.home())
    return home + path[1:]


def go_clean(path: str) -> str:
    """Clean a path as Go's filepath.Clean: no ``.`` or ``..`` segments, ``.`` when empty."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    # normpath keeps a leading "//", which Go collapses.
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def go_join(*parts: str) -> str:
    kept = [part for part in parts if part]
    return go_clean("/".join(kept)) if kept else ""


def resolve_path(base_dir: Path, path: str) -> str:
    """Return `path` with ``~`` expanded, joined to `base_dir` when relative, and cleaned."""
    path = expand_home(path)
    if not os.path.isabs(path):
        path = go_join(str(base_dir), path)
    return go_clean(path)


def read_file_bytes(base_dir: Path, path: str) -> bytes:
    """Read a file for `file` and `templatefile`, with go-cty-funcs' error messages."""
    resolved = resolve_path(base_dir, path)
    try:
        return Path(resolved).read_bytes()
    except FileNotFoundError:
        raise FunctionError(f"no file exists at {resolved}") from None
    except OSError:
        raise FunctionError(f"failed to read {resolved}") from None


def read_text_file(base_dir: Path, path: str) -> str:
    data = read_file_bytes(base_dir, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FunctionError(
            f"contents of {path} are not valid UTF-8; use the filebase64 function to obtain the "
            "Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to "
            "obtain file hashing results instead"
        ) from None


def _go_base(path: str) -> str:
    if path == "":
        return "."
    stripped = path.rstrip("/")
    if stripped == "":
        return "/"
    return stripped.rsplit("/", 1)[-1]


def _go_dir(path: str) -> str:
    head = path[: path.rfind("/") + 1]
    return go_clean(head)


def _go_mode_string(mode: int) -> str:
    """Write a file mode as Go's fs.FileMode.String: type letters, then rwx bits."""
    letters = ""
    if stat.S_ISDIR(mode):
        letters += "d"
    if stat.S_ISLNK(mode):
        letters += "L"
    if stat.S_ISFIFO(mode):
        letters += "p"
    if stat.S_ISSOCK(mode):
        letters += "S"
    if stat.S_ISCHR(mode):
        letters += "Dc"
    elif stat.S_ISBLK(mode):
        letters += "D"
    bits = "".join(char if mode & (1 << (8 - i)) else "-" for i, char in enumerate("rwxrwxrwx"))
    return (letters or "-") + bits


def make_filesystem_functions(base_dir: Path) -> dict[str, Function]:
    """Return the filesystem functions with relative paths resolved against `base_dir`."""

    def file_impl(args: list[Value], _: Type) -> Value:
        return string_val(read_text_file(base_dir, args[0].as_str()))

    def fileexists_impl(args: list[Value], _: Type) -> Value:
        resolved = resolve_path(base_dir, args[0].as_str())
        try:
            mode = os.stat(resolved).st_mode
        except FileNotFoundError:
            return FALSE
        except OSError:
            raise FunctionError(f"failed to stat {resolved}") from None
        if stat.S_ISREG(mode):
            return TRUE
        raise FunctionError(f'{resolved} is not a regular file, but "{_go_mode_string(mode)}"')

    def fileset_impl(args: list[Value], _: Type) -> Value:
        root = args[0].as_str()
        if not os.path.isabs(root):
            root = go_join(str(base_dir), root)
        pattern = go_join(root, args[1].as_str())
        relative_pattern = posixpath.relpath(pattern, go_clean(root)) if pattern != go_clean(root) else ""
        try:
            matches = glob_files(Path(root), relative_pattern) if Path(root).is_dir() else []
        except GlobPatternError as error:
            raise FunctionError(f"failed to glob pattern ({pattern}): {error}") from None
        return set_val([string_val(m) for m in matches]) if matches else set_val_empty(STRING)

    text = [Parameter("path", STRING)]
    return {
        "abspath": make(text, STRING, _abspath),
        "basename": make(text, STRING, lambda a, _: string_val(_go_base(a[0].as_str()))),
        "dirname": make(text, STRING, lambda a, _: string_val(_go_dir(a[0].as_str()))),
        "file": make(text, STRING, file_impl),
        "filebase64": make(text, STRING, _filebase64),
        "fileexists": make(text, BOOL, fileexists_impl),
        "fileset": make(
            [Parameter("path", STRING), Parameter("pattern", STRING)], SetType(STRING), fileset_impl
        ),
        "pathexpand": make(text, STRING, lambda a, _: string_val(expand_home(a[0].as_str()))),
    }


def _abspath(args: list[Value], _: Type) -> Value:
    return string_val(Path(os.path.abspath(args[0].as_str())).as_posix())


def _filebase64(args: list[Value], _: Type) -> Value:
    # Packer's own filebase64 reads relative to the working directory, not path.root.
    path = args[0].as_str()
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise FunctionError(f"failed to read file {go_quote(path)}: {_go_os_error(error, path)}") from None
    return string_val(base64.b64encode(data).decode("ascii"))


def _go_os_error(error: OSError, path: str) -> str:
    """Word an OSError as Go's *PathError: ``open PATH: no such file or directory``."""
    operation = "read" if isinstance(error, IsADirectoryError) else "open"
    reason = (error.strerror or str(error)).lower()
    return f"{operation} {path}: {reason}"
