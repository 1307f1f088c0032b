"""`kiln hcl2_upgrade`: write an HCL2 template equivalent to a legacy JSON template."""

from __future__ import annotations

import os

from kiln.cli.common import parse_arguments
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln hcl2_upgrade [options] TEMPLATE

  Will transform your JSON template into an HCL2 configuration.

Options:

  -output-file=path    Set output file name. By default this will be the
                       TEMPLATE name with ".pkr.hcl" appended to it. To be a
                       valid Packer HCL template, it must have the suffix
                       ".pkr.hcl"
  -with-annotations    Add helper annotation comments to the file to help new
                       HCL2 users understand the template format.
"""


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet(name)
    flags.string("output-file")
    flags.bool("with-annotations")
    positional = parse_arguments(flags, arguments, output, HELP)
    if positional is None:
        return 1
    if len(positional) != 1:
        output.say(HELP.strip("\n"))
        return 1

    from kiln.core.registry import lookup
    from kiln.template.legacy_json.template import parse_template
    from kiln.template.upgrade import upgrade

    path = positional[0]
    destination = flags.value("output-file") or path + ".pkr.hcl"
    try:
        raw = open(path, "rb").read()  # noqa: SIM115
    except OSError as exc:
        output.error(f"Failed to read the template {path}: {exc.strerror}")
        output.error("Failed to get config from JSON")
        return 1
    template, diagnostics = parse_template(raw, path)
    if template is None or diagnostics.has_errors():
        output.diagnostics(diagnostics)
        output.error("Failed to get config from JSON")
        return 1

    result = upgrade(
        template,
        raw.decode("utf-8", errors="replace"),
        with_annotations=flags.value("with-annotations"),
        builder_known=lambda type_name: lookup("builder", type_name) is not None,
    )
    for problem in result.problems:
        output.error(f"Ignoring following sources.Parse error: {problem}")
    try:
        os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
        temporary = destination + ".kiln-partial"
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(result.text)
        os.replace(temporary, destination)
    except OSError as exc:
        output.error(f"Failed to write to file: {exc}")
        return 1
    status = 1 if result.problems else 0
    output.say(f"Successfully created {destination}. Exit {status}")
    return status
