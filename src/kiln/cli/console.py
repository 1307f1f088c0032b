"""`kiln console`: evaluate expressions against a template, interactively or from standard input.

In HCL2 mode (an HCL2 template, or `-config-type=hcl2`) each line is an HCL expression
evaluated with the template's variables, locals, data sources and functions; in legacy JSON
mode each line is a Go template rendered with the template's user variables. Unset variables
evaluate to `<unknown>` instead of stopping the console, as in Packer.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from kiln.cli.common import define_loading, define_vars, parse_arguments, template_arguments
from kiln.cli.flags import FlagSet
from kiln.cli.output import CommandOutput

HELP = """
Usage: kiln console [options] [TEMPLATE]

  Creates a console for testing variable interpolation.
  If a template is provided, this command will load the template and any
  variables defined therein into its context to be referenced during
  interpolation.

Options:
  -var 'key=value'              Variable for templates, can be used multiple times.
  -var-file=path                JSON or HCL2 file containing user variables.
  -config-type                  Set to 'hcl2' to run in HCL2 mode when no file is passed. Defaults to json.
  -use-sequential-evaluation    Fallback to using a sequential approach for local/datasource evaluation.
"""

LEGACY_HELP = """Packer console JSON Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables in the Packer config you called the console with.

Type in the interpolation to test and hit <enter> to see the result.

"variables" will dump all available variables and their values.

"{{timestamp}}" will output the timestamp, for example "1559855090".

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ If you would like to start console in hcl2 mode without a config you can
use the --config-type=hcl2 option.
"""

HCL2_HELP = """Packer console HCL2 Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables and functions in the Packer config you called the
console with.

Type in the interpolation to test and hit <enter> to see the result.

"upper(var.foo.id)" would evaluate to the ID of "foo" and uppercase is, if it
exists in your config file.

"variables" will dump all available variables and their values.

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ It is not possible to use go templating interpolation like "{{timestamp}}"
with in HCL2 mode.
"""


def format_value(value: Any, indent: int = 0, top: bool = True) -> str:
    """Render a value the way Packer's console prints it: strings raw at top level, else as HCL."""
    from kiln.lang.marks import SENSITIVE
    from kiln.lang.types import BOOL, NUMBER, STRING
    from kiln.lang.values import format_number

    if value.has_mark(SENSITIVE):
        return "(sensitive value)"
    if not value.is_known:
        return "<unknown>"
    if value.is_null:
        return "null"
    value_type = value.type
    if value_type == STRING:
        text = value.as_str()
        return text if top else _quote(text)
    if value_type == NUMBER:
        return format_number(value.as_number())
    if value_type == BOOL:
        return "true" if value.as_bool() else "false"
    pad = " " * (indent + 2)
    if value_type.is_map() or value_type.is_object():
        items = value.items()
        if not items:
            return "{}"
        lines = [f"{pad}{_quote(key)} = {format_value(item, indent + 2, False)}" for key, item in items]
        return "{\n" + "\n".join(lines) + "\n" + " " * indent + "}"
    elements = value.elements()
    if not elements:
        return "[]"
    lines = [f"{pad}{format_value(element, indent + 2, False)}," for element in elements]
    return "[\n" + "\n".join(lines) + "\n" + " " * indent + "]"


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _lines(stream: Any) -> Iterator[str]:
    interactive = stream.isatty()
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = stream.readline()
        if not line:
            return
        yield line.rstrip("\n")


