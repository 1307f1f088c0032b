from kiln.hcl.diagnostics import Pos, Range, did_you_mean, error, render_diagnostic


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
