"""Go-style flag parsing, as Packer's commands parse their arguments."""

from __future__ import annotations

import pytest

from kiln.cli.build import parse_build_arguments
from kiln.cli.flags import FlagError, FlagSet


def make_flags() -> FlagSet:
    flags = FlagSet("test")
    flags.bool("force")
    flags.string("name")
    flags.int("count")
    flags.comma_list("only")
    flags.key_values("var")
    flags.repeated("var-file")
    return flags


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        (["-name", "a"], "a"),
        (["-name=a"], "a"),
        (["--name", "a"], "a"),
        (["--name=a=b"], "a=b"),
        (["-name", "-x"], "-x"),  # a string flag takes the next argument even if it looks like a flag
    ],
)
def test_string_flag_forms(arguments: list[str], name: str) -> None:
    flags = make_flags()
    assert flags.parse(arguments) == []
    assert flags.value("name") == name


def test_bool_flag_takes_value_only_with_equals() -> None:
    flags = make_flags()
    assert flags.parse(["-force", "false", "t.pkr.hcl"]) == ["false", "t.pkr.hcl"]
    assert flags.value("force") is True


@pytest.mark.parametrize(
    ("text", "expected"), [("false", False), ("0", False), ("F", False), ("true", True), ("1", True)]
)
def test_bool_flag_go_words(text: str, expected: bool) -> None:
    flags = make_flags()
    flags.parse([f"-force={text}"])
    assert flags.value("force") is expected


def test_parsing_stops_at_first_positional() -> None:
    flags = make_flags()
    assert flags.parse(["-force", "t.pkr.hcl", "-name=x"]) == ["t.pkr.hcl", "-name=x"]
    assert flags.value("name") == ""


def test_double_dash_ends_flags() -> None:
    assert make_flags().parse(["--", "-force"]) == ["-force"]


def test_lone_dash_is_positional() -> None:
    assert make_flags().parse(["-"]) == ["-"]


def test_repeated_flags_accumulate() -> None:
    flags = make_flags()
    flags.parse(
        ["-only=a,b", "-only", "c", "-var", "x=1", "-var=y=2=3", "-var-file=a.hcl", "-var-file", "b.json"]
    )
    assert flags.value("only") == ["a", "b", "c"]
    assert flags.value("var") == [("x", "1"), ("y", "2=3")]
    assert flags.value("var-file") == ["a.hcl", "b.json"]


def test_last_int_wins() -> None:
    flags = make_flags()
    flags.parse(["-count=1", "-count=5"])
    assert flags.value("count") == 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-bogus"], "flag provided but not defined: -bogus"),
        (["-name"], "flag needs an argument: -name"),
        (["-force=maybe"], 'invalid boolean value "maybe" for -force: parse error'),
        (["-count=abc"], 'invalid value "abc" for flag -count: parse error'),
        (
            ["-count=99999999999999999999"],
            'invalid value "99999999999999999999" for flag -count: value out of range',
        ),
        (["-var", "novalue"], "invalid value \"novalue\" for flag -var: No '=' value in arg: novalue"),
        (["---x"], "bad flag syntax: ---x"),
        (["-=x"], "bad flag syntax: -=x"),
    ],
)
def test_flag_errors_read_as_go(arguments: list[str], message: str) -> None:
    with pytest.raises(FlagError) as raised:
        make_flags().parse(arguments)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("arguments", "path", "parallel"),
    [
        (["file.json"], "file.json", 0),
        (["-parallel-builds=10", "file.json"], "file.json", 10),
        (["-parallel-builds=1", "file.json"], "file.json", 1),
        (["-parallel-builds=1", "-parallel-builds=5", "otherfile.json"], "otherfile.json", 5),
        (["-parallel-builds=-3", "file.json"], "file.json", 0),
    ],
)
def test_build_parallel_builds(arguments: list[str], path: str, parallel: int) -> None:
    parsed, _flags = parse_build_arguments(arguments)
    assert parsed.path == path
    assert parsed.parallel_builds == parallel
    assert parsed.color is True


def test_build_flags_all_parse() -> None:
    parsed, _flags = parse_build_arguments(
        [
            "-color=false",
            "-debug",
            "-force",
            "-timestamp-ui",
            "-on-error=abort",
            "-only=a.*,b",
            "-except=c",
            "-var",
            "x=1",
            "-var-file=v.pkrvars.hcl",
            "-skip-enforcement",
            "t.pkr.hcl",
        ]
    )
    assert (parsed.color, parsed.debug, parsed.force, parsed.timestamp_ui) == (False, True, True, True)
    assert parsed.on_error == "abort"
    assert parsed.only == ["a.*", "b"]
    assert parsed.except_ == ["c"]
    assert parsed.skip_enforcement is True


def test_build_on_error_rejects_unknown_mode() -> None:
    with pytest.raises(FlagError, match="for flag -on-error"):
        parse_build_arguments(["-on-error=explode", "t.pkr.hcl"])


def test_build_needs_one_template() -> None:
    with pytest.raises(FlagError):
        parse_build_arguments(["a.pkr.hcl", "b.pkr.hcl"])
