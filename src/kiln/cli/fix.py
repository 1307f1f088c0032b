"""`kiln fix`: print a legacy JSON template with options from older releases rewritten."""

from __future__ import annotations

from kiln.cli.common import parse_arguments
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln fix [options] TEMPLATE

  Reads the JSON template and attempts to fix known backwards
  incompatibilities. The fixed template will be outputted to standard out.

  If the template cannot be fixed due to an error, the command will exit
  with a non-zero exit status. Error messages will appear on standard error.

Fixes that are run (in order):

  iso-md5                      Replaces "iso_md5" in builders with "iso_checksum"
  createtime                   Replaces ".CreateTime" in builder configs with "{{timestamp}}"
  sshkeypath                   Updates builders using "ssh_key_path" to use "ssh_private_key_file"
  sshdisableagent              Updates builders using "ssh_disable_agent" to use "ssh_disable_agent_forwarding"
  manifest-filename            Updates "filename" to "output" in manifest post-processor
  docker-email                 Removes "login_email" from the Docker builder
  iso-checksum-type-and-url    Combines "iso_checksum_type" and "iso_checksum_url" into "iso_checksum"
  qemu-host-port               Updates "ssh_host_port_min/max" to "host_port_min/max" in qemu builders
  galaxy-command               Updates "galaxycommand" to "galaxy_command" in the ansible provisioner
  ssh-wait-timeout             Replaces "ssh_wait_timeout" with "ssh_timeout"

Options:

  -validate=true      If true (default), validates the fixed template.
"""


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet(name)
    flags.bool("validate", default=True)
    positional = parse_arguments(flags, arguments, output, HELP)
    if positional is None:
        return 1
    if len(positional) != 1:
        output.say(HELP.strip("\n"))
        return 1

    from kiln.hcl.diagnostics import SourceFiles, error
    from kiln.template.fix import dump_json, fix_template
    from kiln.template.legacy_json.template import load_json, parse_template

    path = positional[0]
    try:
        source = open(path, "rb").read()  # noqa: SIM115
    except OSError as exc:
        output.error(f"Error opening template: {exc.strerror}: {path}")
        return 1
    sources = SourceFiles()
    sources.add(path, source)
    data, diagnostics = load_json(source, path)
    if diagnostics.has_errors() or not isinstance(data, dict):
        if not diagnostics:
            diagnostics.append(error("Failed to parse template", "The template must be a JSON object."))
        output.diagnostics(diagnostics, sources)
        return 1

    fixed_text = dump_json(fix_template(data))
    output.say(fixed_text)

    if flags.value("validate"):
        template, problems = parse_template(fixed_text.encode(), path)
        if template is not None and not template.builders:
            problems.append(error("Failed to parse template", "at least one builder must be defined"))
        if problems.has_errors():
            output.error("Error! Fixed template fails to parse.\n\nThis is usually caused by an error in the input template.")
            output.error("Please fix the error below and run 'packer fix' again:\n")
            output.diagnostics(problems, sources)
            return 1
    return 0
