"""Arbitrary input never raises, and formatting valid input twice changes nothing more."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kiln.hcl.fmt import format_hcl, format_source

_PIECES = st.sampled_from(
    [
        "a",
        "b_c",
        "=",
        " ",
        "  ",
        "\t",
        "\n",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ",",
        ".",
        ":",
        "?",
        "!",
        "-",
        "+",
        "*",
        "==",
        "&&",
        '"x"',
        '"${a}"',
        '"%{if a}b%{endif}"',
        "1",
        "2.5",
        "# c\n",
        "// c\n",
        "/* c */",
        "<<EOT\nbody ${x}\nEOT\n",
        "for",
        "in",
        "=>",
        "...",
        "ä",
        "\r\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(src: bytes) -> None:
    formatted, diagnostics = format_source(src, "f.pkr.hcl")

    assert formatted == b"" or not diagnostics.has_errors()
    format_hcl(src)


_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_NAME = st.sampled_from(["a", "bb", "long_name", "x-y", "ä"])
_ATOM = st.sampled_from(
    ["1", "-2.5", "true", "null", '"s"', '"${var.x}-y"', "var.a[0]", "f(1, 2)", "!a", "a ? b : c"]
)


def _expressions() -> st.SearchStrategy[str]:
    def wrap(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        joined = st.lists(st.tuples(_SPACE, children, _SPACE), max_size=3)
        multi_line = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            joined.map(lambda parts: "[" + ",".join(a + e + b for a, e, b in parts) + "]"),
            multi_line.map(lambda items: "[\n" + "".join(f"{item},\n" for item in items) + "]"),
            st.tuples(_NAME, _SPACE, children).map(lambda t: "{ " + t[0] + t[1] + "=" + t[1] + t[2] + " }"),
            st.tuples(children, _SPACE, children).map(lambda t: t[0] + t[1] + "+" + t[1] + t[2]),
            children.map(lambda e: "(" + e + ")"),
        )

    return st.recursive(_ATOM, wrap, max_leaves=6)


def _bodies() -> st.SearchStrategy[str]:
    attribute = st.tuples(
        _SPACE, _NAME, _SPACE, _SPACE, _expressions(), st.sampled_from(["", " # c", "  // note"])
    ).map(lambda t: f"{t[0]}{t[1]}{t[2]}={t[3]}{t[4]}{t[5]}\n")
    blank = st.sampled_from(["\n", "  \n", "# comment\n"])

    def wrap(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(_SPACE, _NAME, st.sampled_from(["", ' "l"']), children).map(
            lambda t: f"{t[0]}{t[1]}{t[2]} {{\n{t[3]}}}\n"
        )

    items = st.lists(attribute | blank, max_size=4).map("".join)
    return st.recursive(
        items, lambda children: st.lists(wrap(children) | items, max_size=3).map("".join), max_leaves=6
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bodies())
def test_valid_input_idempotent(src: str) -> None:
    formatted, diagnostics = format_source(src.encode(), "f.pkr.hcl")

    assume(not diagnostics.has_errors())
    assert format_hcl(formatted) == formatted
