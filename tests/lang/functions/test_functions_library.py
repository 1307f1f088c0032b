"""Functions that the recorded console table cannot cover: newer functions, files, secrets,
templates, and the lazy `can` and `try`, called through the evaluator where HCL syntax matters.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from kiln.hcl.syntax.parser import parse_expression
from kiln.lang.eval.context import EvalContext
from kiln.lang.eval.expressions import evaluate
from kiln.lang.function import FunctionError
from kiln.lang.functions import packer_functions
from kiln.lang.types import STRING
from kiln.lang.values import Value, string_val, to_json, unknown_val

FUNCTIONS = packer_functions(".")


def _run(expression: str, base_dir: Path | str = ".", variables: dict[str, Value] | None = None) -> Value:
    expr, diagnostics = parse_expression(expression.encode(), "test.pkr.hcl")
    assert not diagnostics.has_errors(), [d.summary for d in diagnostics]
    value, diagnostics = evaluate(expr, EvalContext(variables or {}, packer_functions(base_dir)))
    errors = [f"{d.summary}: {d.detail}" for d in diagnostics if d.is_error]
    if errors:
        raise FunctionError(" | ".join(errors))
    return value


def _json(expression: str, **kwargs: object) -> object:
    import json

    return json.loads(to_json(_run(expression, **kwargs)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('regex("[a-z]+", "53abc12")', "abc"),
        ('regex("(\\\\d+)-(\\\\d+)", "x12-34y")', ["12", "34"]),
        ('regex("(?P<a>\\\\d+)(?P<b>x)?", "12")', {"a": "12", "b": None}),
        ('regex("(?<year>\\\\d{4})", "in 2024")', {"year": "2024"}),
        ('regexall("[a-z]+", "a1bc2d")', ["a", "bc", "d"]),
        ('regexall("a*", "baaac")', ["", "aaa", ""]),
        ('regexall("x", "yyy")', []),
        ("alltrue([true, true])", True),
        ("anytrue([false, true])", True),
        ("sum([1, 2.5])", 3.5),
        ('startswith("hello", "he")', True),
        ('endswith("hello", "lo")', True),
        ('strcontains("hello", "ell")', True),
        ('index(["a", "b"], "b")', 1),
        ('base64gzip("helloworld")', "H4sIAAAAAAAA/8pIzcnJL88vykkBAAAA//8BAAD//60g6/kKAAAA"),
        ('textencodebase64("Hello", "UTF-16LE")', "SABlAGwAbABvAA=="),
        ('textdecodebase64("SABlAGwAbABvAA==", "UTF-16LE")', "Hello"),
        ('textencodebase64("ü", "ISO-8859-1")', "/A=="),
        ('rfc3339_parse("2023-07-25T23:43:16Z").unix', 1690328596),
        ("unix_timestamp_parse(0).rfc3339", "1970-01-01T00:00:00Z"),
        ('length(setunion(["a"], ["b", "a"]))', 2),
        ('setproduct(["a"], [1, 2])', [["a", 1], ["a", 2]]),
        ("convert([1, 2], list(string))", ["1", "2"]),
        ('can(1 + "x")', False),
        ("can(1)", True),
        ('try(1 + "x", "fallback")', "fallback"),
        ("try(var.missing, 5)", 5),
        ('coalesce("", "b")', "b"),
        ('lookup({a = 1}, "b", 2)', 2),
        ('yamldecode("a: [1, 2]")', {"a": [1, 2]}),
        ('formatdate("YYYY-MM-DD", "2024-02-29T12:00:00Z")', "2024-02-29"),
    ],
)
def test_function_result(expression: str, expected: object) -> None:
    assert _json(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('regex("x", "y")', "pattern did not match any part of the given string"),
        ('regex("(", "y")', "error parsing regexp"),
        ('regex("(?P<a>x)(y)", "xy")', "cannot mix both named and unnamed capture groups"),
        (
            'textencodebase64("x", "no-such-encoding")',
            '"no-such-encoding" is not a supported IANA encoding name',
        ),
        ('textencodebase64("☃", "ISO-8859-1")', "cannot be represented in"),
        ("sum([])", "cannot sum an empty list"),
        ('try(1 + "x")', "no expression succeeded:\n- Invalid operand (at test.pkr.hcl:1,9-12)"),
        ('vault("secret/x", "k")', "VAULT_TOKEN"),
        ('consul_key("k")', "error reading consul key"),
        ('aws_secretsmanager("", null)', "At least one secret name must be provided"),
        ("unix_timestamp_parse(1.5)", "unix_timestamp must be a whole number of seconds"),
        ('rfc3339_parse("abcdef")', '"abcdef" is not a valid RFC3339 timestamp'),
        ('convert("x", number)', "a number is required"),
    ],
)
def test_function_error(expression: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULT_TOKEN", raising=False)
    with pytest.raises(FunctionError) as raised:
        _run(expression)
    assert message in str(raised.value)


def test_can_with_unknown_variable_is_unknown() -> None:
    result = _run("can(var.x)", variables={"var": _unknown_var()})
    assert not result.is_known


def _unknown_var() -> Value:
    from kiln.lang.values import object_val

    return object_val({"x": unknown_val(STRING)})


def test_try_with_unknown_variable_is_unknown() -> None:
    result = _run('try(var.x, "d")', variables={"var": _unknown_var()})
    assert not result.is_known


def test_timestamp_is_rfc3339() -> None:
    text = FUNCTIONS["timestamp"].call([]).as_str()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text)


def test_legacy_strftime_formats_start_time() -> None:
    text = FUNCTIONS["legacy_strftime"].call([string_val("%Y-%m-%d %H:%M:%S")]).as_str()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text)


def test_uuidv4_is_random_version4() -> None:
    first = FUNCTIONS["uuidv4"].call([]).as_str()
    second = FUNCTIONS["uuidv4"].call([]).as_str()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first != second


def test_bcrypt_hash_verifies() -> None:
    import bcrypt

    hashed = FUNCTIONS["bcrypt"].call([string_val("secret")]).as_str()
    assert hashed.startswith("$2a$10$")
    assert bcrypt.checkpw(b"secret", hashed.encode())


def test_rsadecrypt_round_trip() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    ciphertext = base64.b64encode(key.public_key().encrypt(b"hello", padding.PKCS1v15())).decode()
    result = FUNCTIONS["rsadecrypt"].call([string_val(ciphertext), string_val(pem)])
    assert result.as_str() == "hello"


def test_rsadecrypt_rejects_bad_base64() -> None:
    with pytest.raises(FunctionError, match="cipher text must be base64-encoded"):
        FUNCTIONS["rsadecrypt"].call([string_val("!"), string_val("key")])


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("alpha")
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / "b.txt").write_text("beta")
    (tmp_path / "sub" / "deep" / "c.txt").write_text("gamma")
    (tmp_path / "sub" / ".hidden").write_text("h")
    (tmp_path / "binary.bin").write_bytes(b"\xff\xfe")
    (tmp_path / "hello.tmpl").write_text("Hello, ${name}!")
    (tmp_path / "list.tmpl").write_text("%{ for x in items ~}\n- ${x}\n%{ endfor ~}\n")
    (tmp_path / "bare.tmpl").write_text("${value}")
    return tmp_path


def test_file_reads_relative_to_base_dir(tree: Path) -> None:
    assert _json('file("a.txt")', base_dir=tree) == "alpha"


def test_file_missing_names_joined_path(tree: Path) -> None:
    with pytest.raises(FunctionError, match=f"no file exists at {re.escape(str(tree))}/missing.txt"):
        _run('file("missing.txt")', base_dir=tree)


def test_file_rejects_invalid_utf8(tree: Path) -> None:
    with pytest.raises(FunctionError, match="contents of binary.bin are not valid UTF-8"):
        _run('file("binary.bin")', base_dir=tree)


def test_fileexists_cases(tree: Path) -> None:
    assert _json('fileexists("a.txt")', base_dir=tree) is True
    assert _json('fileexists("nope.txt")', base_dir=tree) is False
    with pytest.raises(FunctionError, match='is not a regular file, but "drwx'):
        _run('fileexists("sub")', base_dir=tree)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*.txt", ["a.txt"]),
        ("**/*.txt", ["a.txt", "sub/b.txt", "sub/deep/c.txt"]),
        ("sub/**", ["sub/.hidden", "sub/b.txt", "sub/deep/c.txt"]),
        ("sub/{b,c}.txt", ["sub/b.txt"]),
        ("{a,sub/b}.txt", ["a.txt", "sub/b.txt"]),
        ("sub/?.txt", ["sub/b.txt"]),
        ("[ab]*", ["a.txt", "bare.tmpl", "binary.bin"]),
        ("none/*", []),
    ],
)
def test_fileset_patterns(tree: Path, pattern: str, expected: list[str]) -> None:
    assert _json(f'fileset(".", "{pattern}")', base_dir=tree) == expected


def test_filebase64_reads_from_working_directory(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    assert _json('filebase64("a.txt")', base_dir="/") == base64.b64encode(b"alpha").decode()
    with pytest.raises(
        FunctionError, match='failed to read file "nope": open nope: no such file or directory'
    ):
        _run('filebase64("nope")')


def test_templatefile_renders_variables(tree: Path) -> None:
    assert _json('templatefile("hello.tmpl", {name = "Jodie"})', base_dir=tree) == "Hello, Jodie!"
    assert _json('templatefile("list.tmpl", {items = ["a", "b"]})', base_dir=tree) == "- a\n- b\n"


def test_templatefile_bare_interpolation_keeps_type(tree: Path) -> None:
    assert _json('templatefile("bare.tmpl", {value = true})', base_dir=tree) is True


def test_templatefile_missing_variable(tree: Path) -> None:
    with pytest.raises(
        FunctionError, match='vars map does not contain key "name", referenced at hello.tmpl:1,10-14'
    ):
        _run('templatefile("hello.tmpl", {})', base_dir=tree)


def test_templatefile_rejects_non_map_vars(tree: Path) -> None:
    with pytest.raises(FunctionError, match="invalid vars value: must be a map"):
        _run('templatefile("hello.tmpl", "x")', base_dir=tree)


def test_abspath_is_absolute() -> None:
    result = FUNCTIONS["abspath"].call([string_val("x/y")]).as_str()
    assert result == (Path.cwd() / "x" / "y").as_posix()


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{a,sub/b}.txt", ["a.txt", "sub/b.txt"]),
        ("x{a,{b,c}}y", ["xay", "xby", "xcy"]),
        ("plain", ["plain"]),
    ],
)
def test_doublestar_brace_expansion(pattern: str, expected: list[str]) -> None:
    from kiln.lang.functions._doublestar import expand_braces

    assert expand_braces(pattern) == expected


def test_fileset_unclosed_brace(tree: Path) -> None:
    with pytest.raises(FunctionError, match="syntax error in pattern"):
        _run('fileset(".", "{a")', base_dir=tree)


# Expected values recorded from Packer 1.6.6's console (regex_replace uses Go's regexp).
@pytest.mark.parametrize(
    ("text", "pattern", "replacement", "expected"),
    [
        ("a1٣b", "\\d", "#", "a#٣b"),
        ("a\n", "a$", "X", "a\n"),
        ("a\nb\n", "(?m)^b$", "X", "a\nX\n"),
        ("a b", "[[:space:]]", "_", "a_b"),
        ("Ωa", "\\pL", "x", "xx"),
        ("Ωa", "\\p{Greek}", "x", "xa"),
        ("ÀBc", "(?i)àb", "x", "xc"),
        ("aaa", "a*?", "-", "-a-a-a-"),
        ("abc", "", "-", "-a-b-c-"),
        ("é w", "\\w", "x", "é x"),
        ("a b", "\\bb", "x", "a x"),
        ("abc", "(?P<n>b)", "<$n>", "a<b>c"),
        ("abc", "(b)", "$1x", "ac"),
        ("abc", "(b)", "${1}x", "abxc"),
        ("abc", "(b)", "$$", "a$c"),
        ("ab", "(a)(x)?", "[$2]", "[]b"),
        ("aa", "a{,2}", "y", "aa"),
        ("a+", "\\Qa+\\E", "y", "y"),
    ],
)
def test_regex_replace_go_semantics(text: str, pattern: str, replacement: str, expected: str) -> None:
    args = [string_val(text), string_val(pattern), string_val(replacement)]
    assert FUNCTIONS["regex_replace"].call(args).as_str() == expected
