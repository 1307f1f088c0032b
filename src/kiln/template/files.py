"""Finding and parsing the files of an HCL2 template and its variable files.

A template is one `.pkr.hcl` or `.pkr.json` file, or a directory whose `*.pkr.hcl` files
load first and `*.pkr.json` files after them, each group in name order. Only a directory
brings its auto variable files (`*.auto.pkrvars.hcl`, then `*.auto.pkrvars.json`); Packer
ignores them next to a single template file, and so does kiln. Subdirectories are not read.
"""

from __future__ import annotations

import os

from kiln.hcl.diagnostics import Diagnostics, SourceFiles, error
from kiln.hcl.record import Record
from kiln.hcl.schema import Body

HCL2_FILE_EXT = ".pkr.hcl"
HCL2_JSON_FILE_EXT = ".pkr.json"
HCL2_VAR_FILE_EXT = ".pkrvars.hcl"
HCL2_AUTO_VAR_FILE_EXT = ".auto.pkrvars.hcl"
HCL2_AUTO_VAR_JSON_FILE_EXT = ".auto.pkrvars.json"


class ParsedFile(Record):
    filename: str  # as given or joined to the directory given, as diagnostics name it
    body: Body

    __slots__ = ("body", "filename")

    def __init__(self, filename: str, body: Body) -> None:
        self.filename = filename
        self.body = body


def want_hcl2(path: str) -> bool:
    """Return whether `path` names an HCL2 template rather than a legacy JSON one."""
    return path.endswith((HCL2_FILE_EXT, HCL2_JSON_FILE_EXT)) or os.path.isdir(path)


def find_template_files(path: str) -> tuple[list[str], list[str], Diagnostics]:
    """Return the template files and the auto variable files that `path` stands for."""
    diagnostics = Diagnostics()
    if not os.path.isdir(path):
        if not os.path.exists(path):
            diagnostics.append(error("Could not read file", f"The file {path} does not exist."))
            return [], [], diagnostics
        return [path], [], diagnostics

    try:
        names = sorted(os.listdir(path))
    except OSError as problem:
        diagnostics.append(error("Cannot read hcl directory", f"{path}: {problem.strerror or problem}"))
        return [], [], diagnostics
    files = [os.path.join(path, name) for name in names if os.path.isfile(os.path.join(path, name))]
    templates = [f for f in files if f.endswith(HCL2_FILE_EXT)] + [
        f for f in files if f.endswith(HCL2_JSON_FILE_EXT)
    ]
    var_files = [f for f in files if f.endswith(HCL2_AUTO_VAR_FILE_EXT)]
    var_files += [f for f in files if f.endswith(HCL2_AUTO_VAR_JSON_FILE_EXT)]
    if not templates:
        diagnostics.append(
            error(
                "Could not find any config file in " + path,
                "A config file must be suffixed with `.pkr.hcl` or `.pkr.json`. "
                "A folder can be referenced using its path.",
            )
        )
    return templates, var_files, diagnostics


def parse_file(filename: str, sources: SourceFiles) -> tuple[ParsedFile | None, Diagnostics]:
    """Read and parse one file in HCL native syntax or, for `.json` names, HCL's JSON syntax."""
    try:
        # open() rather than pathlib: a syntax check then does not import pathlib.
        with open(filename, "rb") as stream:
            source = stream.read()
    except OSError as problem:
        reason = problem.strerror or str(problem)
        return None, Diagnostics(
            [error("Failed to read file", f"The file {filename} could not be read: {reason}.")]
        )
    sources.add(filename, source)

    if filename.endswith(".json"):
        from kiln.hcl.json import parse_json

        parsed, diagnostics = parse_json(source, filename)
    else:
        from kiln.hcl.syntax.parser import parse_config

        parsed, diagnostics = parse_config(source, filename)
    if parsed is None:
        return None, Diagnostics(diagnostics)
    # Lets diagnostics name their enclosing block ("in source ..."), as Packer's do.
    context = getattr(parsed, "context_string", None)
    if context is not None:
        sources.set_context(filename, context)
    return ParsedFile(filename, parsed.body), Diagnostics(diagnostics)


def check_var_file_name(filename: str) -> Diagnostics:
    """Reject `-var-file` names whose extension does not name a syntax (`.hcl` or `.json`)."""
    if filename.endswith((".hcl", ".json")):
        return Diagnostics()
    return Diagnostics(
        [
            error(
                "Could not guess format of " + filename,
                "A var file must be suffixed with `.hcl` or `.json`.",
            )
        ]
    )
