"""Flag groups and argument checks shared by the commands, as Packer's `Meta` provides them."""

from __future__ import annotations

from kiln.cli.flags import FlagError, FlagSet
from kiln.cli.output import CommandOutput


class TemplateArguments:
    """The flags every template-reading command accepts, after parsing.

    `vars` are the -var pairs in command-line order; `config_type` is "hcl2" or "json" when
    forced with -config-type, else empty.
    """

    __slots__ = ("config_type", "except_", "only", "path", "var_files", "vars")

    def __init__(
        self,
        path: str = "",
        only: list[str] | None = None,
        except_: list[str] | None = None,
        vars: list[tuple[str, str]] | None = None,
        var_files: list[str] | None = None,
        config_type: str = "",
    ) -> None:
        self.path = path
        self.only = [] if only is None else only
        self.except_ = [] if except_ is None else except_
        self.vars = [] if vars is None else vars
        self.var_files = [] if var_files is None else var_files
        self.config_type = config_type

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"TemplateArguments({fields})"


def define_build_filter(flags: FlagSet) -> None:
    flags.comma_list("only")
    flags.comma_list("except")


def define_vars(flags: FlagSet) -> None:
    flags.key_values("var")
    flags.repeated("var-file")


def define_loading(flags: FlagSet) -> None:
    """Flags that change how templates load; kiln accepts them and has one loading strategy."""
    flags.string("config-type")
    flags.bool("ignore-prerelease-plugins")
    flags.bool("use-sequential-evaluation")


def parse_arguments(
    flags: FlagSet, arguments: list[str], output: CommandOutput, help_text: str
) -> list[str] | None:
    """Parse flags; on a bad flag print the problem and the usage and return None (exit 1)."""
    try:
        return flags.parse(arguments)
    except FlagError as problem:
        output.error(str(problem))
        output.say(help_text.strip("\n"))
        return None


def template_arguments(flags: FlagSet, path: str) -> TemplateArguments:
    return TemplateArguments(
        path=path,
        only=list(flags.value("only")) if "only" in flags.flags else [],
        except_=list(flags.value("except")) if "except" in flags.flags else [],
        vars=list(flags.value("var")) if "var" in flags.flags else [],
        var_files=list(flags.value("var-file")) if "var-file" in flags.flags else [],
        config_type=flags.value("config-type") if "config-type" in flags.flags else "",
    )