def run(name: str, arguments: list[str], output: CommandOutput) -> int:
    flags = FlagSet(name)
    define_vars(flags)
    define_loading(flags)
    positional = parse_arguments(flags, arguments, output, HELP)
    if positional is None:
        return 1
    if len(positional) > 1:
        output.say(HELP.strip("\n"))
        return 1

    path = positional[0] if positional else ""
    template_args = template_arguments(flags, path)
    if _wants_hcl2(path, template_args.config_type):
        evaluate = _hcl2_evaluator(template_args, output)
    else:
        evaluate = _legacy_evaluator(template_args, output)
    if evaluate is None:
        return 1
    evaluator, help_text, dump_variables = evaluate
    # Keep invalid UTF-8 as surrogates, whatever the locale, so the parser reports it per line.
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")
    failed = False
    for line in _lines(sys.stdin):
        command = line.strip()
        if not command:
            continue
        if command == "exit":
            break
        if command == "help":
            output.say(help_text.rstrip("\n"))
            continue
        if command == "variables":
            output.say(dump_variables())
            continue
        result = evaluator(command)
        if result is None:
            failed = True
        else:
            output.say(result)
    # As Packer's console, a line that failed to evaluate makes the whole run fail.
    return 1 if failed else 0


def _wants_hcl2(path: str, config_type: str) -> bool:
    from kiln.template.files import want_hcl2

    if config_type:
        return config_type == "hcl2"
    return bool(path) and want_hcl2(path)


Evaluator = tuple[Callable[[str], str | None], str, Callable[[], str]]


def _hcl2_evaluator(template_args: Any, output: CommandOutput) -> Evaluator | None:
    from kiln.hcl import parse_expression
    from kiln.lang.eval import EvalContext, evaluate
    from kiln.lang.values import object_val, string_val

    if template_args.path:
        from kiln.cli.session import open_template, register_secrets

        config = open_template(template_args, output)
        if config is None:
            return None
        config.initialize(evaluate_datasources=False)  # unset variables stay unknown, as in Packer
        register_secrets(config)
        context = config.eval_context()
        sources = config.sources
        variables = config.variables_object()
    else:
        from kiln.hcl.diagnostics import SourceFiles
        from kiln.template.functions import packer_functions

        cwd = os.getcwd()
        variables = object_val({})
        path = object_val({"root": string_val("."), "cwd": string_val(cwd)})
        context = EvalContext({"var": variables, "local": object_val({}), "path": path}, packer_functions(cwd))
        sources = SourceFiles()

    def evaluate_line(line: str) -> str | None:
        # `run` reads stdin with surrogateescape, so this restores the invalid UTF-8 bytes.
        source = line.encode("utf-8", "surrogateescape")
        sources.add("<console-input>", source)
        expression, diagnostics = parse_expression(source, "<console-input>")
        if not diagnostics.has_errors():
            value, problems = evaluate(expression, context)
            diagnostics.extend(problems)
            if not problems.has_errors():
                return format_value(value)
        output.diagnostics(diagnostics, sources)
        return None

    return evaluate_line, HCL2_HELP, lambda: format_value(variables, top=False) if variables.items() else "{}"


def _legacy_evaluator(template_args: Any, output: CommandOutput) -> Evaluator | None:
    from kiln.sdk.interpolate.gotemplate import TemplateError
    from kiln.sdk.interpolate.packer import Context, render

    user_variables: dict[str, str] = {}
    template_dir = os.getcwd()
    if template_args.path:
        from kiln.cli.legacy import open_legacy_template
        from kiln.cli.session import component_lookup
        from kiln.hcl.diagnostics import SourceFiles

        read = SourceFiles()
        legacy, diagnostics = open_legacy_template(
            template_args.path, component_lookup(), template_args.var_files, template_args.vars, read
        )
        if output.diagnostics(diagnostics, legacy.sources if legacy else read) or legacy is None:
            return None
        legacy.initialize()  # a required variable left unset is shown as empty, not an error
        user_variables = dict(legacy.user_variables)
        template_dir = legacy.template.template_dir
    else:
        user_variables = dict(template_args.vars)
    context = Context(user_variables=user_variables, template_dir=template_dir)

    def evaluate_line(line: str) -> str | None:
        try:
            return render(line, context)
        except TemplateError as exc:
            output.error(f"Error: {exc}")
            return None

    def dump() -> str:
        lines = ["> Variables: ", ""] + [f"{key}: {value!r}" for key, value in sorted(user_variables.items())]
        return "\n".join(lines)

    return evaluate_line, LEGACY_HELP, dump
