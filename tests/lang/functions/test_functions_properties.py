"""Round-trip and agreement properties of the function library, checked with Hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiln.lang.functions import packer_functions
from kiln.lang.values import Value, from_python, number_val, string_val

FUNCTIONS = packer_functions(".")
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
DATA = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)


def _call(name: str, *args: Value) -> Value:
    return FUNCTIONS[name].call(list(args))


@given(st.integers(-(10**30), 10**30))
def test_format_integer_verbs(number: int) -> None:
    assert _call("format", string_val("%d"), number_val(number)).as_str() == str(number)
    assert _call("format", string_val("%x"), number_val(number)).as_str() == format(number, "x")
    assert _call("format", string_val("%+o"), number_val(number)).as_str() == format(number, "+o")


@given(TEXT)
def test_base64_round_trip(text: str) -> None:
    encoded = _call("base64encode", string_val(text))
    assert _call("base64decode", encoded) == string_val(text)


@given(st.lists(st.text(st.characters(blacklist_characters=",", blacklist_categories=("Cs",))), min_size=1))
def test_split_inverts_join(parts: list[str]) -> None:
    joined = _call("join", string_val(","), from_python(parts))
    split = _call("split", string_val(","), joined)
    assert [element.as_str() for element in split.elements()] == [string_val(p).as_str() for p in parts]


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126)), st.integers(0, 50), st.integers(1, 50))
def test_substr_matches_slicing_for_ascii(text: str, offset: int, length: int) -> None:
    result = _call("substr", string_val(text), number_val(offset), number_val(length))
    assert result.as_str() == text[offset : offset + length]


# Without combining marks or control characters every character is its own grapheme
# cluster, so reversing twice restores the text. (A leading combining mark would join the
# character before it after one reversal.)
@given(st.text(st.characters(max_codepoint=0x2FF, blacklist_categories=("Cs", "Cc", "Mn", "Mc", "Me"))))
def test_strrev_twice_is_identity(text: str) -> None:
    once = _call("strrev", string_val(text))
    assert _call("strrev", once) == string_val(text)


@settings(max_examples=60)
@given(DATA)
def test_yaml_round_trip(data: object) -> None:
    value = from_python(data)
    decoded = _call("yamldecode", _call("yamlencode", value))
    assert decoded.to_python() == value.to_python()


@settings(max_examples=60)
@given(DATA)
def test_json_round_trip(data: object) -> None:
    value = from_python(data)
    decoded = _call("jsondecode", _call("jsonencode", value))
    assert decoded.to_python() == value.to_python()
