import re
from dataclasses import dataclass, field

import pytest

from kiln.sdk.interpolate.gotemplate import TemplateError
from kiln.sdk.interpolate.packer import PLACEHOLDER_MESSAGE, Context, render, render_tree


def test_user_and_data_fields():
    context = Context(data={"HTTPIP": "10.0.2.2", "HTTPPort": 8123}, user_variables={"name": "web"})
    assert render("http://{{ .HTTPIP }}:{{ .HTTPPort }}/{{ user `name` }}", context) == "http://10.0.2.2:8123/web"


def test_env_only_in_variables(monkeypatch):
    monkeypatch.setenv("KILN_TEST_VALUE", "from-env")
    assert render("{{ env `KILN_TEST_VALUE` }}", Context(enable_env=True)) == "from-env"
    with pytest.raises(TemplateError, match="env vars are not allowed here"):
        render("{{ env `KILN_TEST_VALUE` }}", Context())


def test_string_functions():
    context = Context()
    assert render("{{ split `a-b-c` `-` 1 }}", context) == "b"
    assert render("{{ replace `a` `b` 1 `aaa` }}", context) == "baa"
    assert render("{{ replace_all `a` `b` `aaa` }}", context) == "bbb"
    assert render("{{ upper `x` }}{{ lower `Y` }}", context) == "Xy"
    with pytest.raises(TemplateError, match="only 3 values were found"):
        render("{{ split `a-b-c` `-` 5 }}", context)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ replace `b` `c` `ababa` 2 }}", "expected integer; found 'ababa'"),
        ("{{ replace `b` `c` 1 2 }}", "expected string; found 2"),
        ("{{ split 3 `-` 0 }}", "expected string; found 3"),
        ("{{ split `a-b` `-` `0` }}", "expected integer; found '0'"),
    ],
)
def test_string_function_argument_types(text, message):
    with pytest.raises(TemplateError, match=re.escape(message)):
        render(text, Context())


def test_timestamp_and_isotime_agree():
    context = Context()
    stamp = render("{{ timestamp }}", context)
    assert re.fullmatch(r"\d{10}", stamp)
    assert render("{{ timestamp }}", context) == stamp
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", render("{{ isotime }}", context))
    assert re.fullmatch(r"\d{4}", render("{{ isotime `2006` }}", context))


def test_build_keeps_placeholder_until_data_exists():
    before = Context(data={"Host": PLACEHOLDER_MESSAGE.format(key="Host")})
    assert render("{{ build `Host` }}", before) == "{{.Host}}"
    after = Context(data={"Host": "127.0.0.1"})
    assert render("{{ build `Host` }}", after) == "127.0.0.1"


def test_build_name_requires_context():
    assert render("{{ build_name }}/{{ build_type }}", Context(build_name="base", build_type="qemu")) == "base/qemu"
    with pytest.raises(TemplateError, match="build_name not available"):
        render("{{ build_name }}", Context())


@dataclass
class _Options:
    inline: list[str] = field(default_factory=list)
    execute_command: str = ""


def test_render_tree_skips_named_fields():
    options = _Options(inline=["echo {{ .Host }}"], execute_command="sh {{ .Path }}")
    rendered = render_tree(options, Context(data={"Host": "h1"}), skip=frozenset({"execute_command"}))
    assert rendered.inline == ["echo h1"]
    assert rendered.execute_command == "sh {{ .Path }}"
    assert options.inline == ["echo {{ .Host }}"]
