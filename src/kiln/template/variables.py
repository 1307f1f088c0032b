"""Input variables: declarations, values from every source, and validation rules.

A value's origin decides its precedence (`ValueOrigin`, lowest first). From the environment
and `-var`, the text of a variable whose type is string, number, any or not given is taken
literally, as Packer does, so `-var 'name="x"'` keeps its quotes. For other types the text
is parsed as an HCL expression. Every value is then converted to the declared type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kiln.hcl.diagnostics import Diagnostic, Diagnostics, Range, SourceFiles, error, warning
from kiln.hcl.schema import Attribute, Block
from kiln.template import schemas
from kiln.template.model import Validation, ValueOrigin, Variable, VariableAssignment

if TYPE_CHECKING:
    from kiln.template.config import PackerConfig

ENV_PREFIX = "PKR_VAR_"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def decode_variable_block(config: PackerConfig, block: Block) -> Diagnostics:
    """Record one `variable "name" { ... }` declaration with its default value."""
    name = block.labels[0]
    diagnostics = Diagnostics()
    if not _IDENTIFIER.match(name):
        diagnostics.append(
            error(
                "Invalid variable name",
                "A name must start with a letter or underscore and may contain only letters, digits, "
                "underscores, and dashes.",
                block.label_ranges[0] if block.label_ranges else block.def_range,
            )
        )
        return diagnostics
    if name in config.variables:
        diagnostics.append(_duplicate(name, config.variables[name], block.def_range))
        return diagnostics

    content, problems = block.body.content(schemas.VARIABLE_SCHEMA)
    diagnostics.extend(problems)
    variable = Variable(name, block.def_range)
    diagnostics.extend(_decode_declaration(variable, content.attributes))
    for validation_block in content.blocks_of_type("validation"):
        diagnostics.extend(_decode_validation(variable, validation_block))
    if diagnostics.has_errors() and _type_failed(diagnostics):
        return diagnostics
    config.variables[name] = variable
    return diagnostics


def decode_variables_block(config: PackerConfig, block: Block) -> Diagnostics:
    """Record the legacy `variables { name = default }` declarations, typed by their defaults."""
    attributes, problems = block.body.just_attributes()
    diagnostics = Diagnostics(problems)
    for name, attribute in sorted(attributes.items(), key=lambda item: item[1].range.start.byte):
        if name in config.variables:
            diagnostics.append(_duplicate(name, config.variables[name], attribute.range))
            continue
        variable = Variable(name, attribute.range)
        diagnostics.extend(_decode_default(variable, attribute))
        config.variables[name] = variable
    return diagnostics


def _duplicate(name: str, first: Variable, subject: Range) -> Diagnostic:
    return error(
        "Duplicate variable",
        f"Duplicate {name} variable definition found; the first is at "
        f"{first.range.filename}:{first.range.start.line}.",
        subject,
    )


def _type_failed(diagnostics: Diagnostics) -> bool:
    return any(diagnostic.summary == "Invalid type specification" for diagnostic in diagnostics)


def _decode_declaration(variable: Variable, attributes: Mapping[str, Attribute]) -> Diagnostics:
    from kiln.template.values import static_bool, static_string

    diagnostics = Diagnostics()
    if "description" in attributes:
        description, problems = static_string(attributes["description"].expr)
        diagnostics.extend(problems)
        variable.description = description or ""
    if "sensitive" in attributes:
        sensitive, problems = static_bool(attributes["sensitive"].expr)
        diagnostics.extend(problems)
        variable.sensitive = bool(sensitive)
    if "type" in attributes:
        diagnostics.extend(_decode_type(variable, attributes["type"]))
        if diagnostics.has_errors():
            return diagnostics
    if "default" in attributes:
        diagnostics.extend(_decode_default(variable, attributes["default"]))
    return diagnostics


def _decode_type(variable: Variable, attribute: Attribute) -> Diagnostics:
    keyword_type = _primitive_keyword_type(attribute.expr)
    if keyword_type is not None:
        variable.type = keyword_type
        return Diagnostics()

    from kiln.lang.typeexpr import type_constraint_with_defaults

    type_, defaults, problems = type_constraint_with_defaults(attribute.expr)
    variable.type = type_
    variable.type_defaults = defaults
    return Diagnostics(problems)


def _primitive_keyword_type(expr: Any) -> Any:
    """Return the type a native-syntax `string`, `number`, `bool` or `any` names, else None.

    Most type constraints are one of these. Reading them here, as `kiln.lang.typeexpr` does,
    keeps the expression evaluator out of template loading.
    """
    from kiln.hcl.syntax.ast import ScopeTraversalExpr, TraverseRoot

    if type(expr) is not ScopeTraversalExpr or len(expr.traversal) != 1:
        return None
    root = expr.traversal[0]
    if type(root) is not TraverseRoot:
        return None

    from kiln.lang import types

    return {"string": types.STRING, "number": types.NUMBER, "bool": types.BOOL, "any": types.DYNAMIC}.get(
        root.name
    )


def _decode_default(variable: Variable, attribute: Attribute) -> Diagnostics:
    from kiln.template.values import evaluate_with, unknown_val

    value, diagnostics = evaluate_with(attribute.expr, _default_context)
    if diagnostics.has_errors():
        return diagnostics
    if variable.type is None:
        variable.type = _implied_type(value)
    converted, problem = _convert_to(variable, value)
    if problem is not None:
        diagnostics.append(
            error(
                "Invalid default value for variable",
                f"This default value is not compatible with the variable's type constraint: {problem}.",
                attribute.expr.range,
            )
        )
        converted = unknown_val()
    variable.values.append(VariableAssignment(ValueOrigin.DEFAULT, converted, attribute.expr.range))
    return diagnostics


def _default_context() -> Any:
    from kiln.lang.eval import EvalContext
    from kiln.template.functions import default_functions

    return EvalContext(None, default_functions())


def _implied_type(value: Any) -> Any:
    """Return the type an untyped variable gets from its default: any for `[]`, `{}` and null."""
    from kiln.lang.types import DYNAMIC

    if value.is_null:
        return DYNAMIC
    type_ = value.type
    if (type_.is_tuple() or type_.is_object()) and value.is_known and value.length_int() == 0:
        return DYNAMIC
    return type_


def _convert_to(variable: Variable, value: Any) -> tuple[Any, str | None]:
    from kiln.template.values import convert

    if variable.type is None or variable.type.is_dynamic():
        return value, None
    if variable.type_defaults is not None:
        value = variable.type_defaults.apply(value)
    return convert(value, variable.type)


def _decode_validation(variable: Variable, block: Block) -> Diagnostics:
    content, problems = block.body.content(schemas.VALIDATION_SCHEMA)
    diagnostics = Diagnostics(problems)
    condition = content.attributes.get("condition")
    message = content.attributes.get("error_message")
    if condition is None or message is None:
        return diagnostics
    for traversal in condition.expr.variables():
        if _traversal_names(traversal) != ("var", variable.name):
            diagnostics.append(
                error(
                    "Invalid variable validation condition",
                    f'The condition for variable "{variable.name}" can only refer to the variable itself, '
                    f"using var.{variable.name}.",
                    condition.expr.range,
                )
            )
            return diagnostics
    diagnostics.extend(_check_error_message(message))
    variable.validations.append(Validation(condition.expr, message.expr, block.def_range))
    return diagnostics


def _check_error_message(message: Attribute) -> Diagnostics:
    """Check a literal error message reads as a sentence: capital first letter, final . ? or !."""
    from kiln.template.values import static_string

    text, problems = static_string(message.expr)
    if problems.has_errors() or text is None:
        return Diagnostics()  # computed messages are checked when they are shown
    text = text.strip()
    starts_well = bool(text) and (not text[0].isalpha() or text[0].isupper())
    if starts_well and text.endswith((".", "?", "!")):
        return Diagnostics()
    return Diagnostics(
        [
            error(
                "Invalid validation error message",
                "Validation error message must be at least one full sentence starting with an uppercase "
                "letter and ending with a period, question mark or exclamation mark.",
                message.expr.range,
            )
        ]
    )


def _traversal_names(traversal: Any) -> tuple[str, ...]:
    root = getattr(traversal, "root_name", None)
    if callable(root):
        root = root()
    steps = list(traversal) if not isinstance(traversal, str) else []
    names = [root] if root else []
    for step in steps[1:2] if root else steps[:2]:
        names.append(getattr(step, "name", ""))
    return tuple(names[:2])


def parse_cli_value(
    variable: Variable, text: str, origin: ValueOrigin, sources: SourceFiles | None = None
) -> tuple[Any, Diagnostics]:
    """Return the value that an environment variable or a `-var` flag gives `variable`.

    With `sources`, the text is kept there under its pseudo file name, so a diagnostic about
    it shows the text with a caret. A sensitive variable's text is never kept.
    """
    from kiln.lang.types import NUMBER, STRING
    from kiln.template.values import static_value, string_val

    type_ = variable.type
    if type_ is None or type_.is_dynamic() or type_ in (STRING, NUMBER):
        return string_val(text), Diagnostics()

    from kiln.hcl.syntax.parser import parse_expression

    source = "env" if origin is ValueOrigin.ENV else "arguments"
    filename = f"<value for var.{variable.name} from {source}>"
    if sources is not None and not variable.sensitive:
        sources.add(filename, text.encode())
    expr, problems = parse_expression(text.encode(), filename)
    diagnostics = Diagnostics(problems)
    if diagnostics.has_errors():
        return None, diagnostics
    value, problems = static_value(expr)
    diagnostics.extend(problems)
    return value, diagnostics


def assign(variable: Variable, value: Any, origin: ValueOrigin, subject: Range | None) -> Diagnostics:
    """Record a value for `variable` after converting it to the declared type."""
    from kiln.template.values import unknown_val

    converted, problem = _convert_to(variable, value)
    diagnostics = Diagnostics()
    if problem is not None:
        # Packer words a -var mismatch differently from env and var-file mismatches.
        if origin is ValueOrigin.CMD:
            summary = "Invalid argument value for -var variable"
            detail = (
                f"The received arg value for {variable.name} is not compatible with the "
                f"variable's type constraint: {problem}."
            )
        else:
            summary = "Invalid value for variable"
            detail = (
                f"The value for {variable.name} is not compatible with the variable's type constraint: "
                f"{problem}."
            )
        diagnostics.append(error(summary, detail, subject))
        converted = unknown_val()
    variable.values.append(VariableAssignment(origin, converted, subject))
    return diagnostics


def collect_environment(
    variables: Mapping[str, Variable], environ: Mapping[str, str], sources: SourceFiles | None = None
) -> Diagnostics:
    diagnostics = Diagnostics()
    for key, text in sorted(environ.items()):
        if not key.startswith(ENV_PREFIX):
            continue
        variable = variables.get(key[len(ENV_PREFIX) :])
        if variable is None:
            continue  # Packer ignores environment values for undeclared variables.
        value, problems = parse_cli_value(variable, text, ValueOrigin.ENV, sources)
        diagnostics.extend(problems)
        if value is not None:
            diagnostics.extend(assign(variable, value, ValueOrigin.ENV, None))
    return diagnostics


def collect_var_file(
    variables: Mapping[str, Variable], filename: str, body: Any, *, warn_undeclared: bool
) -> Diagnostics:
    """Assign the values of one variable file; its entries may not use variables or functions."""
    from kiln.hcl.json import JSONBody
    from kiln.template.values import static_value

    if isinstance(body, JSONBody):
        # Packer reads variable files without an evaluation context, and HCL's JSON syntax
        # then takes strings as they are: `"${x}"` in a .pkrvars.json file is that text.
        body = JSONBody(body.value, literal=True)
    attributes, problems = body.just_attributes()
    diagnostics = Diagnostics(problems)
    for name, attribute in sorted(attributes.items(), key=lambda item: item[1].range.start.byte):
        variable = variables.get(name)
        if variable is None:
            if warn_undeclared:
                diagnostics.append(_undeclared_warning(name))
            continue
        value, problems = static_value(attribute.expr)
        diagnostics.extend(problems)
        if not problems.has_errors():
            diagnostics.extend(assign(variable, value, ValueOrigin.VARFILE, attribute.expr.range))
    return diagnostics


def _undeclared_warning(name: str) -> Diagnostic:
    detail = (
        f'The variable "{name}" was set but was not declared as an input variable.\n'
        f'To declare variable "{name}" place this block in one of your .pkr.hcl files,\n'
        "such as variables.pkr.hcl\n\n"
        f'variable "{name}" {{\n'
        "  type    = string\n"
        "  default = null\n"
        "}"
    )
    return warning("Undefined variable", detail)


def collect_cli(
    variables: Mapping[str, Variable], pairs: list[tuple[str, str]], sources: SourceFiles | None = None
) -> Diagnostics:
    diagnostics = Diagnostics()
    for name, text in pairs:
        variable = variables.get(name)
        if variable is None:
            diagnostics.append(
                error(
                    "Undefined -var variable",
                    f'A "{name}" variable was passed in the command line but was not found in known '
                    f'variables. To declare variable "{name}", place this block in one of your .pkr.hcl '
                    "files, such as variables.pkr.hcl",
                )
            )
            continue
        value, problems = parse_cli_value(variable, text, ValueOrigin.CMD, sources)
        diagnostics.extend(problems)
        if value is not None:
            diagnostics.extend(assign(variable, value, ValueOrigin.CMD, None))
    return diagnostics


def check_unset(variables: Mapping[str, Variable]) -> Diagnostics:
    diagnostics = Diagnostics()
    for variable in variables.values():
        if not variable.values:
            diagnostics.append(
                error(
                    f'Unset variable "{variable.name}"',
                    "A used variable must be set or have a default value; see "
                    "https://packer.io/docs/templates/hcl_templates/syntax for details.",
                    variable.range,
                )
            )
    return diagnostics
