"""Evaluating locals and data sources in dependency order, and variable validation rules.

Locals and data sources may refer to each other in any order and across files, so they
form one graph, evaluated dependencies first. A cycle is an error that names every member
(`local.a -> local.b -> local.a`). Members of a cycle, and whatever depends on them, stay
unknown so that later messages do not repeat the same problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiln.hcl.diagnostics import Diagnostics, error

if TYPE_CHECKING:
    from kiln.template.config import PackerConfig


def references(expressions: list[Any]) -> list[str]:
    """Return the `local.NAME` and `data.TYPE.NAME` nodes that expressions refer to, in order."""
    found: list[str] = []
    for expr in expressions:
        for traversal in expr.variables():
            names = traversal_names(traversal)
            if len(names) >= 2 and names[0] == "local":
                node = f"local.{names[1]}"
            elif len(names) >= 3 and names[0] == "data":
                node = f"data.{names[1]}.{names[2]}"
            else:
                continue
            if node not in found:
                found.append(node)
    return found


def traversal_names(traversal: Any) -> list[str]:
    """Return the leading attribute names of a traversal: `data.null.x.output` -> data, null, x, output."""
    names = []
    for step in traversal:
        name = getattr(step, "name", None)
        if not isinstance(name, str):
            break
        names.append(name)
    return names


def body_expressions(body: Any, config_class: type | None) -> list[Any]:
    """Return every expression in a body, nested blocks included, for dependency analysis.

    The component's schema names the nested blocks; without one only arguments are seen.
    """
    if config_class is None:
        attributes, _problems = body.just_attributes()
        return [attribute.expr for attribute in attributes.values()]

    from kiln.template.decode import body_schema, nested_block_class

    content, _rest, _problems = body.partial_content(body_schema(config_class))
    found = [attribute.expr for attribute in content.attributes.values()]
    for block in content.blocks:
        found.extend(body_expressions(block.body, nested_block_class(config_class, block.type)))
    return found


def evaluate_locals_and_data(config: PackerConfig, *, execute: bool) -> Diagnostics:
    diagnostics = Diagnostics()
    graph: dict[str, list[str]] = {}
    for name, local in config.locals.items():
        graph[f"local.{name}"] = references([local.expr])
    for ref, data_source in config.data_sources.items():
        config_class = config.lookup("datasource", data_source.type) if config.lookup else None
        graph[ref] = references(body_expressions(data_source.body, config_class))

    order, cycles = _topological_order(graph)
    for cycle in cycles:
        first = _node_range(config, cycle[0])
        diagnostics.append(
            error(
                "Cycle between locals and data sources",
                "These values refer to each other, so none of them can be evaluated first: "
                + " -> ".join([*cycle, cycle[0]])
                + ".",
                first,
            )
        )
    for node in order:
        diagnostics.extend(_evaluate_node(config, node, execute=execute))
    return diagnostics


def _node_range(config: PackerConfig, node: str) -> Any:
    if node.startswith("local."):
        return config.locals[node[len("local.") :]].range
    return config.data_sources[node].range


def _topological_order(graph: dict[str, list[str]]) -> tuple[list[str], list[list[str]]]:
    """Order nodes dependencies first; return the order and the cycles found (left out of it)."""
    order: list[str] = []
    cycles: list[list[str]] = []
    state: dict[str, str] = {}  # "visiting" or "done"
    in_cycle: set[str] = set()

    def visit(node: str, path: list[str]) -> bool:
        if state.get(node) == "done":
            return node not in in_cycle
        if state.get(node) == "visiting":
            cycle = path[path.index(node) :]
            cycles.append(cycle)
            in_cycle.update(cycle)
            return False
        state[node] = "visiting"
        ok = True
        for dependency in graph.get(node, []):
            if dependency in graph and not visit(dependency, [*path, node]):
                ok = False
        state[node] = "done"
        if ok and node not in in_cycle:
            order.append(node)
            return True
        in_cycle.add(node)
        return False

    for node in graph:
        visit(node, [])
    return order, cycles


def _evaluate_node(config: PackerConfig, node: str, *, execute: bool) -> Diagnostics:
    from kiln.template.values import evaluate, unknown_val

    if node.startswith("local."):
        local = config.locals[node[len("local.") :]]
        value, diagnostics = evaluate(local.expr, config.eval_context())
        local.value = unknown_val() if diagnostics.has_errors() else value
        return diagnostics
    return _evaluate_data_source(config, config.data_sources[node], execute=execute)


def _evaluate_data_source(config: PackerConfig, data_source: Any, *, execute: bool) -> Diagnostics:
    from kiln.template.decode import build_config, decode_body, output_type
    from kiln.template.lookup import datasource_output_class
    from kiln.template.values import from_python, unknown_val

    data_source.value = unknown_val()
    config_class = config.lookup("datasource", data_source.type) if config.lookup else None
    if config_class is None:
        return Diagnostics()
    decoded, diagnostics = decode_body(data_source.body, config_class, config.eval_context())
    if diagnostics.has_errors():
        return diagnostics
    data_config, problems = build_config(config_class, decoded, data_source.range)
    diagnostics.extend(problems)
    if problems.has_errors():
        return diagnostics
    if not execute or config.datasource_executor is None:
        # As Packer does, give the value its output's type, so that a reference to an
        # attribute the output lacks is an error even though the data source never ran.
        output_class = datasource_output_class(config.lookup, data_source.type)
        if output_class is not None:
            data_source.value = unknown_val(output_type(output_class))
        return diagnostics

    try:
        output = config.datasource_executor(data_source.type, data_config)
    except Exception as problem:  # noqa: BLE001 - any failure of a data source is the user's to see
        diagnostics.append(
            error(
                f"Failed to execute data source {data_source.ref}",
                f"{problem}",
                data_source.range,
            )
        )
        return diagnostics
    data_source.value = from_python(output)
    return diagnostics


def check_validations(config: PackerConfig) -> Diagnostics:
    """Evaluate every variable's validation rules against its effective value."""
    from kiln.lang.eval import EvalContext
    from kiln.template.functions import packer_functions
    from kiln.template.values import evaluate, object_val, want_string

    diagnostics = Diagnostics()
    for variable in config.variables.values():
        value = variable.value()
        if value is None or not value.is_wholly_known:
            continue
        ctx = EvalContext({"var": object_val({variable.name: value})}, packer_functions(config.basedir))
        for validation in variable.validations:
            result, problems = evaluate(validation.condition, ctx)
            diagnostics.extend(problems)
            if problems.has_errors() or not result.is_known or result.is_null:
                continue
            if result.unmark_deep()[0].as_bool():
                continue
            message_value, problems = evaluate(validation.error_message, ctx)
            message, problems = want_string(message_value, validation.error_message.range, problems)
            diagnostics.extend(problems)
            detail = f"{message or ''}\n\nThis was checked by the validation rule at {validation.range.filename}:{validation.range.start.line}."
            subject = variable.values[-1].range or variable.range
            diagnostics.append(error("Invalid value for variable", detail, subject))
    return diagnostics
