import pytest

from kiln.sdk.interpolate.gotemplate import TemplateError, parse, render


@pytest.mark.parametrize(
    ("source", "data", "expected"),
    [
        ("plain text", None, "plain text"),
        ("{{ .Name }}", {"Name": "web"}, "web"),
        ("{{ .A.B }}", {"A": {"B": 3}}, "3"),
        ("{{ .Missing }}", {}, "<no value>"),
        ("a {{- .X -}} b", {"X": "1"}, "a1b"),
        ("a  {{- .X }}  b", {"X": "1"}, "a1  b"),
        ("{{/* a comment */}}x", None, "x"),
        ("{{ `raw \\n` }}", None, "raw \\n"),
        ('{{ "esc\\tq" }}', None, "esc\tq"),
        ("{{ if .On }}yes{{ else }}no{{ end }}", {"On": False}, "no"),
        ("{{ if .A }}a{{ else if .B }}b{{ else }}c{{ end }}", {"A": 0, "B": 1}, "b"),
        ("{{ range .L }}[{{ . }}]{{ end }}", {"L": ["x", "y"]}, "[x][y]"),
        ("{{ range $i, $e := .L }}{{ $i }}={{ $e }} {{ end }}", {"L": ["x", "y"]}, "0=x 1=y "),
        ("{{ range .L }}x{{ else }}empty{{ end }}", {"L": []}, "empty"),
        ("{{ range .L }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", {"L": [1, 2, 3]}, "1"),
        ("{{ with .W }}{{ . }}{{ end }}", {"W": "in"}, "in"),
        ("{{ $x := 5 }}{{ $x }}", None, "5"),
        ("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", None, "2"),
        ("{{ len .L }}", {"L": [1, 2, 3]}, "3"),
        ("{{ index .M `k` }}", {"M": {"k": "v"}}, "v"),
        ("{{ printf `%s-%d` .S .N }}", {"S": "a", "N": 4}, "a-4"),
        ("{{ print 1 2 }}", None, "1 2"),
        ('{{ print "a" "b" }}', None, "ab"),
        ("{{ and 1 0 }}|{{ or 0 `x` }}|{{ not true }}", None, "0|x|false"),
        ("{{ lt 1 2 }}{{ ge 2 2 }}{{ ne `a` `b` }}", None, "truetruetrue"),
        ("{{ .L }} {{ .M }}", {"L": [1, "a"], "M": {"b": 2, "a": 1}}, "[1 a] map[a:1 b:2]"),
        ('{{define "T"}}<{{.}}>{{end}}{{template "T" .X}}', {"X": 7}, "<7>"),
        ("{{ (index .L 1) }}", {"L": [5, 6]}, "6"),
        ("{{ html `<a&b>` }}", None, "&lt;a&amp;b&gt;"),
        ("{{ nil }}", None, "<nil>"),
    ],
)
def test_render_matches_go(source, data, expected):
    assert render(source, data) == expected


def test_pipeline_passes_value_as_last_argument():
    functions = {"upper": str.upper, "join": lambda sep, value: sep.join([value, value])}
    assert render("{{ .N | upper | join `-` }}", {"N": "ab"}, functions) == "AB-AB"


def test_function_with_backquoted_argument():
    variables = {"name": "kiln"}
    assert render("{{ user `name` }}!", None, {"user": lambda key: variables[key]}) == "kiln!"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ nope }}", 'template: root:1: function "nope" not defined'),
        ("{{ if .X }}open", "template: root:1: unexpected EOF"),
        ("{{ .X ", "template: root:1: unclosed action"),
        ("line\n{{ $undefined }}", "template: root:2: undefined variable: $undefined"),
        ("{{ end }}", "template: root:1: unexpected {{end}}"),
    ],
)
def test_errors_use_go_wording(source, message):
    with pytest.raises(TemplateError) as caught:
        parse(source).execute({})
    assert str(caught.value) == message


def test_missing_key_error_option():
    with pytest.raises(TemplateError, match='map has no entry for key "Host"'):
        parse("{{ .Host }}").execute({}, missing_key="error")


def test_function_errors_name_the_function():
    def fail(value):
        raise TemplateError("no such variable")

    with pytest.raises(TemplateError, match=r"root:1: executing user: no such variable"):
        render("{{ user `x` }}", None, {"user": fail})
