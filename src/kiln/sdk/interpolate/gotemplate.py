"""Go's text/template language, as legacy JSON templates and component options use it.

Packer renders `{{ user `x` }}`, `{{ .HTTPIP }}` and the like with Go's text/template. This
module parses and executes that language: text and actions with `{{-`/`-}}` trim markers,
comments, pipelines with `|`, fields (`.A.B`), variables (`$x := ...`), string, raw-string,
number, bool and nil literals, parenthesised pipelines, `if`/`else if`/`else`, `range` (with
`else`, `break`, `continue`), `with`, `define`/`template`/`block`, and the built-in functions
(and, or, not, len, index, slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js,
urlquery).

    template = parse("{{ user `name` | upper }}-{{ .Build }}")
    template.execute({"Build": "7"}, functions={"user": ..., "upper": str.upper})

Errors are `TemplateError`, with Go's wording where callers show it to users
(`template: root:1:3: function "x" not defined`).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class TemplateError(Exception):
    """The template could not be parsed or executed."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# Returned by a field lookup that found no key in a map; printed as Go prints it.
class _NoValue:
    def __repr__(self) -> str:
        return "<no value>"


NO_VALUE = _NoValue()

# ---------------------------------------------------------------------------------------------
# Lexer

_ACTION_START = re.compile(r"\{\{(-\s)?")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>/\*.*?\*/)
  | (?P<raw>`[^`]*`)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<number>[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<declare>:=)
  | (?P<assign>=)
  | (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
  | (?P<dot>\.)
  | (?P<variable>\$[A-Za-z0-9_]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<pipe>\|)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
    """,
    re.VERBOSE | re.DOTALL,
)

_TRIM_RIGHT = re.compile(r"\s+-\}\}")



@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    line: int


_COMMENT_ONLY = _Token("comment", "", 0)


def _lex(source: str, name: str) -> list[Any]:
    """Split `source` into text pieces (str) and actions (lists of tokens, with their line)."""
    items: list[Any] = []
    position = 0
    while True:
        start = source.find("{{", position)
        if start < 0:
            items.append(source[position:])
            break
        text = source[position:start]
        match = _ACTION_START.match(source, start)
        assert match is not None
        trim_left = match.group(1) is not None
        if trim_left:
            text = text.rstrip(" \t\r\n")
        items.append(text)
        line = source.count("\n", 0, start) + 1
        tokens, position, trim_right = _lex_action(source, match.end(), name, line)
        if tokens != [_COMMENT_ONLY]:
            items.append((tokens, line))
        if trim_right:
            while position < len(source) and source[position] in " \t\r\n":
                position += 1
    return items


def _lex_action(source: str, position: int, name: str, line: int) -> tuple[list[_Token], int, bool]:
    tokens: list[_Token] = []
    has_comment = False
    while True:
        if has_comment and not tokens and (_TRIM_RIGHT.match(source, position) or source.startswith("}}", position)):
            tokens = [_COMMENT_ONLY]
        trim = _TRIM_RIGHT.match(source, position)
        if trim is not None:
            return tokens, trim.end(), True
        if source.startswith("}}", position):
            return tokens, position + 2, False
        match = _TOKEN.match(source, position)
        if match is None:
            if position >= len(source):
                raise TemplateError(f"template: {name}:{line}: unclosed action")
            raise TemplateError(f"template: {name}:{line}: unexpected {source[position]!r} in command")
        kind = match.lastgroup or ""
        if kind == "comment":
            has_comment = True
        elif kind != "space":
            tokens.append(_Token(kind, match.group(), line))
        position = match.end()


# ---------------------------------------------------------------------------------------------
# Syntax tree


@dataclass(slots=True)
class _Command:
    operands: list[Any]  # each a node: ("field", names), ("var", name, names), ("dot",), ("lit", value), ("ident", name), ("pipe", pipeline)


@dataclass(slots=True)
class _Pipeline:
    commands: list[_Command]
    declarations: list[str] = field(default_factory=list)
    is_assign: bool = False


@dataclass(slots=True)
class _Action:
    pipeline: _Pipeline
    line: int


@dataclass(slots=True)
class _Branch:
    keyword: str  # if, range, with
    pipeline: _Pipeline
    body: list[Any]
    else_body: list[Any] | None
    line: int


@dataclass(slots=True)
class _Include:
    name: str
    pipeline: _Pipeline | None
    line: int


@dataclass(slots=True)
class _Control:
    keyword: str  # break, continue


class _Parser:
    def __init__(self, items: list[Any], name: str) -> None:
        self.items = items
        self.index = 0
        self.name = name
        self.definitions: dict[str, list[Any]] = {}

    def error(self, line: int, message: str) -> TemplateError:
        return TemplateError(f"template: {self.name}:{line}: {message}")

    def parse_list(self, terminators: tuple[str, ...] = ()) -> tuple[list[Any], str | None, list[_Token], int]:
        """Parse nodes until an action starting with one of `terminators` (or the end)."""
        nodes: list[Any] = []
        while self.index < len(self.items):
            item = self.items[self.index]
            self.index += 1
            if isinstance(item, str):
                if item:
                    nodes.append(item)
                continue
            tokens, line = item
            if not tokens:
                raise self.error(line, "missing value for command")
            head = tokens[0]
            if head.kind == "ident" and head.text in terminators:
                return nodes, head.text, tokens[1:], line
            nodes.append(self.parse_action(tokens, line))
        if terminators:
            raise self.error(self.items_line(), "unexpected EOF")
        return nodes, None, [], 0

    def items_line(self) -> int:
        for item in reversed(self.items):
            if isinstance(item, tuple):
                return item[1]
        return 1

    def parse_action(self, tokens: list[_Token], line: int) -> Any:
        head = tokens[0]
        if head.kind == "ident" and head.text in ("if", "range", "with"):
            return self.parse_branch(head.text, tokens[1:], line)
        if head.kind == "ident" and head.text in ("define", "block"):
            return self.parse_definition(head.text, tokens[1:], line)
        if head.kind == "ident" and head.text == "template":
            return self.parse_include(tokens[1:], line)
        if head.kind == "ident" and head.text in ("break", "continue"):
            return _Control(head.text)
        if head.kind == "ident" and head.text in ("end", "else"):
            raise self.error(line, f"unexpected {{{{{head.text}}}}}")
        return _Action(self.parse_pipeline(tokens, line), line)

    def parse_branch(self, keyword: str, tokens: list[_Token], line: int) -> _Branch:
        pipeline = self.parse_pipeline(tokens, line)
        body, ended_by, rest, else_line = self.parse_list(("end", "else"))
        else_body: list[Any] | None = None
        if ended_by == "else":
            if rest and rest[0].kind == "ident" and rest[0].text in ("if", "with") and keyword == rest[0].text:
                # `{{else if x}}` is `{{else}}{{if x}}...{{end}}` sharing the outer end.
                else_body = [self.parse_branch(rest[0].text, rest[1:], else_line)]
            else:
                else_body, _, _, _ = self.parse_list(("end",))
        return _Branch(keyword, pipeline, body, else_body, line)

    def parse_definition(self, keyword: str, tokens: list[_Token], line: int) -> Any:
        if not tokens or tokens[0].kind not in ("string", "raw"):
            raise self.error(line, f"{keyword} clause needs a template name")
        name = _unquote(tokens[0])
        body, _, _, _ = self.parse_list(("end",))
        self.definitions[name] = body
        if keyword == "block":
            pipeline = self.parse_pipeline(tokens[1:], line) if len(tokens) > 1 else None
            return _Include(name, pipeline, line)
        return ""

    def parse_include(self, tokens: list[_Token], line: int) -> _Include:
        if not tokens or tokens[0].kind not in ("string", "raw"):
            raise self.error(line, "template clause needs a template name")
        pipeline = self.parse_pipeline(tokens[1:], line) if len(tokens) > 1 else None
        return _Include(_unquote(tokens[0]), pipeline, line)

    def parse_pipeline(self, tokens: list[_Token], line: int) -> _Pipeline:
        declarations: list[str] = []
        is_assign = False
        # `$x := pipeline`, `$i, $e := pipeline` (range), `$x = pipeline`
        for count in (3, 1):
            if len(tokens) > count and all(tokens[i].kind == "variable" for i in range(0, count, 2)):
                if count == 3 and tokens[1].kind != "comma":
                    continue
                operator = tokens[count]
                if operator.kind in ("declare", "assign"):
                    declarations = [tokens[i].text for i in range(0, count, 2)]
                    is_assign = operator.kind == "assign"
                    tokens = tokens[count + 1 :]
                    break
        commands: list[_Command] = []
        current: list[Any] = []
        position = 0
        while position < len(tokens):
            token = tokens[position]
            if token.kind == "pipe":
                if not current:
                    raise self.error(line, "missing command")
                commands.append(_Command(current))
                current = []
                position += 1
                continue
            operand, position = self.parse_operand(tokens, position, line)
            current.append(operand)
        if not current:
            raise self.error(line, "missing value for command" if not commands else "missing command")
        commands.append(_Command(current))
        return _Pipeline(commands, declarations, is_assign)

    def parse_operand(self, tokens: list[_Token], position: int, line: int) -> tuple[Any, int]:
        token = tokens[position]
        position += 1
        node: Any
        if token.kind == "lparen":
            depth = 1
            end = position
            while end < len(tokens) and depth:
                depth += {"lparen": 1, "rparen": -1}.get(tokens[end].kind, 0)
                end += 1
            if depth:
                raise self.error(line, "unclosed left paren")
            node = ("pipe", self.parse_pipeline(tokens[position : end - 1], line))
            position = end
        elif token.kind == "field":
            node = ("field", token.text[1:].split("."))
        elif token.kind == "dot":
            node = ("dot",)
        elif token.kind == "variable":
            node = ("var", token.text, [])
        elif token.kind in ("string", "raw", "char"):
            node = ("lit", _unquote(token), token.text)
        elif token.kind == "number":
            node = ("lit", _parse_number(token.text), token.text)
        elif token.kind == "ident":
            literals = {"true": True, "false": False, "nil": None}
            node = ("lit", literals[token.text], token.text) if token.text in literals else ("ident", token.text)
        else:
            raise self.error(line, f"unexpected {token.text!r} in operand")
        # Field chains after a variable or parenthesised pipeline: `$x.Name`, `(index .A 0).B`.
        while position < len(tokens) and tokens[position].kind == "field" and node[0] in ("var", "pipe"):
            names = tokens[position].text[1:].split(".")
            node = ("chain", node, names)
            position += 1
        return node, position


def _unquote(token: _Token) -> str:
    if token.kind == "raw":
        return token.text[1:-1]
    body = token.text[1:-1]
    escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def replace(match: re.Match[str]) -> str:
        text = match.group(1)
        if text[0] in "xuU":
            return chr(int(text[1:], 16))
        return escapes.get(text, text)

    return re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", replace, body)


def _parse_number(text: str) -> int | float:
    cleaned = text.replace("_", "")
    try:
        return int(cleaned, 0)
    except ValueError:
        return float(cleaned)


# ---------------------------------------------------------------------------------------------
# Execution

Function = Callable[..., Any]


def format_value(value: Any) -> str:
    """Print a value as Go's fmt `%v` prints the equivalent Go value."""
    if value is NO_VALUE:
        return "<no value>"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e21 else str(int(value))
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{format_value(k)}:{format_value(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(format_value(v) for v in value) + "]"
    return str(value)


def is_true(value: Any) -> bool:
    """Go template truth: false, 0, nil, and empty strings, lists and maps are false."""
    if value is None or value is NO_VALUE:
        return False
    if isinstance(value, (bool, int, float, str, list, tuple, dict)):
        return bool(value)
    return True


def _go_sprint(*args: Any) -> str:
    # fmt.Sprint adds a space between operands when neither side is a string.
    out = ""
    for i, arg in enumerate(args):
        if i and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            out += " "
        out += format_value(arg)
    return out


def _go_sprintf(fmt: str, *args: Any) -> str:
    values = iter(args)

    def replace(match: re.Match[str]) -> str:
        flags, verb = match.group(1), match.group(2)
        if verb == "%":
            return "%"
        try:
            value = next(values)
        except StopIteration:
            return f"%!{verb}(MISSING)"
        if verb in "vs":
            text = format_value(value)
        elif verb == "q":
            text = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif verb == "d":
            text = str(int(value))
        elif verb in "fFeEgG":
            return ("%" + flags + verb) % float(value)
        elif verb in "xX":
            text = format(int(value), verb) if not isinstance(value, str) else value.encode().hex()
        elif verb == "t":
            text = format_value(bool(value))
        else:
            text = format_value(value)
        return ("%" + flags.replace("+", "") + "s") % text if flags else text

    return re.sub(r"%([-+# 0-9.]*)([a-zA-Z%])", replace, fmt)


def _compare(name: str) -> Function:
    def compare(left: Any, *rights: Any) -> bool:
        if name == "eq":
            if not rights:
                raise TemplateError("missing argument for comparison")
            return any(left == right for right in rights)
        (right,) = rights
        if type(left) is not type(right) and not (isinstance(left, (int, float)) and isinstance(right, (int, float))):
            raise TemplateError("incompatible types for comparison")
        return {"ne": left != right, "lt": left < right, "le": left <= right, "gt": left > right, "ge": left >= right}[name]

    return compare


def _index(collection: Any, *keys: Any) -> Any:
    for key in keys:
        try:
            collection = collection[key]
        except (KeyError, IndexError, TypeError) as exc:
            if isinstance(collection, Mapping):
                return NO_VALUE
            raise TemplateError(f"error calling index: index out of range: {key}") from exc
    return collection


def _slice(collection: Any, *bounds: int) -> Any:
    if len(bounds) > 2:
        return collection[bounds[0] : bounds[1] : bounds[2]]
    return collection[slice(*bounds)] if bounds else collection


def _html_escape(text: str) -> str:
    # html is imported here because its entity table costs about 1 ms, and few templates call html.
    import html

    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def _js_escape(text: str) -> str:
    replacements = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(replacements.get(ch, ch) for ch in text)


BUILTIN_FUNCTIONS: dict[str, Function] = {
    "not": lambda value: not is_true(value),
    "len": lambda value: len(value),
    "index": _index,
    "slice": _slice,
    "print": _go_sprint,
    "printf": _go_sprintf,
    "println": lambda *args: " ".join(format_value(a) for a in args) + "\n",
    "eq": _compare("eq"),
    "ne": _compare("ne"),
    "lt": _compare("lt"),
    "le": _compare("le"),
    "gt": _compare("gt"),
    "ge": _compare("ge"),
    "html": lambda *args: _html_escape(_go_sprint(*args)),
    "js": lambda *args: _js_escape(_go_sprint(*args)),
    "urlquery": lambda *args: urllib.parse.quote_plus(_go_sprint(*args)),
}


class _Execution:
    def __init__(self, template: Template, functions: Mapping[str, Function], missing_key: str) -> None:
        self.template = template
        self.functions = {**BUILTIN_FUNCTIONS, **functions}
        self.missing_key = missing_key
        self.variables: list[tuple[str, Any]] = []
        self.output: list[str] = []

    def error(self, line: int, message: str) -> TemplateError:
        return TemplateError(f"template: {self.template.name}:{line}: {message}")

    def run(self, nodes: Sequence[Any], dot: Any) -> None:
        for node in nodes:
            if isinstance(node, str):
                self.output.append(node)
            elif isinstance(node, _Action):
                value = self.pipeline(node.pipeline, dot, node.line)
                if not node.pipeline.declarations:
                    self.output.append(format_value(value))
            elif isinstance(node, _Branch):
                self.branch(node, dot)
            elif isinstance(node, _Include):
                self.include(node, dot)
            elif isinstance(node, _Control):
                raise _Break() if node.keyword == "break" else _Continue()

    def scoped(self, nodes: Sequence[Any], dot: Any) -> None:
        depth = len(self.variables)
        try:
            self.run(nodes, dot)
        finally:
            del self.variables[depth:]

    def branch(self, node: _Branch, dot: Any) -> None:
        depth = len(self.variables)
        value = self.pipeline(node.pipeline, dot, node.line, declare=node.keyword != "range")
        try:
            if node.keyword == "range":
                self.range(node, value, dot)
            elif is_true(value):
                self.scoped(node.body, value if node.keyword == "with" else dot)
            elif node.else_body is not None:
                self.scoped(node.else_body, dot)
        finally:
            del self.variables[depth:]

    def range(self, node: _Branch, value: Any, dot: Any) -> None:
        if value is None or value is NO_VALUE:
            pairs: list[tuple[Any, Any]] = []
        elif isinstance(value, Mapping):
            pairs = sorted(value.items())
        elif isinstance(value, int) and not isinstance(value, bool):
            pairs = [(i, i) for i in range(value)]
        elif isinstance(value, (list, tuple, str)):
            pairs = list(enumerate(value))
        else:
            raise self.error(node.line, f"range can't iterate over {format_value(value)}")
        if not pairs:
            if node.else_body is not None:
                self.scoped(node.else_body, dot)
            return
        names = node.pipeline.declarations
        for key, element in pairs:
            depth = len(self.variables)
            if len(names) == 1:
                self.variables.append((names[0], element))
            elif len(names) == 2:
                self.variables.extend([(names[0], key), (names[1], element)])
            try:
                self.run(node.body, element)
            except _Break:
                break
            except _Continue:
                continue
            finally:
                del self.variables[depth:]

    def include(self, node: _Include, dot: Any) -> None:
        body = self.template.definitions.get(node.name)
        if body is None:
            raise self.error(node.line, f'no such template "{node.name}"')
        value = self.pipeline(node.pipeline, dot, node.line) if node.pipeline else None
        saved = self.variables
        self.variables = [("$", value)]
        try:
            self.run(body, value)
        finally:
            self.variables = saved

    def pipeline(self, pipeline: _Pipeline, dot: Any, line: int, declare: bool = True) -> Any:
        value: Any = None
        has_value = False
        for command in pipeline.commands:
            value = self.command(command, dot, line, value if has_value else _UNSET)
            has_value = True
        if declare and pipeline.declarations and not pipeline.is_assign:
            for name in pipeline.declarations:
                self.variables.append((name, value))
        elif pipeline.is_assign:
            self.assign(pipeline.declarations[0], value, line)
        return value

    def assign(self, name: str, value: Any, line: int) -> None:
        for index in range(len(self.variables) - 1, -1, -1):
            if self.variables[index][0] == name:
                self.variables[index] = (name, value)
                return
        raise self.error(line, f"undefined variable: {name}")

    def command(self, command: _Command, dot: Any, line: int, piped: Any) -> Any:
        first = command.operands[0]
        if first[0] == "ident":
            return self.call(first[1], command.operands[1:], dot, line, piped)
        if len(command.operands) > 1 or piped is not _UNSET:
            if first[0] == "field" and len(command.operands) == 1:
                pass
            else:
                raise self.error(line, f"can't give argument to non-function {self.describe(first)}")
        return self.operand(first, dot, line)

    def call(self, name: str, arguments: list[Any], dot: Any, line: int, piped: Any) -> Any:
        if name in ("and", "or"):
            values = [self.operand(argument, dot, line) for argument in arguments]
            if piped is not _UNSET:
                values.append(piped)
            for value in values:
                if (name == "and") != is_true(value):
                    return value
            return values[-1]
        function = self.functions.get(name)
        if function is None:
            raise self.error(line, f'function "{name}" not defined')
        values = [self.operand(argument, dot, line) for argument in arguments]
        if piped is not _UNSET:
            values.append(piped)
        try:
            return function(*values)
        except TemplateError as exc:
            raise self.error(line, f"executing {name}: {_strip_prefix(str(exc))}") from exc
        except TypeError as exc:
            raise self.error(line, f"wrong number of args for {name}: {exc}") from exc
        except (ValueError, KeyError, IndexError, AttributeError) as exc:
            raise self.error(line, f"error calling {name}: {exc}") from exc

    def operand(self, node: Any, dot: Any, line: int) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "dot":
            return dot
        if kind == "field":
            return self.fields(dot, node[1], line)
        if kind == "var":
            return self.variable(node[1], line)
        if kind == "pipe":
            return self.pipeline(node[1], dot, line, declare=False)
        if kind == "chain":
            return self.fields(self.operand(node[1], dot, line), node[2], line)
        if kind == "ident":
            return self.call(node[1], [], dot, line, _UNSET)
        raise self.error(line, f"unexpected operand {node!r}")

    def variable(self, name: str, line: int) -> Any:
        for variable, value in reversed(self.variables):
            if variable == name:
                return value
        raise self.error(line, f"undefined variable: {name}")

    def fields(self, value: Any, names: list[str], line: int) -> Any:
        for name in names:
            if isinstance(value, Mapping):
                if name in value:
                    value = value[name]
                elif self.missing_key == "error":
                    raise self.error(line, f'map has no entry for key "{name}"')
                else:
                    value = NO_VALUE
            elif value is None or value is NO_VALUE:
                raise self.error(line, f"nil pointer evaluating interface {{}}.{name}")
            elif hasattr(value, name):
                value = getattr(value, name)
                if callable(value):
                    value = value()
            else:
                raise self.error(line, f"can't evaluate field {name} in type {type(value).__name__}")
        return value

    @staticmethod
    def describe(node: Any) -> str:
        return {"lit": lambda: format_value(node[1]), "dot": lambda: "."}.get(node[0], lambda: str(node[1]))()


_UNSET = object()


def _strip_prefix(message: str) -> str:
    return re.sub(r"^template: [^:]*:\d+: ", "", message)


def operand_source(node: Any) -> str:
    """Return an operand as Go's parse tree prints it (`.Name`, `$x`, "text", `raw`)."""
    kind = node[0]
    if kind == "lit":
        return node[2]
    if kind == "dot":
        return "."
    if kind == "field":
        return "." + ".".join(node[1])
    if kind == "var":
        return node[1]
    if kind == "ident":
        return node[1]
    if kind == "chain":
        return operand_source(node[1]) + "." + ".".join(node[2])
    return "(" + pipeline_source(node[1]) + ")"


def pipeline_source(pipeline: Any) -> str:
    declarations = ", ".join(pipeline.declarations)
    prefix = f"{declarations} {'=' if pipeline.is_assign else ':='} " if declarations else ""
    return prefix + " | ".join(" ".join(operand_source(o) for o in command.operands) for command in pipeline.commands)


@dataclass(slots=True)
class Template:
    """A parsed template, ready to execute with data and functions."""

    name: str
    nodes: list[Any]
    definitions: dict[str, list[Any]]

    def execute(self, data: Any = None, functions: Mapping[str, Function] | None = None, *, missing_key: str = "default") -> str:
        """Render the template with `data` as dot; `missing_key` is Go's option: "default" or "error"."""
        execution = _Execution(self, functions or {}, missing_key)
        execution.variables.append(("$", data))
        try:
            execution.run(self.nodes, data)
        except (_Break, _Continue) as exc:
            raise TemplateError(f"template: {self.name}: break or continue outside range") from exc
        return "".join(execution.output)


def parse(source: str, name: str = "root") -> Template:
    """Parse Go template text; raise TemplateError with Go's message when it is invalid."""
    parser = _Parser(_lex(source, name), name)
    nodes, _, _, _ = parser.parse_list()
    return Template(name, nodes, parser.definitions)


def render(source: str, data: Any = None, functions: Mapping[str, Function] | None = None, name: str = "root") -> str:
    """Parse and execute `source` in one call."""
    return parse(source, name).execute(data, functions)


# Parse tree node types, for callers that walk `Template.nodes` (text pieces are plain str).
ActionNode = _Action
BranchNode = _Branch
IncludeNode = _Include
