"""`kiln init`: check a template's `required_plugins` against the components kiln ships.

Packer downloads plug-ins here. kiln's components are built in, so `init` reports, for each
required plug-in, whether kiln provides components of that plug-in's name, and fails for
those it does not, since kiln cannot load Packer's plug-in binaries.
"""

from __future__ import annotations

from kiln.cli.common import define_loading, define_vars, parse_arguments, template_arguments
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln init [options] [config.pkr.hcl|folder/]

  Install all the missing plugins required in a Packer config. Note that Packer
  does not have a state.

  kiln ships its builders, provisioners, post-processors and data sources built
  in, so init checks that each required plugin's components are among them.

Options:
  -upgrade                     On top of installing missing plugins, update
                               installed plugins to the latest available
                               version, if there is a new higher one. Note that
                               this still takes into consideration the version
                               constraint of the config.
  -force                       Forces reinstallation of plugins, even if already
                               installed.
"""

NO_REQUIREMENTS = (
    "No plugins requirement found, make sure you reference a Packer config\n"
    "containing a packer.required_plugins block. See\n"
    "https://www.packer.io/docs/templates/hcl_templates/blocks/packer\n"
    "for more info."
)


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet(name)
    flags.bool("upgrade")
    flags.bool("force")
    define_vars(flags)
    define_loading(flags)
    positional = parse_arguments(flags, arguments, output, HELP)
    if positional is None:
        return 1
    if len(positional) != 1:
        output.say(HELP.strip("\n"))
        return 1

    from kiln.template.files import want_hcl2

    if not want_hcl2(positional[0]):
        output.error(
            "Error: Packer's plugin installation works with HCL2 configuration templates only;\n"
            f"{positional[0]} is not one. Templates end in .pkr.hcl or .pkr.json."
        )
        return 1

    from kiln.cli.session import open_template

    config = open_template(template_arguments(flags, positional[0]), output)
    if config is None:
        return 1
    requirements = [requirement for block in config.required_plugins for requirement in block.values()]
    if not requirements:
        output.say(NO_REQUIREMENTS)
        return 0
    return _check_requirements(requirements, output)


def _check_requirements(requirements: list, output: CommandOutput) -> int:  # type: ignore[type-arg]
    from kiln.core.registry import ComponentKind, type_names

    provided = {type_name for kind in ComponentKind for type_name in type_names(kind)}
    status = 0
    for requirement in requirements:
        plugin = requirement.source.rsplit("/", 1)[-1]
        matches = sorted(t for t in provided if t == plugin or t.startswith(plugin + "-"))
        if matches:
            output.say(
                f"Plugin {requirement.source} is built into kiln ({', '.join(matches)}); nothing to install."
            )
            continue
        output.error(
            f"Error: Plugin {requirement.source} is not available: kiln cannot install Packer plugins,\n"
            f"and none of its built-in components is named {plugin!r} or starts with {plugin + '-'!r}."
        )
        status = 1
    return status
