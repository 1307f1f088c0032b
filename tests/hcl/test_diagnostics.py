from kiln.hcl.diagnostics import (
    Pos,
    Range,
    describe_range,
    did_you_mean,
    error,
    quote_name,
    render_diagnostic,
)


def test_render_shows_line_and_caret():
    source = b'source "null" "x" {\n  foo = "bar"\n}\n'
    subject = Range("a.pkr.hcl", Pos(2, 3, 22), Pos(2, 6, 25))
    diagnostic = error("Unsupported argument", 'An argument named "foo" is not expected here.', subject)

    text = render_diagnostic(diagnostic, {"a.pkr.hcl": source}, block_header='source "null" "x"')

    assert text.splitlines() == [
        "Error: Unsupported argument",
        "",
        '  on a.pkr.hcl line 2, in source "null" "x":',
        '   2:   foo = "bar"',
        "        ^^^",
        "",
        'An argument named "foo" is not expected here.',
    ]


def test_did_you_mean_near_and_far():
    assert did_you_mean("qemuu", ["qemu", "docker"]) == ' Did you mean "qemu"?'
    assert did_you_mean("completely", ["qemu", "docker"]) == ""


def test_quote_name_escapes_like_go():
    assert quote_name('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


def test_describe_range_single_and_multi_line():
    one_line = Range("a.hcl", Pos(2, 3, 10), Pos(2, 7, 14))
    two_lines = Range("a.hcl", Pos(2, 3, 10), Pos(4, 1, 30))

    assert describe_range(one_line) == "a.hcl:2,3-7"
    assert describe_range(two_lines) == "a.hcl:2,3-4,1"


def test_render_shows_every_line_of_context():
    source = b"locals {\n  a = [\n    1\n    2\n  ]\n}\n"
    subject = Range("c.pkr.hcl", Pos(4, 5, 31), Pos(4, 6, 32))
    context = Range("c.pkr.hcl", Pos(2, 7, 15), Pos(4, 6, 32))
    diagnostic = error(
        "Missing item separator", "Expected a comma to mark the beginning of the next item.", subject
    )
    diagnostic.context = context

    text = render_diagnostic(diagnostic, {"c.pkr.hcl": source}, block_header="locals")

    assert text.splitlines() == [
        "Error: Missing item separator",
        "",
        "  on c.pkr.hcl line 4, in locals:",
        "   2:   a = [",
        "   3:     1",
        "   4:     2",
        "          ^",
        "",
        "Expected a comma to mark the beginning of the next item.",
    ]


def test_render_multi_line_subject_shows_its_last_line():
    source = b'locals {\n  a = "x\n  b = 1\n}\n'
    subject = Range("t.pkr.hcl", Pos(2, 9, 17), Pos(3, 1, 18))

    text = render_diagnostic(error("Invalid multi-line string", "", subject), {"t.pkr.hcl": source})

    assert text.splitlines()[3:6] == ['   2:   a = "x', "              ^", "   3:   b = 1"]


def test_render_names_block_from_source_context():
    from kiln.hcl.diagnostics import SourceFiles
    from kiln.hcl.syntax import parse_config

    source = b'variable "a" {\n  foo = 1\n}\n'
    file, _ = parse_config(source, "v.pkr.hcl")
    sources = SourceFiles()
    sources.add("v.pkr.hcl", source, file.context_string)
    subject = Range("v.pkr.hcl", Pos(2, 3, 17), Pos(2, 6, 20))

    text = render_diagnostic(error("Unsupported argument", "", subject), sources)

    assert text.splitlines()[2] == '  on v.pkr.hcl line 2, in variable "a":'


def test_quote_name_escapes_control_characters():
    assert quote_name("a\x00b\rc\u200bé") == '"a\\x00b\\rc\\u200bé"'


def test_render_clips_long_line_around_subject():
    line = "x = " + "+".join(["1"] * 400)  # 803 characters
    column = 601  # 1-based column of a "1" far along the line
    assert line[column - 1] == "1"
    subject = Range("long.hcl", Pos(1, column, column - 1), Pos(1, column + 1, column))

    text = render_diagnostic(error("Invalid operand", "", subject), {"long.hcl": line.encode() + b"\n"})

    shown, caret = text.splitlines()[3:5]
    assert shown.startswith("   1: ...")
    assert shown.endswith("...")
    assert len(shown) == len("   1: ") + 3 + 160 + 3
    assert caret.strip() == "^"
    assert shown[caret.index("^")] == "1"
    assert caret.index("^") - len("   1: ") - 3 == 40
