"""Function results and errors recorded from Packer's own console.

Each row is an HCL expression and what `packer console` (Packer 1.6.6) printed for
``jsonencode(<expression>)``: the JSON text, or the error as "summary: detail". Only rows
whose behaviour Packer 1.16 keeps are listed. Functions that 1.6.6 lacks (`sum`, `alltrue`,
`regex` and others) are covered by the conformance cases and the edge-case tests instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiln.hcl.syntax.parser import parse_expression
from kiln.lang.eval.context import EvalContext
from kiln.lang.eval.expressions import evaluate
from kiln.lang.functions import packer_functions


@dataclass(frozen=True)
class Error:
    """The first error Packer reported, as "summary: detail"."""

    text: str


ROWS: list[tuple[str, str | Error]] = [
    ("abs(-3.5)", "3.5"),
    ("ceil(1.2)", "2"),
    ("floor(-1.2)", "-2"),
    ("log(16, 2)", "4"),
    ("max(1, 5, 3)", "5"),
    ("min(2, -1)", "-1"),
    ('parseint("FF", 16)', "255"),
    ('parseint("-1010", 2)', "-10"),
    ('parseint("zz", 62)', "2205"),
    (
        'parseint("12", 1)',
        Error(
            'Invalid function argument: Invalid value for "base" parameter: base must be a whole number between 2 and 62 inclusive.'
        ),
    ),
    (
        'parseint("x", 10)',
        Error(
            'Invalid function argument: Invalid value for "number" parameter: cannot parse "x" as a base 10 integer.'
        ),
    ),
    ("pow(2, 10)", "1024"),
    ("pow(2, 0.5)", "1.4142135623730951"),
    ("signum(-7)", "-1"),
    ("signum(0)", "0"),
    ('chomp("a\\n\\r\\n")', '"a"'),
    (
        'format("%v|%5.2f|%-4d|%q|%#v|%g", 1000000, 3.14159, 42, "y", ["a"], 0.000012345)',
        '"1e+06| 3.14|42  |\\"y\\"|[\\"a\\"]|1.2345e-05"',
    ),
    (
        'format("%05d|%+d|% d|%x|%X|%o|%b|%#x", 42, 42, 42, 255, 255, 8, 5, 255)',
        '"00042|+42| 42|ff|FF|10|101|0xff"',
    ),
    (
        'format("%e|%E|%.3e|%G|%.2g|%g", 123456.789, 0.00012, 1, 1e21, 123.456, 100000)',
        '"1.234568e+05|1.200000E-04|1.000e+00|1E+21|1.2e+02|100000"',
    ),
    (
        'format("%s %s", "a")',
        Error(
            'Error in function call: Call to function "format" failed: not enough arguments for "%s" at 3: need index 2 but have 1 total.'
        ),
    ),
    (
        'format("%d", 1.5)',
        Error(
            'Error in function call: Call to function "format" failed: unsupported value for "%d" at 0: an integer is required.'
        ),
    ),
    ('format("%[2]s %[1]s %s", "a", "b")', '"b a b"'),
    ('format("%t %v %v", true, null, true)', '"true null true"'),
    ('format("%10s|%-10s|%.2s", "héllo", "x", "abc")', '"     héllo|x         |ab"'),
    (
        'format("%z", 1)',
        Error(
            'Error in function call: Call to function "format" failed: unsupported format verb \'z\' in "%z" at offset 0.'
        ),
    ),
    (
        'format("%", 1)',
        Error(
            'Error in function call: Call to function "format" failed: invalid format string starting at offset 1.'
        ),
    ),
    ('format("%v", 123456789012)', '"1.23456789012e+11"'),
    ('format("%v", 0.1)', '"0.1"'),
    ('format("%f", 1e-7)', '"0.000000"'),
    ('format("%.0f %.1f", 2.5, 0.05)', '"2 0.1"'),
    ('formatlist("%s-%s", ["a", "b"], "x")', '["a-x", "b-x"]'),
    (
        'formatlist("%s-%s", ["a", "b"], ["c"])',
        Error(
            'Invalid function argument: Invalid value for "args" parameter: argument 2 has length 1, which is inconsistent with argument 1 of length 2.'
        ),
    ),
    ('indent(2, "a\\nb\\n")', '"a\\n  b\\n  "'),
    ('join("-", ["a", "b"], ["c"])', '"a-b-c"'),
    ('join(",", [])', '""'),
    ('lower("ÀB")', '"àb"'),
    ('upper("straße")', '"STRAßE"'),
    ('regex_replace("hello world", "o", "0")', '"hell0 w0rld"'),
    ('regex_replace("abc", "(b)", "[$1]")', '"a[b]c"'),
    ('replace("hello", "l", "L")', '"heLLo"'),
    ('replace("abc", "", "-")', '"-a-b-c-"'),
    ('split(",", "a,b,,c")', '["a", "b", "", "c"]'),
    ('split(",", "")', '[""]'),
    ('split("", "abc")', '["a", "b", "c"]'),
    ('strrev("héllo")', '"olléh"'),
    ('substr("hello world", 1, 4)', '"ello"'),
    ('substr("hello", -3, -1)', '"llo"'),
    ('substr("hello", 10, 2)', '""'),
    ('substr("hello", -10, 2)', '"he"'),
    ('substr("hello", 2, 0)', '""'),
    ('title("hello wORLD-x_y élan")', '"Hello WORLD-X_y Élan"'),
    ('trim("?!hello?!", "!?")', '"hello"'),
    ('trimprefix("helloworld", "hello")', '"world"'),
    ('trimsuffix("helloworld", "world")', '"hello"'),
    ('trimspace("  \\t hi \\n")', '"hi"'),
    ('chunklist(["a", "b", "c", "d", "e"], 2)', '[["a", "b"], ["c", "d"], ["e"]]'),
    ('chunklist(["a"], 0)', '[["a"]]'),
    ('coalesce("", "b", "c")', '"b"'),
    ('coalesce(1, "2")', '"1"'),
    (
        'coalesce(null, "")',
        Error(
            'Error in function call: Call to function "coalesce" failed: no non-null, non-empty-string arguments.'
        ),
    ),
    ('coalescelist([], ["a"])', '["a"]'),
    ('compact(["a", "", "b"])', '["a", "b"]'),
    ("concat([1], [2, 3])", "[1, 2, 3]"),
    ('concat(["a"], [1])', '["a", 1]'),
    ("concat([], [])", "[]"),
    ('contains(["a", "b"], "b")', "true"),
    ('contains([1, 2], "1")', "false"),
    ('distinct(["a", "b", "a", "c"])', '["a", "b", "c"]'),
    ('element(["a", "b", "c"], 4)', '"b"'),
    (
        "element([], 0)",
        Error(
            'Error in function call: Call to function "element" failed: cannot use element function with an empty list.'
        ),
    ),
    ('flatten([["a", "b"], [], ["c", ["d"]]])', '["a", "b", "c", "d"]'),
    ("flatten([])", "[]"),
    ("keys({b = 1, a = 2})", '["a", "b"]'),
    ("keys({})", "[]"),
    ('lookup({a = "x"}, "a", "d")', '"x"'),
    ('lookup({a = "x"}, "b", "d")', '"d"'),
    ('merge({a = 1}, {b = "x"})', '{"a": 1, "b": "x"}'),
    ("merge({a = 1}, {a = 2})", '{"a": 2}'),
    (
        'merge({a = 1}, "x")',
        Error(
            'Error in function call: Call to function "merge" failed: arguments must be maps or objects, got "string".'
        ),
    ),
    ("range(3)", "[0, 1, 2]"),
    ("range(1, 4)", "[1, 2, 3]"),
    ("range(5, 1)", "[5, 4, 3, 2]"),
    ("range(0, 1, 0.25)", "[0, 0.25, 0.5, 0.75]"),
    (
        "range(0, 5, -1)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be less than start when step is negative.'
        ),
    ),
    ("reverse([1, 2, 3])", "[3, 2, 1]"),
    ('setintersection(["a", "b"], ["b", "c"])', '["b"]'),
    ('setproduct(["a", "b"], [1, 2])', '[["a", 1], ["a", 2], ["b", 1], ["b", 2]]'),
    ('setunion(["a"], ["b", "a"])', '["a", "b"]'),
    ('slice(["a", "b", "c", "d"], 1, 3)', '["b", "c"]'),
    (
        'slice(["a"], 2, 1)',
        Error(
            'Invalid function argument: Invalid value for "start_index" parameter: start index must not be greater than the length of the list.'
        ),
    ),
    ('sort(["b", "a", "C", "10", "9"])', '["10", "9", "C", "a", "b"]'),
    ("values({b = 2, a = 1})", "[1, 2]"),
    ('zipmap(["a", "b"], [1, 2])', '{"a": 1, "b": 2}'),
    (
        'zipmap(["a"], [1, 2])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (1) does not match number of values (2).'
        ),
    ),
    ('base64decode("aGVsbG8=")', '"hello"'),
    (
        'base64decode("aGVsbG8")',
        Error(
            "Error in function call: Call to function \"base64decode\" failed: failed to decode base64 data 'aGVsbG8'."
        ),
    ),
    ('base64encode("héllo")', '"aMOpbGxv"'),
    ('csvdecode("a,b\\n1,2\\n3,4\\n")', '[{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]'),
    (
        'csvdecode("")',
        Error('Error in function call: Call to function "csvdecode" failed: missing header line.'),
    ),
    (
        'jsondecode("{\\"a\\": [1, true, null, \\"x\\"], \\"b\\": 1.5}")',
        '{"a": [1, true, null, "x"], "b": 1.5}',
    ),
    (
        'jsonencode({a = [1, "<b>"], c = null, d = 1.5e30})',
        '"{\\"a\\":[1,\\"\\\\u003cb\\\\u003e\\"],\\"c\\":null,\\"d\\":1500000000000000000000000000000}"',
    ),
    ('urlencode("a b&c/~é")', '"a+b%26c%2F~%C3%A9"'),
    (
        "yamldecode(\"a: yes\\nb: [1, 0x10, '2']\\nc: ~\\nd: 2001-12-14\\n\")",
        '{"a": true, "b": [1, "0x10", "2"], "c": null, "d": "2001-12-14T00:00:00Z"}',
    ),
    ('yamldecode("- a\\n- b: 1\\n")', '["a", {"b": 1}]'),
    (
        'yamlencode({a = "b", c = 1.5, d = true, e = null, f = ["x", 2], g = "l1\\nl2", h = {}, i = []})',
        '"\\"a\\": \\"b\\"\\n\\"c\\": 1.5\\n\\"d\\": true\\n\\"e\\": null\\n\\"f\\":\\n- \\"x\\"\\n- 2\\n\\"g\\": |-\\n  l1\\n  l2\\n\\"h\\": {}\\n\\"i\\": []\\n"',
    ),
    ('yamlencode(["a", {b = 1}])', '"- \\"a\\"\\n- \\"b\\": 1\\n"'),
    ('yamlencode("x")', '"\\"x\\"\\n"'),
    ("yamlencode(12)", '"12\\n...\\n"'),
    ('yamlencode({a = {b = {c = "d"}}})', '"\\"a\\":\\n  \\"b\\":\\n    \\"c\\": \\"d\\"\\n"'),
    ('yamlencode("line\\n")', '"|\\n  line\\n"'),
    ('basename("/a/b/")', '"b"'),
    ('basename("")', '"."'),
    ('basename("/")', '"/"'),
    ('dirname("/a/b/c")', '"/a/b"'),
    ('dirname("a")', '"."'),
    ('dirname("")', '"."'),
    (
        'formatdate("YYY", "2018-01-02T23:12:01Z")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "YYY": year must either be "YY" or "YYYY".'
        ),
    ),
    ('formatdate("h:mm aa HH AA", "2018-01-02T13:05:09Z")', '"13:05 pm 01 PM"'),
    (
        'formatdate("YYYY", "2018-01-02")',
        Error(
            "Invalid function argument: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: missing required time introducer 'T'."
        ),
    ),
    (
        'formatdate("YYYY", "2018-13-02T00:00:00Z")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: cannot use "-02T00:00:00Z" as month.'
        ),
    ),
    (
        'formatdate("YYYY", "2018-01-02T00:00:00")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: end of string before UTC offset.'
        ),
    ),
    ('formatdate("Z ZZZZ ZZZZZ ZZZ", "2018-01-02T00:00:00Z")', '"Z +0000 +00:00 UTC"'),
    ('timeadd("2017-11-22T00:00:00Z", "10m")', '"2017-11-22T00:10:00Z"'),
    ('timeadd("2017-11-22T00:00:00Z", "-1.5h")', '"2017-11-21T22:30:00Z"'),
    (
        'timeadd("2017-11-22T00:00:00Z", "1d")',
        Error(
            'Error in function call: Call to function "timeadd" failed: time: unknown unit "d" in duration "1d".'
        ),
    ),
    (
        'timeadd("bad", "1h")',
        Error(
            'Error in function call: Call to function "timeadd" failed: not a valid RFC3339 timestamp: cannot use "bad" as year.'
        ),
    ),
    ('md5("hello")', '"5d41402abc4b2a76b9719d911017c592"'),
    ('sha1("hello")', '"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"'),
    ('sha256("hello")', '"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"'),
    (
        'sha512("hello")',
        '"9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"',
    ),
    ('uuidv5("dns", "www.terraform.io")', '"a5008fae-b28c-5ba5-96cd-82b4c53552d6"'),
    ('uuidv5("url", "x")', '"4cd605e7-afa2-5360-b5b9-c5e9fb5c76f4"'),
    (
        'uuidv5("bad", "x")',
        Error(
            'Error in function call: Call to function "uuidv5" failed: uuidv5() doesn\'t support namespace bad (invalid UUID length: 3).'
        ),
    ),
    ('cidrhost("10.12.112.0/20", 16)', '"10.12.112.16"'),
    ('cidrhost("10.12.112.0/20", -1)', '"10.12.127.255"'),
    (
        'cidrhost("10.12.112.0/20", 5000)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: prefix of 20 does not accommodate a host numbered 5000.'
        ),
    ),
    ('cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)', '"fd00:fd12:3456:7890::22"'),
    (
        'cidrhost("10.0.0.0", 1)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0.'
        ),
    ),
    ('cidrnetmask("172.16.0.0/12")', '"255.240.0.0"'),
    ('cidrsubnet("172.16.0.0/12", 4, 2)', '"172.18.0.0/16"'),
    ('cidrsubnet("10.1.2.0/24", 4, 15)', '"10.1.2.240/28"'),
    (
        'cidrsubnet("10.1.2.0/24", 4, 16)',
        Error(
            'Error in function call: Call to function "cidrsubnet" failed: prefix extension of 4 does not accommodate a subnet numbered 16.'
        ),
    ),
    ('cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)', '"fd00:fd12:3456:7800:a200::/72"'),
    (
        'cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)',
        '["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]',
    ),
    (
        'cidrsubnets("10.1.0.0/30", 1, 1, 1)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 31 bits after 10.1.0.2/31.'
        ),
    ),
    ('can(1 + "x")', "false"),
    ("can(1)", "true"),
    ('try(1 + "x", "fallback")', '"fallback"'),
    ("convert([1, 2], list(string))", '["1", "2"]'),
    (
        'convert("x", number)',
        Error('Invalid function argument: Invalid value for "value" parameter: a number is required.'),
    ),
    ('length("noël")', "4"),
    ("length({a = 1})", "1"),
    ('format("%.0f %.1f %.2f %.1e %.3g", 2.5, 0.05, 1.005, 0.25, 2.675)', '"2 0.1 1.00 2.5e-01 2.67"'),
    ('format("%.1f %.0f %.0f", 0.25, 0.5, 1.5)', '"0.2 0 2"'),
    ('format("%5.1f|%-8.3e|%08.2f|%+.1f", 3.14159, 1234.5, -3.14159, 2)', '"  3.1|1.234e+03|-0003.14|+2.0"'),
    (
        'format("%")',
        Error(
            'Error in function call: Call to function "format" failed: invalid format string starting at offset 1.'
        ),
    ),
    (
        'format("abc%5")',
        Error(
            'Error in function call: Call to function "format" failed: invalid format string starting at offset 5.'
        ),
    ),
    ('substr("hello", -10, 0)', '"hello"'),
    ('uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x")', '"05b16a01-46c6-56dd-bd6e-c6dfb4a1427a"'),
    (
        'cidrnetmask("10.0.0.0")',
        Error(
            'Error in function call: Call to function "cidrnetmask" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0.'
        ),
    ),
    (
        'yamldecode("a: 0x10\\nb: 0b101\\nc: 1_000\\nd: .5\\ne: +12\\nf: 012\\n")',
        '{"a": "0x10", "b": 5, "c": 1000, "d": 0.5, "e": 12, "f": 12}',
    ),
    ('format("%v %v %v", 1e100, -0.000001, 12345678)', '"1e+100 -1e-06 1.2345678e+07"'),
    ('format("%g %g", 1e-5, 123456789)', '"1e-05 1.23456789e+08"'),
    ('format("%.3s|%5.1s|", "héllo", "abc")', '"hél|    a|"'),
    ('format("%d %d", 1e20, -7)', '"100000000000000000000 -7"'),
    ('format("%x %X", 3.0, -255)', '"3 -FF"'),
    (
        'format("%b", 2.5)',
        Error(
            'Error in function call: Call to function "format" failed: unsupported value for "%b" at 0: an integer is required.'
        ),
    ),
    ('format("%s", true)', '"true"'),
    (
        'format("%s", [1])',
        Error(
            'Error in function call: Call to function "format" failed: unsupported value for "%s" at 0: string required.'
        ),
    ),
    ('format("%d", "12")', '"12"'),
    (
        'format("%d", "x")',
        Error(
            'Error in function call: Call to function "format" failed: unsupported value for "%d" at 0: a number is required.'
        ),
    ),
    ('format("%t", "true")', '"true"'),
    (
        'format("%t", 1)',
        Error(
            'Error in function call: Call to function "format" failed: unsupported value for "%t" at 0: bool required.'
        ),
    ),
    ('format("%q", 12)', '"\\"12\\""'),
    ('format("%#v", "x")', '"\\"x\\""'),
    ('format("%v", {a = 1})', '"{\\"a\\":1}"'),
    ('format("%5v|%-5v|", "a", 1)', '"    a|1    |"'),
    ("abs(-0)", "0"),
    ("ceil(-1.5)", "-1"),
    ("floor(5)", "5"),
    (
        "log(0, 10)",
        Error(
            'Error in function call: Call to function "jsonencode" failed: cannot serialize infinity as JSON.'
        ),
    ),
    ("log(100, 10)", "2"),
    ("max()", Error('Error in function call: Call to function "max" failed: must pass at least one number.')),
    ("max(1)", "1"),
    ("min(1.5, 1.25)", "1.25"),
    (
        'parseint("0x10", 16)',
        Error(
            'Invalid function argument: Invalid value for "number" parameter: cannot parse "0x10" as a base 16 integer.'
        ),
    ),
    (
        'parseint("10", 63)',
        Error(
            'Invalid function argument: Invalid value for "base" parameter: base must be a whole number between 2 and 62 inclusive.'
        ),
    ),
    (
        "parseint(10, 10)",
        Error(
            'Invalid function argument: Invalid value for "number" parameter: first argument must be a string, not number.'
        ),
    ),
    ('parseint("+7", 10)', "7"),
    (
        "pow(0, -1)",
        Error(
            'Error in function call: Call to function "jsonencode" failed: cannot serialize infinity as JSON.'
        ),
    ),
    (
        "signum(2.5)",
        Error(
            'Error in function call: Call to function "signum" failed: value must be a whole number, between -9223372036854775808 and 9223372036854775807.'
        ),
    ),
    ("chunklist([], 3)", "[]"),
    (
        'chunklist(["a", "b"], -1)',
        Error(
            'Error in function call: Call to function "chunklist" failed: the size argument must be positive.'
        ),
    ),
    (
        'chunklist(["a","b","c"], 1.5)',
        Error(
            'Error in function call: Call to function "chunklist" failed: invalid index: value must be a whole number, between -9223372036854775808 and 9223372036854775807.'
        ),
    ),
    (
        "coalesce()",
        Error(
            'Error in function call: Call to function "coalesce" failed: all arguments must have the same type.'
        ),
    ),
    ('coalesce([], ["a"])', "[]"),
    (
        "coalesce(null, null)",
        Error(
            'Error in function call: Call to function "coalesce" failed: no non-null, non-empty-string arguments.'
        ),
    ),
    (
        "coalescelist()",
        Error(
            'Error in function call: Call to function "coalescelist" failed: at least one argument is required.'
        ),
    ),
    ('coalescelist(["a"], [1])', '["a"]'),
    (
        "coalescelist([], [])",
        Error('Error in function call: Call to function "coalescelist" failed: no non-null arguments.'),
    ),
    ("compact([])", "[]"),
    (
        "concat()",
        Error('Error in function call: Call to function "concat" failed: at least one argument is required.'),
    ),
    (
        'concat([1], "x")',
        Error(
            'Invalid function argument: Invalid value for "seqs" parameter: all arguments must be lists or tuples; got string.'
        ),
    ),
    (
        'contains("abc", "a")',
        Error(
            'Error in function call: Call to function "contains" failed: argument must be list, tuple, or set.'
        ),
    ),
    ("contains([], 1)", "false"),
    ("contains([[1]], [1])", "true"),
    ("distinct([1, 2, 1, 1.0])", "[1, 2]"),
    ("distinct([])", "[]"),
    (
        'element(["a", "b", "c"], 1.5)',
        Error(
            'Error in function call: Call to function "element" failed: invalid index: value must be a whole number, between -9223372036854775808 and 9223372036854775807.'
        ),
    ),
    ('element([1, "x"], 1)', '"x"'),
    (
        'flatten("x")',
        Error(
            'Error in function call: Call to function "flatten" failed: can only flatten lists, sets and tuples.'
        ),
    ),
    ('flatten([[1], "x", [[true]]])', '[1, "x", true]'),
    (
        'keys("x")',
        Error(
            'Invalid function argument: Invalid value for "inputMap" parameter: must have map or object type.'
        ),
    ),
    ('keys({a = 1, b = "x"})', '["a", "b"]'),
    ('lookup({}, "a", 1)', "1"),
    (
        'lookup("x", "a", 1)',
        Error(
            'Invalid function argument: Invalid value for "inputMap" parameter: lookup() requires a map as the first argument.'
        ),
    ),
    ('lookup({a = 1}, "a", "b")', "1"),
    ("merge({a = 1}, {b = 2})", '{"a": 1, "b": 2}'),
    ('merge({a = 1}, null, {b = "x"})', '{"a": 1, "b": "x"}'),
    (
        "range()",
        Error(
            'Error in function call: Call to function "range" failed: must have one, two, or three arguments.'
        ),
    ),
    (
        "range(1, 2, 3, 4)",
        Error(
            'Error in function call: Call to function "range" failed: must have one, two, or three arguments.'
        ),
    ),
    (
        "range(0, 3000)",
        Error(
            'Error in function call: Call to function "range" failed: more than 1024 values were generated; either decrease the difference between start and end or use a smaller step.'
        ),
    ),
    ("range(-3)", "[0, -1, -2]"),
    ("range(1.5)", "[0, 1]"),
    (
        "range(0, 1, -1)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be less than start when step is negative.'
        ),
    ),
    (
        'reverse("x")',
        Error(
            'Invalid function argument: Invalid value for "list" parameter: can only reverse list or tuple values, not string.'
        ),
    ),
    ("reverse([])", "[]"),
    ('reverse([1, "a"])', '["a", 1]'),
    ("setintersection([])", "[]"),
    ('setintersection(["a"], [1])', "[]"),
    ('setunion(["a"], [1])', '["1", "a"]'),
    (
        'setproduct(["a"])',
        Error(
            'Error in function call: Call to function "setproduct" failed: at least two arguments are required.'
        ),
    ),
    ('setproduct([], ["a"])', "[]"),
    ('setproduct(["a", "b"], ["c"])', '[["a", "c"], ["b", "c"]]'),
    (
        "slice([1, 2, 3], 0, 5)",
        Error(
            'Invalid function argument: Invalid value for "end_index" parameter: end index must not be greater than the length of the list.'
        ),
    ),
    (
        "slice([1, 2, 3], -1, 2)",
        Error(
            'Invalid function argument: Invalid value for "start_index" parameter: start index must not be less than zero.'
        ),
    ),
    (
        "slice([1, 2, 3], 2, 1)",
        Error(
            'Invalid function argument: Invalid value for "start_index" parameter: start index must not be greater than end index.'
        ),
    ),
    ('slice([1, "x", true], 1, 3)', '["x", true]'),
    ("sort([])", "[]"),
    ("sort([3, 1, 2])", '["1", "2", "3"]'),
    ("values({})", "[]"),
    ('values({a = "x", b = 1})', '["x", 1]'),
    ("zipmap([], [])", "{}"),
    ('zipmap(["a", "b"], ["x", 1])', '{"a": "x", "b": 1}'),
    (
        'zipmap(["a"], "x")',
        Error(
            'Error in function call: Call to function "zipmap" failed: values argument must be a list or tuple value.'
        ),
    ),
    (
        'base64decode("!")',
        Error(
            "Error in function call: Call to function \"base64decode\" failed: failed to decode base64 data '!'."
        ),
    ),
    (
        'base64decode("/w==")',
        Error(
            'Error in function call: Call to function "base64decode" failed: the result of decoding the the provided string is not valid UTF-8.'
        ),
    ),
    (
        'csvdecode("a,a\\n1,2\\n")',
        Error('Error in function call: Call to function "csvdecode" failed: duplicate column name "a".'),
    ),
    ('csvdecode("a,b\\n\\"1\\",\\"2,3\\"\\n")', '[{"a": "1", "b": "2,3"}]'),
    ('jsondecode("1")', "1"),
    ('jsondecode("\\"x\\"")', '"x"'),
    ('jsondecode("{\\"a\\": {\\"b\\": []}}")', '{"a": {"b": []}}'),
    ('jsonencode("é\\u2028")', '"\\"é\\\\u2028\\""'),
    ("jsonencode(1e21)", '"1000000000000000000000"'),
    ("jsonencode(0.1)", '"0.1"'),
    ("jsonencode(-0)", '"-0"'),
    ('urlencode("")', '""'),
    (
        'yamldecode("---\\na: 1\\n---\\nb: 2\\n")',
        Error(
            'Error in function call: Call to function "yamldecode" failed: on line 2, column 1: unexpected extra content after value.'
        ),
    ),
    ('yamldecode("x: !!int \\"12\\"")', '{"x": "12"}'),
    ('yamldecode("x: !!str 12")', '{"x": "12"}'),
    (
        'yamldecode("x: !!bool maybe")',
        Error(
            'Error in function call: Call to function "yamldecode" failed: cannot parse "maybe" as tag:yaml.org,2002:bool.'
        ),
    ),
    (
        'yamldecode("x: .nan")',
        Error(
            'Error in function call: Call to function "yamldecode" failed: floating point NaN is not supported.'
        ),
    ),
    (
        'yamldecode("x: .inf")',
        Error(
            'Error in function call: Call to function "jsonencode" failed: cannot serialize infinity as JSON.'
        ),
    ),
    ('yamldecode("1: a\\ntrue: b")', '{"1": "a", "true": "b"}'),
    ('yamldecode("x: 2001-12-14t21:59:43.10-05:00")', '{"x": "2001-12-14T21:59:43-05:00"}'),
    ("yamldecode(\"x: 'it''s'\")", '{"x": "it\'s"}'),
    ('yamldecode("a: &x 1\\nb: *x")', '{"a": 1, "b": 1}'),
    ('yamldecode("x: |\\n  a\\n  b\\n")', '{"x": "a\\nb\\n"}'),
    ("yamlencode(null)", '"null\\n...\\n"'),
    ("yamlencode(true)", '"true\\n...\\n"'),
    ("yamlencode([])", '"[]\\n"'),
    ("yamlencode({})", '"{}\\n"'),
    (
        'yamlencode({"a b" = "c: d", "e" = "\'q\'", f = "#x", g = "", h = "123", i = "true", j = "null"})',
        '"\\"a b\\": \\"c: d\\"\\n\\"e\\": \\"\'q\'\\"\\n\\"f\\": \\"#x\\"\\n\\"g\\": \\"\\"\\n\\"h\\": \\"123\\"\\n\\"i\\": \\"true\\"\\n\\"j\\": \\"null\\"\\n"',
    ),
    ("yamlencode([[1, 2], [3]])", '"- - 1\\n  - 2\\n- - 3\\n"'),
    ("yamlencode({a = [{b = 1, c = [2]}]})", '"\\"a\\":\\n- \\"b\\": 1\\n  \\"c\\":\\n  - 2\\n"'),
    ('yamlencode("é ☃")', '"\\"é ☃\\"\\n"'),
    ('yamlencode("tab\\there")', '"\\"tab\\\\there\\"\\n"'),
    ('yamlencode("trailing \\nspace")', '"\\"trailing \\\\nspace\\"\\n"'),
    ("yamlencode(1.5e-7)", '"0.00000015\\n...\\n"'),
    ("yamlencode(-12)", '"-12\\n...\\n"'),
    ('basename("a/b/c.txt")', '"c.txt"'),
    ('basename("c")', '"c"'),
    ('basename("//")', '"/"'),
    ('dirname("/")', '"/"'),
    ('dirname("a/b/")', '"a/b"'),
    ('dirname("/a")', '"/"'),
    ('dirname("./a/../b")', '"."'),
    (
        'formatdate("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")',
        '"Tue, 02 Jan 2018 23:12:01 UTC"',
    ),
    ('formatdate("MM/DD/YY", "2018-01-02T23:12:01+05:30")', '"01/02/18"'),
    ('formatdate("ZZZZZ Z", "2018-01-02T23:12:01+05:30")', '"+05:30 +05:30"'),
    ('formatdate("M D h m s H", "2018-01-02T03:04:05Z")', '"1 2 3 4 5 3"'),
    (
        'formatdate("x", "2018-01-02T23:12:01Z")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "x".'
        ),
    ),
    (
        'formatdate("\'unterminated", "2018-01-02T23:12:01Z")',
        Error('Invalid function argument: Invalid value for "format" parameter: unterminated literal \'.'),
    ),
    ('formatdate("\'\'", "2018-01-02T23:12:01Z")', '"\'"'),
    (
        'formatdate("YYYY", "2018-02-30T00:00:00Z")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: day out of range.'
        ),
    ),
    (
        'formatdate("YYYY", "2018-01-02T25:00:00Z")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: cannot use ":00:00Z" as hour.'
        ),
    ),
    (
        'formatdate("YYYY", "2018-01-02T00:00:00+01")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: cannot use "+01" as UTC offset.'
        ),
    ),
    (
        'formatdate("YYYY", "2018-01-02T00:00:00Zjunk")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: cannot use "junk" as timestamp segment.'
        ),
    ),
    (
        'formatdate("YYYY", "2018-01-02T00:00")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: end of string where ":" is expected.'
        ),
    ),
    (
        'formatdate("YYYY", "18-01-02T00:00:00Z")',
        Error(
            'Invalid function argument: Invalid value for "time" parameter: not a valid RFC3339 timestamp: cannot use "1-02T00:00:00Z" as year.'
        ),
    ),
    (
        'formatdate("YYYY", "2018-01-02 00:00:00Z")',
        Error(
            "Invalid function argument: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: missing required time introducer 'T'."
        ),
    ),
    ('formatdate("YYYY hh:mm:ss", "2018-01-02T10:00:00.123Z")', '"2018 10:00:00"'),
    ('timeadd("2017-11-22T00:00:00Z", "1h30m20s100ms")', '"2017-11-22T01:30:20Z"'),
    ('timeadd("2017-11-22T00:00:00+05:00", "-30m")', '"2017-11-21T23:30:00+05:00"'),
    (
        'timeadd("2017-11-22T00:00:00Z", "")',
        Error('Error in function call: Call to function "timeadd" failed: time: invalid duration "".'),
    ),
    (
        'timeadd("2017-11-22T00:00:00Z", "5")',
        Error(
            'Error in function call: Call to function "timeadd" failed: time: missing unit in duration "5".'
        ),
    ),
    ('timeadd("2017-11-22T00:00:00Z", ".5h")', '"2017-11-22T00:30:00Z"'),
    ('timeadd("2017-11-22T00:00:00Z", "1.5us")', '"2017-11-22T00:00:00Z"'),
    ('timeadd("2017-11-22T00:00:00Z", "0")', '"2017-11-22T00:00:00Z"'),
    ('timeadd("2017-11-22T00:00:00.5Z", "1s")', '"2017-11-22T00:00:01Z"'),
    ('md5("")', '"d41d8cd98f00b204e9800998ecf8427e"'),
    ('sha256("é")', '"4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"'),
    ('uuidv5("oid", "x")', '"8558d34a-d3c6-5881-a6e3-bf8f3e6110ea"'),
    ('uuidv5("x500", "x")', '"456e503f-63e3-56c1-b807-4cd79bf8cc22"'),
    ('uuidv5("{6ba7b810-9dad-11d1-80b4-00c04fd430c8}", "x")', '"05b16a01-46c6-56dd-bd6e-c6dfb4a1427a"'),
    ('uuidv5("6ba7b8109dad11d180b400c04fd430c8", "x")', '"05b16a01-46c6-56dd-bd6e-c6dfb4a1427a"'),
    (
        'uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430cg", "x")',
        Error(
            'Error in function call: Call to function "uuidv5" failed: uuidv5() doesn\'t support namespace 6ba7b810-9dad-11d1-80b4-00c04fd430cg (invalid UUID format).'
        ),
    ),
    ('cidrhost("10.0.0.0/8", 0)', '"10.0.0.0"'),
    ('cidrhost("10.0.0.1/8", 0)', '"10.0.0.0"'),
    (
        'cidrhost("10.0.0.0/33", 0)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0/33.'
        ),
    ),
    (
        'cidrhost("010.0.0.0/8", 0)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: invalid CIDR expression: invalid CIDR address: 010.0.0.0/8.'
        ),
    ),
    ('cidrhost("::/0", 5)', '"::5"'),
    (
        'cidrhost("10.0.0.0/30", 4)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: prefix of 30 does not accommodate a host numbered 4.'
        ),
    ),
    (
        'cidrhost("10.0.0.0/30", -5)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: prefix of 30 does not accommodate a host numbered -1.'
        ),
    ),
    (
        'cidrhost("10.0.0.0/30", 1.5)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: value must be a whole number, between -9223372036854775808 and 9223372036854775807.'
        ),
    ),
    ('cidrnetmask("10.0.0.0/0")', '"0.0.0.0"'),
    ('cidrnetmask("::/64")', '"ffff:ffff:ffff:ffff::"'),
    (
        'cidrsubnet("10.0.0.0/8", 30, 1)',
        Error(
            'Error in function call: Call to function "cidrsubnet" failed: insufficient address space to extend prefix of 8 by 30.'
        ),
    ),
    (
        'cidrsubnet("10.0.0.0/8", 33, 1)',
        Error(
            'Error in function call: Call to function "cidrsubnet" failed: may not extend prefix by more than 32 bits.'
        ),
    ),
    ('cidrsubnet("10.0.0.0/8", 0, 0)', '"10.0.0.0/8"'),
    (
        'cidrsubnet("::/0", 64, 1)',
        Error(
            'Error in function call: Call to function "cidrsubnet" failed: may not extend prefix by more than 32 bits.'
        ),
    ),
    ('cidrsubnets("10.0.0.0/8")', "[]"),
    (
        'cidrsubnets("10.0.0.0/8", 0)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: must extend prefix by at least one bit.'
        ),
    ),
    (
        'cidrsubnets("10.0.0.0/8", 25)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: would extend prefix to 33 bits, which is too long for an IPv4 address.'
        ),
    ),
    (
        'cidrsubnets("10.0.0.0/24", 2, 1, 2)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 26 bits after 10.0.0.128/25.'
        ),
    ),
    ('cidrsubnets("fd00::/48", 16, 8)', '["fd00::/64", "fd00:0:0:100::/56"]'),
    ("convert(1, string)", '"1"'),
    ("convert({a = 1}, map(string))", '{"a": "1"}'),
    ('convert(["a"], set(string))', '["a"]'),
    (
        'convert([1, "a"], list(number))',
        Error('Invalid function argument: Invalid value for "value" parameter: a number is required.'),
    ),
    ("can(nope)", "false"),
    ("try(nope, 2)", "2"),
    (
        "length(null)",
        Error('Invalid function argument: Invalid value for "value" parameter: argument must not be null.'),
    ),
    (
        "length(1)",
        Error(
            'Error in function call: Call to function "length" failed: argument must be a string, a collection type, or a structural type.'
        ),
    ),
    ('chomp("x\\r")', '"x"'),
    ('chomp("\\n\\n")', '""'),
    ('indent(0, "a\\nb")', '"a\\nb"'),
    (
        'join("", ["a", null])',
        Error(
            'Invalid function argument: Invalid value for "lists" parameter: element 1 is null; cannot concatenate null values.'
        ),
    ),
    (
        'join(",", ["a"], [null])',
        Error(
            'Invalid function argument: Invalid value for "lists" parameter: element 0 of list 2 is null; cannot concatenate null values.'
        ),
    ),
    ('split("ab", "xabyabz")', '["x", "y", "z"]'),
    ('title("")', '""'),
    ('title("ǆx ßa élan")', '"ǅx ßa Élan"'),
    ('title("a.b c_d ÿx")', '"A.B C_d Ÿx"'),
    ('trim("", "x")', '""'),
    ('trim("xxaxx", "")', '"xxaxx"'),
    ('trimspace("\\u00a0x\\u3000")', '"x"'),
    ('lower("ΣΑΣ")', '"σασ"'),
    ('upper("ǆ")', '"Ǆ"'),
    ('strrev("")', '""'),
    ('substr("", 0, 1)', '""'),
    ('substr("hello", 0, -1)', '"hello"'),
    (
        'substr("hello", 1.5, 1)',
        Error(
            'Error in function call: Call to function "substr" failed: value must be a whole number, between -9223372036854775808 and 9223372036854775807.'
        ),
    ),
    ('substr("héllo", 1, 2)', '"él"'),
    ('format("%v", [1, "a", true, null])', '"[1,\\"a\\",true,null]"'),
    ('format("%v", true)', '"true"'),
    ('format("%5t", true)', '"true"'),
    ('format("%-05d", 3)', '"3    "'),
    ('format("%+5s", "x")', '"    x"'),
    ('format("% 05.1f", 3.14)', '" 03.1"'),
    ('format("%#o %#b %#X", 8, 5, 255)', '"010 0b101 0XFF"'),
    ('format("%.3d %.0d", 7, 0)', '"007 "'),
    (
        'format("%[3]d", 1, 2)',
        Error(
            'Error in function call: Call to function "format" failed: not enough arguments for "%[3]d" at 0: need index 3 but have 2 total.'
        ),
    ),
    (
        'format("%[0]d", 1)',
        Error(
            "Error in function call: Call to function \"format\" failed: unrecognized format character '0' at offset 2."
        ),
    ),
    (
        'format("%[1]d %d %d", 1, 2)',
        Error(
            'Error in function call: Call to function "format" failed: not enough arguments for "%d" at 9: need index 3 but have 2 total.'
        ),
    ),
    ('format("%.f", 1)', '"1"'),
    (
        'format("%3.%", 1)',
        Error(
            "Error in function call: Call to function \"format\" failed: unrecognized format character '%' at offset 3."
        ),
    ),
    ('format("100%%")', '"100%"'),
    ('formatlist("%s", [])', "[]"),
    (
        'formatlist("%s")',
        Error(
            'Error in function call: Call to function "formatlist" failed: not enough arguments for "%s" at 0: need index 1 but have 0 total.'
        ),
    ),
    ('formatlist("%s %s", "a", "b")', '["a b"]'),
    (
        'formatlist("%d", ["x"])',
        Error(
            'Error in function call: Call to function "formatlist" failed: error on format iteration 0: unsupported value for "%d" at 0: a number is required.'
        ),
    ),
    (
        'formatlist("%s=%s", {a = 1}, ["b"])',
        Error(
            'Error in function call: Call to function "formatlist" failed: error on format iteration 0: unsupported value for "%s" at 0: string required.'
        ),
    ),
    (
        'yamlencode("a very long string that goes on and on and on and on and on and on and on and on and on and on and on and on and on")',
        '"\\"a very long string that goes on and on and on and on and on and on and on and on\\n  and on and on and on and on and on\\"\\n"',
    ),
    (
        'yamlencode({"key with spaces" = 1, "ключ" = "значение"})',
        '"\\"key with spaces\\": 1\\n\\"ключ\\": \\"значение\\"\\n"',
    ),
    ('yamlencode("line1\\nline2\\n")', '"|\\n  line1\\n  line2\\n"'),
    ('yamlencode("trailing space \\nx")', '"\\"trailing space \\\\nx\\"\\n"'),
    ('yamlencode("  leading")', '"\\"  leading\\"\\n"'),
    ('yamlencode("tab\\tin")', '"\\"tab\\\\tin\\"\\n"'),
    ('yamlencode("quote\\"and\\\\back")', '"\\"quote\\\\\\"and\\\\\\\\back\\"\\n"'),
    ('yamlencode("emoji 😀")', '"\\"emoji \\\\U0001F600\\"\\n"'),
    ('yamlencode("\\u0001ctrl")', '"\\"\\\\x01ctrl\\"\\n"'),
    (
        'yamlencode([{a = 1, b = [1, 2]}, {c = {d = "e"}}])',
        '"- \\"a\\": 1\\n  \\"b\\":\\n  - 1\\n  - 2\\n- \\"c\\":\\n    \\"d\\": \\"e\\"\\n"',
    ),
    ("yamlencode({a = [[1, 2], []], b = {}})", '"\\"a\\":\\n- - 1\\n  - 2\\n- []\\n\\"b\\": {}\\n"'),
    (
        "yamlencode([null, true, 0.5, -3, 1e21])",
        '"- null\\n- true\\n- 0.5\\n- -3\\n- 1000000000000000000000\\n"',
    ),
    ('yamlencode("multi\\n\\nblank\\n\\n")', '"|+\\n  multi\\n\\n  blank\\n\\n"'),
    ('yamlencode("ends with newlines\\n\\n")', '"|+\\n  ends with newlines\\n\\n"'),
    ('yamlencode("a: b")', '"\\"a: b\\"\\n"'),
    ('yamlencode("\\n")', '"|2+\\n\\n"'),
    ('yamlencode("x\\ry")', '"\\"x\\\\ry\\"\\n"'),
    ("yamldecode(\"a:\\n  - b: 1\\n    c: [x, 'y']\\n\")", '{"a": [{"b": 1, "c": ["x", "y"]}]}'),
    (
        'yamldecode("text: |\\n  line1\\n  line2\\nfolded: >\\n  a\\n  b\\n")',
        '{"folded": "a b\\n", "text": "line1\\nline2\\n"}',
    ),
    (
        'yamldecode("n: 1e3\\nm: -0.5\\no: +1\\np: 0o17\\nq: 1_0")',
        '{"false": 1000, "m": -0.5, "o": 1, "p": "0o17", "q": 10}',
    ),
    ('yamldecode("x: Yes\\ny: off\\nz: Null\\nw: NO")', '{"true": false, "w": false, "x": true, "z": null}'),
    ('yamldecode("? complex\\n: value")', '{"complex": "value"}'),
    ('yamldecode("x: 2001-12-14 21:59:43.10")', '{"x": "2001-12-14T21:59:43Z"}'),
    ('yamldecode("x: 2001-12-14T21:59:43Z")', '{"x": "2001-12-14T21:59:43Z"}'),
    ('yamldecode("x: !!binary aGVsbG8=")', '{"x": "aGVsbG8="}'),
    ('yamldecode("x: !!float 1")', '{"x": 1}'),
    (
        'yamldecode("x: !custom 1")',
        Error('Error in function call: Call to function "yamldecode" failed: unsupported tag "!custom".'),
    ),
    ('yamldecode("- 1\\n- [2, 3]\\n- {a: b}")', '[1, [2, 3], {"a": "b"}]'),
    ('yamlencode("a\\u2028b")', '"\\"a\\\\Lb\\"\\n"'),
    ('yamlencode("x\\u0085y")', '"\\"x\\\\Ny\\"\\n"'),
    (
        'yamlencode({k = "a very long string that goes on and on and on and on and on and on and on and on and on and on  and on"})',
        '"\\"k\\": \\"a very long string that goes on and on and on and on and on and on and on and\\n  on and on and on  and on\\"\\n"',
    ),
    (
        'yamlencode(["a very long string that goes on and on and on and on and on and on and on and on and on and on and on"])',
        '"- \\"a very long string that goes on and on and on and on and on and on and on and on\\n  and on and on and on\\"\\n"',
    ),
    ('regex_replace("a1٣b", "\\\\d", "#")', '"a#٣b"'),
    ('regex_replace("a\\n", "a$", "X")', '"a\\n"'),
    ('regex_replace("a\\nb\\n", "(?m)^b$", "X")', '"a\\nX\\n"'),
    ('regex_replace("a b", "[[:space:]]", "_")', '"a_b"'),
    ('regex_replace("Ωa", "\\\\pL", "x")', '"xx"'),
    ('regex_replace("Ωa", "\\\\p{Greek}", "x")', '"xa"'),
    ('regex_replace("ÀBc", "(?i)àb", "x")', '"xc"'),
    ('regex_replace("a.b", "\\\\.", "!")', '"a!b"'),
    ('regex_replace("aaa", "a*?", "-")', '"-a-a-a-"'),
    ('regex_replace("abc", "", "-")', '"-a-b-c-"'),
    ('regex_replace("é w", "\\\\w", "x")', '"é x"'),
    ('regex_replace("a b", "\\\\bb", "x")', '"a x"'),
    ('regex_replace("abc", "(?P<n>b)", "<$n>")', '"a<b>c"'),
    ('regex_replace("abc", "(b)", "$1x")', '"ac"'),
    ('regex_replace("abc", "(b)", "${1}x")', '"a1xc"'),
    ('regex_replace("abc", "(b)", "$$")', '"a$c"'),
    ('regex_replace("abcabc", "b|c", "")', '"aa"'),
    ('regex_replace("ab", "(a)(x)?", "[$2]")', '"[]b"'),
    ('regex_replace("a\\tb", "\\\\s", "_")', '"a_b"'),
    ('regex_replace("a\\u00a0b", "\\\\s", "_")', '"a\xa0b"'),
    ('regex_replace("AbC", "[A-Z]", "x")', '"xbx"'),
    ('regex_replace("x1", "\\\\D", "y")', '"y1"'),
    ('regex_replace("aa", "a{,2}", "y")', '"aa"'),
    ('regex_replace("a+", "\\\\Qa+\\\\E", "y")', '"y"'),
    ('format("[% 8e]", -0.001)', '"[-1.000000e-03]"'),
    ('format("[%3o]", 0)', '"[  0]"'),
    ('format("[%8.6e]", 0.5)', '"[5.000000e-01]"'),
    ('format("[%12.6d]", 7)', '"[      000007]"'),
    ('format("[%b]", 7)', '"[111]"'),
    ('format("[%o]", -42)', '"[-52]"'),
    ('format("[%-b]", 255)', '"[11111111]"'),
    ('format("[% 12.1G]", 42)', '"[       4E+01]"'),
    ('format("[%#12b]", 42)', '"[    0b101010]"'),
    ('format("[%0-3.10b]", -1)', '"[-0000000001]"'),
    ('format("[% .1e]", 7)', '"[ 7.0e+00]"'),
    ('format("[%08.3X]", 255)', '"[     0FF]"'),
    ('format("[%.6f]", 1e10)', '"[10000000000.000000]"'),
    ('format("[%8.6d]", -1)', '"[ -000001]"'),
    ('format("[%0+3.3b]", 255)', '"[+11111111]"'),
    ('format("[%.2X]", -1)', '"[-01]"'),
    ('format("[%3.10E]", 0.000123)', '"[1.2300000000E-04]"'),
    ('format("[%+8.3f]", 255)', '"[+255.000]"'),
    ('format("[%8g]", 2.5)', '"[     2.5]"'),
    ('format("[%.6x]", 0)', '"[000000]"'),
    ('format("[%8.6o]", 1)', '"[  000001]"'),
    ('format("[%03.6G]", 0.000123)', '"[0.000123]"'),
    ('format("[%f]", -42)', '"[-42.000000]"'),
    ('format("[%X]", 7)', '"[7]"'),
    ('format("[%3.2d]", -42)', '"[-42]"'),
    ('format("[%03.3f]", 1e21)', '"[1000000000000000000000.000]"'),
    ('format("[%#8.6x]", 42)', '"[0x00002a]"'),
    ('format("[%8.6d]", 0)', '"[  000000]"'),
    ('format("[%8.0e]", 1e10)', '"[   1e+10]"'),
    ('format("[%#.0o]", 42)', '"[052]"'),
    ('format("[%0g]", 255)', '"[255]"'),
    ('format("[% 3.3b]", 123456789)', '"[ 111010110111100110100010101]"'),
    ('format("[%.10X]", 42)', '"[000000002A]"'),
    ('format("[%G]", 1.5)', '"[1.5]"'),
    ('format("[%#g]", 1e21)', '"[1e+21]"'),
    ('format("[% 12o]", -42)', '"[         -52]"'),
    ('format("[%3.3f]", 123456789)', '"[123456789.000]"'),
    ('format("[%12.3v]", 0.5)', '"[         0.5]"'),
    ('format("[% #8.1g]", 1e21)', '"[   1e+21]"'),
    ('format("[%+E]", 0.05)', '"[+5.000000E-02]"'),
    ('format("[% 12.3X]", 123456789)', '"[     75BCD15]"'),
    ('format("[%g]", 0.05)', '"[0.05]"'),
    ('format("[%3.1X]", 255)', '"[ FF]"'),
    ('format("[%-3v]", 42)', '"[42 ]"'),
    ('format("[%#.10f]", 1e-10)', '"[0.0000000001]"'),
    ('format("[%+8.10x]", -1)', '"[-0000000001]"'),
    ('format("[% #f]", 7)', '"[ 7.000000]"'),
    ('format("[%#.10v]", 123456789)', '"[123456789]"'),
    ('format("[%12.0d]", 0)', '"[]"'),
    ('format("[%#12.0x]", 7)', '"[         0x7]"'),
    ('format("[%.2g]", 2.5)', '"[2.5]"'),
    ('format("[% 03.2o]", 7)', '"[ 07]"'),
    ('format("[%.3X]", 7)', '"[007]"'),
    ('format("[%-0.0o]", 1e21)', '"[154327115334273650000000]"'),
    ('format("[%8.0b]", 0)', '"[]"'),
    ('format("[%.0X]", 255)', '"[FF]"'),
    ('format("[%0.3v]", 1e21)', '"[1e+21]"'),
    ('format("[%0-g]", -2.5)', '"[-2.5]"'),
    ('format("[%.10o]", 0)', '"[0000000000]"'),
    ('format("[%8.3b]", 1e21)', '"[1101100011010111001001101011011100010111011110101000000000000000000000]"'),
    ('format("[%0 3.10o]", 7)', '"[ 0000000007]"'),
    ('format("[%0.2o]", 7)', '"[07]"'),
    ('format("[% 8x]", -1)', '"[      -1]"'),
    ('format("[%.6e]", -2.5)', '"[-2.500000e+00]"'),
    ('format("[%+.3f]", 1.5)', '"[+1.500]"'),
    ('format("[%8.1e]", 0.000123)', '"[ 1.2e-04]"'),
    ('format("[% .0x]", 1e21)', '"[ 3635c9adc5dea00000]"'),
    ('format("[%+8.1G]", 1e10)', '"[  +1E+10]"'),
    ('format("[%3G]", -0.001)', '"[-0.001]"'),
    ('format("[%-.6G]", 1e21)', '"[1E+21]"'),
    ('format("[%+0g]", 42)', '"[+42]"'),
    ('format("[%3.2d]", -1)', '"[-01]"'),
    ('format("[%8.2x]", -42)', '"[     -2a]"'),
    ('format("[%0#8.3e]", 1.5)', '"[1.500e+00]"'),
    ('format("[%.6e]", 1.5)', '"[1.500000e+00]"'),
    ('format("[%.2e]", 255)', '"[2.55e+02]"'),
    ('format("[%.2e]", 99.995)', '"[1.00e+02]"'),
    ('format("[%3.6E]", 255)', '"[2.550000E+02]"'),
    ('format("[%.1e]", 3.14159)', '"[3.1e+00]"'),
    ('format("[%.1E]", 1024.5)', '"[1.0E+03]"'),
    ('format("[%0.2X]", 1e21)', '"[3635C9ADC5DEA00000]"'),
    ('format("[% +3E]", 1)', '"[+1.000000E+00]"'),
    ('format("[%.1o]", 1)', '"[1]"'),
    ('format("[%8.10o]", 255)', '"[0000000377]"'),
    ('format("[%#.1G]", -2.5)', '"[-2]"'),
    ('format("[%# 8.3d]", -42)', '"[    -042]"'),
    ('format("[%.2x]", 0)', '"[00]"'),
    ('format("[%8.2b]", -42)', '"[ -101010]"'),
    ('format("[%8.0f]", 1.5)', '"[       2]"'),
    ('format("[%3.3G]", -0.001)', '"[-0.001]"'),
    ('format("[% .2g]", 123456789)', '"[ 1.2e+08]"'),
    ('format("[%.3x]", -1)', '"[-001]"'),
    ('format("[%+12.1g]", 1e21)', '"[      +1e+21]"'),
    ('format("[%.2e]", -42)', '"[-4.20e+01]"'),
    ('format("[%0.6d]", -1)', '"[-000001]"'),
    ('format("[% 12.0v]", 255)', '"[         255]"'),
    ('format("[%+8.0E]", 255)', '"[  +3E+02]"'),
    ('format("[% 12.6o]", -42)', '"[     -000052]"'),
    ('format("[%0#.1e]", 0)', '"[0.0e+00]"'),
    ('format("[%.3e]", 0.000123)', '"[1.230e-04]"'),
    ('format("[%0v]", -0.001)', '"[-0.001]"'),
    ('format("[% -3X]", -1)', '"[-1 ]"'),
    ('format("[%0#X]", 7)', '"[0X7]"'),
    ('format("[%3.1g]", 0.5)', '"[0.5]"'),
    ('format("[%#-8.6e]", 0.05)', '"[5.000000e-02]"'),
    ('format("[%+12.1e]", 255)', '"[    +2.6e+02]"'),
    ('format("[%3.2v]", 2.5)', '"[2.5]"'),
    ('format("[%0 .10d]", -1)', '"[-0000000001]"'),
    ('format("[% 8.2o]", 42)', '"[      52]"'),
    ('format("[%-.1E]", -1)', '"[-1.0E+00]"'),
    ('format("[%3.10e]", 1e21)', '"[1.0000000000e+21]"'),
    ('format("[%+8.1g]", -1)', '"[      -1]"'),
    ('format("[% 12.2G]", -42)', '"[         -42]"'),
    ('format("[%#03G]", 0.5)', '"[0.5]"'),
    ('format("[%-8f]", 0)', '"[0.000000]"'),
    ('format("[%#8.6E]", -42)', '"[-4.200000E+01]"'),
    ('format("[%+8.3e]", 1e10)', '"[+1.000e+10]"'),
    ('format("[%3.3x]", 42)', '"[02a]"'),
    ('format("[%.2E]", 123456789)', '"[1.23E+08]"'),
    ('format("[%8.6b]", -1)', '"[ -000001]"'),
    ('format("[%-3E]", 42)', '"[4.200000E+01]"'),
    ('format("[%3.0g]", 1.5)', '"[  2]"'),
    ('format("[%03.1G]", 1e-10)', '"[1E-10]"'),
    ('format("[%8.1e]", 1)', '"[ 1.0e+00]"'),
    ('format("[%-#12.0v]", 2.5)', '"[2.5         ]"'),
    ('format("[%12.0f]", 0.05)', '"[           0]"'),
    ('format("[%+3.2E]", 1024.5)', '"[+1.02E+03]"'),
    ('format("[%-.2X]", -42)', '"[-2A]"'),
    ('format("[%.0e]", -2.5)', '"[-2e+00]"'),
    ('format("[%-0.10G]", 99.995)', '"[99.995]"'),
    ('format("[% 12.1g]", -1)', '"[          -1]"'),
    ('format("[%3G]", 0.5)', '"[0.5]"'),
    ('format("[%+12.1d]", 42)', '"[         +42]"'),
    ('format("[%#12.1x]", -1)', '"[        -0x1]"'),
    ('format("[%8.2b]", 123456789)', '"[111010110111100110100010101]"'),
    ('format("[%12.1e]", 1.5)', '"[     1.5e+00]"'),
    ('format("[%8.6v]", 99.995)', '"[  99.995]"'),
    ('format("[%+.0d]", -42)', '"[-42]"'),
    ('format("[%08e]", 0.000123)', '"[1.230000e-04]"'),
    ('format("[%-#g]", -42)', '"[-42]"'),
    ('format("[%12v]", 99.995)', '"[      99.995]"'),
    ('format("[%12d]", -42)', '"[         -42]"'),
    ('format("[%12v]", 2.5)', '"[         2.5]"'),
    ('format("[%3.6e]", 42)', '"[4.200000e+01]"'),
    ('format("[%3.1x]", 1)', '"[  1]"'),
    ('format("[%#12.2X]", -1)', '"[       -0X01]"'),
    ('format("[% -12.1o]", 0)', '"[ 0          ]"'),
    ('format("[%#3d]", 42)', '"[ 42]"'),
    ('format("[%#-.2g]", 1e-10)', '"[1e-10]"'),
    ('format("[% 8G]", 1e-10)', '"[   1E-10]"'),
    ('format("[%#8.1d]", -42)', '"[     -42]"'),
    ('format("[% 8.1E]", -2.5)', '"[-2.5E+00]"'),
    ('format("[%8.1E]", 2.5)', '"[ 2.5E+00]"'),
    ('format("[%12.10b]", 1)', '"[  0000000001]"'),
    ('format("[%-.0x]", 1)', '"[1]"'),
    ('format("[%.0x]", 1)', '"[1]"'),
    ('format("[% 8.10G]", 42)', '"[      42]"'),
    ('format("[%.3g]", 3.14159)', '"[3.14]"'),
    ('format("[%0-.2v]", 0.000123)', '"[0.000123]"'),
    ('format("[%+8.0e]", 0)', '"[  +0e+00]"'),
    ('format("[%#0+3o]", -42)', '"[-052]"'),
    ('format("[% 12.0f]", -1)', '"[          -1]"'),
    ('format("[%12.1v]", 255)', '"[         255]"'),
    ('format("[%#.6o]", -1)', '"[-0000001]"'),
    ('format("[%g]", 255)', '"[255]"'),
    ('format("[%12.0X]", 7)', '"[           7]"'),
    ('format("[%#3.3E]", 0.05)', '"[5.000E-02]"'),
    ('format("[%.1v]", 1.5)', '"[1.5]"'),
    ('format("[%# -8.0g]", 1e21)', '"[ 1e+21  ]"'),
    ('format("[% #.1e]", 2.5)', '"[ 2.5e+00]"'),
    ('format("[% #-g]", 1)', '"[ 1]"'),
    ('format("[%0#+.2v]", -2.5)', '"[-2.5]"'),
    ('format("[%- 8.0d]", 7)', '"[ 7      ]"'),
    ('format("[%3e]", 0)', '"[0.000000e+00]"'),
    ('format("[%12.6X]", -42)', '"[     -00002A]"'),
    ('format("[%03.3f]", 1e-10)', '"[0.000]"'),
    ('format("[% 0+3E]", 7)', '"[+7.000000E+00]"'),
    ('format("[% +3.1b]", 255)', '"[+11111111]"'),
    ('format("[%g]", 99.995)', '"[99.995]"'),
    ('format("[% -8.1e]", -1)', '"[-1.0e+00]"'),
    ('format("[%3.2v]", 0.5)', '"[0.5]"'),
    ('format("[%8.0b]", 1)', '"[       1]"'),
    ('format("[%#+03.3f]", 2.5)', '"[+2.500]"'),
    ('format("[%#3.3g]", 3.14159)', '"[3.14]"'),
    ('format("[%012.2e]", 1e-10)', '"[00001.00e-10]"'),
    ('format("[%d]", 1e21)', '"[1000000000000000000000]"'),
    ('format("[%+08.1b]", -1)', '"[      -1]"'),
    ('format("[% 3X]", -42)', '"[-2A]"'),
    ('format("[%8g]", 0)', '"[       0]"'),
    ('format("[%8.1X]", 0)', '"[       0]"'),
    ('format("[%3.0G]", 1e21)', '"[1E+21]"'),
    ('format("[% 8X]", 1e10)', '"[ 2540BE400]"'),
    ('format("[%#X]", 123456789)', '"[0X75BCD15]"'),
    ('format("[% #.1e]", 2.5)', '"[ 2.5e+00]"'),
    ('format("[%+ .1o]", 123456789)', '"[+726746425]"'),
    ('format("[%3.6G]", 123456789)', '"[1.23457E+08]"'),
    ('format("[%12x]", 0)', '"[           0]"'),
    ('format("[%# -12.1b]", 0)', '"[ 0b0        ]"'),
    ('format("[%v]", 42)', '"[42]"'),
    ('format("[%0-12.3b]", 42)', '"[101010      ]"'),
    ('format("[%# -.0b]", -1)', '"[-0b1]"'),
    ('format("[% +-.1b]", -1)', '"[-1]"'),
    ('format("[%8.0f]", 255)', '"[     255]"'),
    ('format("[%#3.6G]", 99.995)', '"[99.995]"'),
    ('format("[%+-#8v]", 1e-10)', '"[0.0000000001]"'),
    ('format("[%+12b]", 1e10)', '"[+1001010100000010111110010000000000]"'),
    ('format("[%+3.1G]", 1)', '"[ +1]"'),
    ('format("[%8.6f]", 42)', '"[42.000000]"'),
    ('format("[%0- 12.1v]", 1e21)', '"[1e+210000000]"'),
    ('format("[%-0+.6d]", 7)', '"[+000007]"'),
    ('format("[%8.2G]", 2.5)', '"[     2.5]"'),
    ('format("[%3.1X]", 0)', '"[  0]"'),
    ('format("[%+#.3e]", 99.995)', '"[+1.000e+02]"'),
    ('format("[%8v]", -2.5)', '"[    -2.5]"'),
    ('format("[%08d]", 255)', '"[00000255]"'),
    ('format("[%3E]", 123456789)', '"[1.234568E+08]"'),
    ('format("[%03x]", 1)', '"[001]"'),
    ('format("[%0+-.1o]", 7)', '"[+7]"'),
    ('format("[%0-3v]", 42)', '"[420]"'),
    ('format("[%+12E]", -0.001)', '"[-1.000000E-03]"'),
    ('format("[%- 8.2e]", 1)', '"[ 1.00e+00]"'),
    ('format("[%-0+12g]", -1)', '"[-1          ]"'),
    ('format("[% +-8.3f]", 0.05)', '"[+0.050  ]"'),
    ('format("[%#12.1b]", -1)', '"[        -0b1]"'),
    ('format("[%08.6o]", 1)', '"[  000001]"'),
    ('format("[%-03.0f]", -0.001)', '"[-0 ]"'),
    ('format("[%#03.1o]", 42)', '"[052]"'),
    ('format("[%12o]", 1)', '"[           1]"'),
    ('format("[%# +.3f]", -1)', '"[-1.000]"'),
    ('format("[%0#+3.1X]", -42)', '"[-0X2A]"'),
    ('format("[%0#8g]", 1e-10)', '"[0001e-10]"'),
    ('format("[%8d]", 1)', '"[       1]"'),
    ('format("[%+3v]", 2.5)', '"[2.5]"'),
    ('format("[%-+12X]", 7)', '"[+7          ]"'),
    ('format("[%8.3g]", 1e21)', '"[   1e+21]"'),
    ('format("[% 0-12.6o]", 255)', '"[ 000377     ]"'),
    ('format("[%#3.6v]", -0.001)', '"[-0.001]"'),
    ('format("[%#3.6o]", 255)', '"[0000377]"'),
    ('format("[%+8G]", 255)', '"[    +255]"'),
    ('format("[%+#3f]", 0.5)', '"[+0.500000]"'),
    ('format("[% 8.1e]", 1e-10)', '"[ 1.0e-10]"'),
    ('format("[%#+ 12.3v]", 0)', '"[           0]"'),
    ('format("[%3.2v]", 123456789)', '"[1.23456789e+08]"'),
    ('format("[% -3.6e]", 0.05)', '"[ 5.000000e-02]"'),
    ('format("[%o]", 255)', '"[377]"'),
    ('format("[%+# f]", 3.14159)', '"[+3.141590]"'),
    ('format("[% #3.3X]", -1)', '"[-0X001]"'),
    ('format("[%8.1X]", 255)', '"[      FF]"'),
    ('format("[%0+8v]", 1)', '"[00000001]"'),
    ('format("[%+12.1G]", 123456789)', '"[      +1E+08]"'),
    ('format("[%+# .0e]", 1024.5)', '"[+1e+03]"'),
    ('format("[%#+-8.6E]", 1.5)', '"[+1.500000E+00]"'),
    ('format("[%3.6x]", -42)', '"[-00002a]"'),
    ('format("[%#-12.6f]", 0.000123)', '"[0.000123    ]"'),
    ('format("[%+.6G]", 2.5)', '"[+2.5]"'),
    ('format("[% #+E]", 2.5)', '"[+2.500000E+00]"'),
    ('format("[%+03.2e]", 0.000123)', '"[+1.23e-04]"'),
    ('format("[%+ #b]", 42)', '"[+0b101010]"'),
    ('format("[%-12.1o]", 1)', '"[1           ]"'),
    ('format("[%0E]", 1.5)', '"[1.500000E+00]"'),
    ('format("[%-0.3X]", 0)', '"[000]"'),
    ('format("[%12x]", 1)', '"[           1]"'),
    ('format("[%# +12.1E]", 1e21)', '"[    +1.0E+21]"'),
    ('format("[%#-+8.1v]", 1.5)', '"[1.5     ]"'),
    ('format("[%- .6g]", 7)', '"[ 7]"'),
    ('format("[%3.1v]", 0.000123)', '"[0.000123]"'),
    ('format("[%8.3x]", 1)', '"[     001]"'),
    ('format("[% +12.3X]", 7)', '"[        +007]"'),
    ('format("[% .6X]", -42)', '"[-00002A]"'),
    ('format("[%#b]", 42)', '"[0b101010]"'),
    ('format("[%3.6d]", 123456789)', '"[123456789]"'),
    ('format("[% 8.1f]", 1e-10)', '"[     0.0]"'),
    ('format("[%#-012.0o]", -42)', '"[-052        ]"'),
    ('format("[%+#12o]", 7)', '"[         +07]"'),
    ('format("[%-#3.3E]", 0.5)', '"[5.000E-01]"'),
    ('format("[%+3.3d]", 0)', '"[+000]"'),
    ('format("[%8.0x]", 0)', '"[]"'),
    ('format("[%o]", 0)', '"[0]"'),
    ('format("[%3.2g]", 1024.5)', '"[1e+03]"'),
    ('format("[%0#8G]", 1e10)', '"[0001E+10]"'),
    ('format("[%+ 012.6b]", 42)', '"[     +101010]"'),
    ('format("[%-0 8v]", 255)', '"[25500000]"'),
    ('format("[%-+12.3G]", 7)', '"[+7          ]"'),
    ('format("[%12.0e]", -0.001)', '"[      -1e-03]"'),
    ('format("[%12.2b]", 7)', '"[         111]"'),
    ('format("[%- 08v]", 255)', '"[25500000]"'),
    ('format("[%8.1G]", 2.5)', '"[       2]"'),
    ('format("[%+8.3G]", 123456789)', '"[+1.23E+08]"'),
    ('format("[%8.3X]", 7)', '"[     007]"'),
    ('format("[%0-12.0g]", 0.000123)', '"[0.0001      ]"'),
    ('format("[% 8.6G]", 0)', '"[       0]"'),
    ('format("[%0#3.3b]", 123456789)', '"[0b111010110111100110100010101]"'),
    ('format("[%#+-3e]", 99.995)', '"[+9.999500e+01]"'),
    ('format("[% +.2f]", 7)', '"[+7.00]"'),
    ('format("[% 0.2o]", 7)', '"[ 07]"'),
    ('format("[%8E]", 42)', '"[4.200000E+01]"'),
    ('format("[% #3v]", 1e-10)', '"[0.0000000001]"'),
    ('format("[%+12.6o]", 1e10)', '"[+112402762000]"'),
    ('format("[%0-+8.3f]", 0.05)', '"[+0.050  ]"'),
    ('format("[%# -.1v]", 123456789)', '"[123456789]"'),
    ('format("[%12.6e]", 99.995)', '"[9.999500e+01]"'),
    ('format("[%8.3d]", 42)', '"[     042]"'),
    ('format("[%0+ 3.3x]", -1)', '"[-001]"'),
    ('format("[%012.2E]", 1.5)', '"[00001.50E+00]"'),
    ('format("[%12.0e]", 2.5)', '"[       2e+00]"'),
    ('format("[%+.6X]", 0)', '"[+000000]"'),
    ('format("[% -#3G]", -2.5)', '"[-2.5]"'),
    ('format("[%#12.2o]", 42)', '"[         052]"'),
    ('format("[%-12E]", 1024.5)', '"[1.024500E+03]"'),
    ('format("[%-0+8.3o]", -1)', '"[-001    ]"'),
    ('format("[%+0 3x]", 1e21)', '"[+3635c9adc5dea00000]"'),
    ('format("[% +.6X]", 123456789)', '"[+75BCD15]"'),
    ('format("[%+0-3.1f]", 1e10)', '"[+10000000000.0]"'),
    ('format("[%-3.3b]", 255)', '"[11111111]"'),
    ('format("[%3.2f]", 0)', '"[0.00]"'),
    ('format("[%+3G]", 1.5)', '"[+1.5]"'),
    ('format("[%12.3X]", -1)', '"[        -001]"'),
    ('format("[% +12v]", -1)', '"[          -1]"'),
    ('format("[%+ -12.2X]", 7)', '"[+07         ]"'),
    ('format("[%-#12o]", 42)', '"[052         ]"'),
    ('format("[%8v]", -42)', '"[     -42]"'),
    ('format("[%12.3X]", 42)', '"[         02A]"'),
    ('format("[% 0-12E]", 7)', '"[ 7.000000E+00]"'),
    ('format("[%12.6d]", 255)', '"[      000255]"'),
    ('format("[%-12.2E]", 1e10)', '"[1.00E+10    ]"'),
    ('format("[%# +3x]", 42)', '"[+0x2a]"'),
    ('format("[%-#12.3v]", 1e10)', '"[10000000000 ]"'),
    ('format("[%0 #3.2e]", -42)', '"[-4.20e+01]"'),
    ('format("[%+3.1d]", 255)', '"[+255]"'),
    ('format("[%d]", 0)', '"[0]"'),
    ('format("[%0 +12.2f]", 1024.5)', '"[+00001024.50]"'),
    ('format("[%+12.1G]", 1e-10)', '"[      +1E-10]"'),
    ('format("[%12.2G]", 0.5)', '"[         0.5]"'),
    ('format("[%8.0g]", 1e10)', '"[   1e+10]"'),
    ('format("[%0 12o]", 1e10)', '"[ 112402762000]"'),
    ('format("[% +8.6o]", 255)', '"[ +000377]"'),
    ('format("[%-3.2g]", 1e21)', '"[1e+21]"'),
    ('format("[%#.3v]", -2.5)', '"[-2.5]"'),
    ('format("[%3X]", 7)', '"[  7]"'),
    ('format("[%-# 8.0X]", 42)', '"[ 0X2A   ]"'),
    ('format("[%+#-.2E]", 3.14159)', '"[+3.14E+00]"'),
    ('format("[%#+.6d]", -42)', '"[-000042]"'),
    ('format("[%+-3b]", 7)', '"[+111]"'),
    ('format("[%12x]", 7)', '"[           7]"'),
    ('format("[%-12.2b]", 7)', '"[111         ]"'),
    ('format("[%3x]", 0)', '"[  0]"'),
    ('format("[%#12b]", 1)', '"[         0b1]"'),
    ('format("[%#+8b]", 1e10)', '"[+0b1001010100000010111110010000000000]"'),
    ('format("[%.3v]", -42)', '"[-42]"'),
    ('format("[%0 +8.1b]", 7)', '"[    +111]"'),
    ('format("[%-0+12.6x]", 42)', '"[+00002a     ]"'),
    ('format("[%8.2o]", 42)', '"[      52]"'),
    ('format("[%8E]", 255)', '"[2.550000E+02]"'),
    ('format("[%0-+e]", 99.995)', '"[+9.999500e+01]"'),
    ('format("[%#12X]", 42)', '"[        0X2A]"'),
    ('format("[%#8.3x]", 0)', '"[   0x000]"'),
    ('format("[%#03v]", 1e-10)', '"[0.0000000001]"'),
    ('format("[%o]", -42)', '"[-52]"'),
    ('format("[%12E]", 0.5)', '"[5.000000E-01]"'),
    ('format("[% -3X]", 7)', '"[ 7 ]"'),
    ('format("[%-05s|%-05v|%05s]", "a", 1, "b")', '"[a0000|10000|0000b]"'),
    ('formatdate("ssm", "0535-06-20T15:40:37Z")', '"3740"'),
    ('formatdate("YYYY:aaEEEEm", "0960-04-23T15:34:53-00:30")', '"0960:pmWednesday34"'),
    ('formatdate("HHZZZZZ MM", "0950-11-05T16:24:47Z")', '"04+00:00 11"'),
    (
        "formatdate(\"'lit'MMMMM'lit'ssYY\", \"1234-01-27T08:30:38+00:00\")",
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "MMMMM": month must be "M", "MM", "MMM", or "MMMM".'
        ),
    ),
    (
        'formatdate("-HHHZ-ss", "1822-03-12T03:02:08+00:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "HHH": 12-hour must either be "H" or "HH".'
        ),
    ),
    ('formatdate("EEEEZZZZ", "1787-11-28T09:26:32+00:00")', '"Wednesday+0000"'),
    ('formatdate("hmssHss", "0952-06-22T00:54:17-00:30")', '"054171217"'),
    ('formatdate("ZZZMZZZ hhm", "2343-10-04T22:41:13-00:30")', '"-003010-0030 2241"'),
    (
        'formatdate("EEEMMMMMMM", "1975-11-16T02:22:51Z")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "MMMMMMM": month must be "M", "MM", "MMM", or "MMMM".'
        ),
    ),
    (
        'formatdate("TMMYYYYEEE", "1750-07-28T03:02:38-00:30")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "T".'
        ),
    ),
    ('formatdate("HH", "2943-10-11T17:56:59-08:00")', '"05"'),
    ('formatdate("DYYEEEYYYYMMMM", "0443-10-18T01:12:26-08:00")', '"1843Sun0443October"'),
    ('formatdate("EEEEMMZZZYY ", "1392-06-12T04:57:55+00:00")', '"Tuesday06UTC92 "'),
    ('formatdate("AA mmHH", "2638-10-22T17:06:39-00:30")', '"PM 0605"'),
    (
        'formatdate("HZZZZZZ", "2932-04-10T13:16:33-08:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "ZZZZZZ": timezone must be Z, ZZZZ, or ZZZZZ.'
        ),
    ),
    ('formatdate("hhYYYY-Hss", "1290-01-13T19:37:40+05:30")', '"191290-740"'),
    ('formatdate("ZZZZZ", "2570-06-15T11:43:58-08:00")', '"-08:00"'),
    ('formatdate("ZZZEEEEZaaYYYY", "2415-01-22T00:23:16+00:00")', '"UTCThursdayZam2415"'),
    (
        'formatdate("ssshh", "0727-06-06T10:48:23-00:30")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "sss": second must either be "s" or "ss".'
        ),
    ),
    ('formatdate("EEE-HH", "0430-01-19T21:47:08-08:00")', '"Sat-09"'),
    ('formatdate("DZZZZZ-EEEED", "1343-03-22T13:41:44Z")', '"22+00:00-Friday22"'),
    ('formatdate("s", "1319-06-22T07:28:51+05:30")', '"51"'),
    ('formatdate("hh", "2664-04-19T14:17:14Z")', '"14"'),
    ('formatdate("mm", "0782-06-26T18:11:55-08:00")', '"11"'),
    ('formatdate("-:ZZZZZ", "0351-10-12T18:08:26-08:00")', '"-:-08:00"'),
    ('formatdate("- EEEEAAh", "2598-07-10T13:36:26Z")', '"- TuesdayPM13"'),
    ('formatdate("MMDDYYYYaa", "2551-09-14T17:59:45+05:30")', '"09142551pm"'),
    ('formatdate("Z", "1871-11-24T16:18:34-08:00")', '"-08:00"'),
    ('formatdate(" MMMM", "2412-05-04T07:02:02-00:30")', '" May"'),
    (
        'formatdate("TT", "1761-10-02T00:30:47Z")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "TT".'
        ),
    ),
    ('formatdate("mmEEE", "0980-11-01T16:34:26Z")', '"34Wed"'),
    ('formatdate("MMMhhMMEEEE ", "2216-08-26T01:22:14+05:30")', '"Aug0108Monday "'),
    ('formatdate("m", "0489-03-08T08:58:56+05:30")', '"58"'),
    ('formatdate("aa", "2575-10-28T12:03:48-08:00")', '"pm"'),
    ('formatdate("EEEEs", "2160-09-14T01:30:20Z")', '"Sunday20"'),
    ('formatdate("\'lit\'", "0520-01-04T01:04:30Z")', '""'),
    (
        'formatdate("MMMMmmmmaahhM", "1289-02-12T12:41:24-00:30")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "mmmm": minute must either be "m" or "mm".'
        ),
    ),
    ('formatdate("hEEEEDD", "1347-07-04T04:35:00+00:00")', '"4Tuesday04"'),
    ('formatdate("ss", "0732-01-12T14:38:41-00:30")', '"41"'),
    ('formatdate("ZZZZZ-YYs", "1768-01-12T20:31:48-08:00")', '"-08:00-6848"'),
    ('formatdate("ZZZHAAYYYY", "1004-04-18T08:44:37Z")', '"UTC8AM1004"'),
    (
        'formatdate("DHMMT", "0116-06-12T17:50:55-08:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "T".'
        ),
    ),
    ('formatdate("AA", "2829-02-27T23:42:54-00:30")', '"PM"'),
    ('formatdate("ZZZZMMMZhh", "2310-09-04T18:45:00+00:00")', '"+0000SepZ18"'),
    ('formatdate("D\'lit\'", "1593-01-17T02:36:06+00:00")', '"17"'),
    ('formatdate(":YYYY", "1399-02-01T03:43:30-08:00")', '":1399"'),
    ('formatdate("EEE-MMMMYY\'lit\'", "2309-09-17T22:15:06-00:30")', '"Fri-September09"'),
    ('formatdate("MMMmYYmhh ", "2311-03-27T02:15:11+05:30")', '"Mar15111502 "'),
    ('formatdate("sZZZ\'lit\'HH", "1036-06-20T12:22:35+00:00")', '"35UTClit12"'),
    ('formatdate("HH", "2050-04-14T23:10:26-00:30")', '"11"'),
    ('formatdate("ZZZZmmZZZZaaMM", "2634-07-05T05:06:31+00:00")', '"+000006+0000am07"'),
    ('formatdate("mmAAssZ M", "0559-05-25T06:09:37-00:30")', '"09AM37-00:30 5"'),
    ('formatdate("D ZZZ", "2204-05-22T22:54:26-00:30")', '"22 -0030"'),
    (
        'formatdate("ssEEEETDDEEE", "0095-05-16T12:12:11-00:30")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "T".'
        ),
    ),
    ('formatdate("Dhhaa", "0589-07-23T15:44:38+05:30")', '"2315pm"'),
    (
        'formatdate("ss:T:", "2673-09-01T15:46:04+00:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "T".'
        ),
    ),
    (
        'formatdate("TYYAADTD", "2656-12-25T21:04:13-08:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "T".'
        ),
    ),
    (
        'formatdate("TDD", "1060-03-06T19:45:43Z")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "T".'
        ),
    ),
    ('formatdate("M YY", "1284-03-14T02:46:51Z")', '"3 84"'),
    ('formatdate("MMMM", "1083-05-02T11:28:37-08:00")', '"May"'),
    ('formatdate("YYYY", "1372-06-14T12:31:04+05:30")', '"1372"'),
    ('formatdate("ssZaaHHMMm", "1306-02-09T02:42:27Z")', '"27Zam020242"'),
    (
        'formatdate("TmmEEEEMMM", "2162-12-12T21:49:23+00:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "T".'
        ),
    ),
    (
        'formatdate("ZZZZZZZZZZZZ", "2680-05-04T10:43:36-00:30")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "ZZZZZZZZZZZZ": timezone must be Z, ZZZZ, or ZZZZZ.'
        ),
    ),
    ('formatdate("MMMZZZZaammh", "0244-12-10T21:46:36+05:30")', '"Dec+0530pm4621"'),
    (
        'formatdate("ZZZZZZZZZZZMMMh", "2685-08-04T03:59:35+05:30")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "ZZZZZZZZZZZ": timezone must be Z, ZZZZ, or ZZZZZ.'
        ),
    ),
    (
        'formatdate("ZZZZZZZZZZZ", "2448-07-18T09:41:11+00:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "ZZZZZZZZZZZ": timezone must be Z, ZZZZ, or ZZZZZ.'
        ),
    ),
    ('formatdate("EEE-MZZZ", "0281-02-23T05:48:35-00:30")', '"Wed-2-0030"'),
    ('formatdate("ZHHhMMMEEEE", "1110-07-02T04:02:30-00:30")', '"-00:30044JulSaturday"'),
    ('formatdate("DZZZ\'lit\'", "2109-06-11T12:28:34Z")', '"11UTC"'),
    ('formatdate("aa MMM", "0621-05-19T03:43:07-00:30")', '"am May"'),
    ('formatdate("MMMMZZZDDssH", "2745-12-13T23:08:37-00:30")', '"December-0030133711"'),
    ('formatdate(" HH", "0794-09-17T05:36:11+05:30")', '" 05"'),
    ('formatdate("h-EEE", "0124-08-14T12:20:35-00:30")', '"12-Mon"'),
    ('formatdate("ZZZZZaamm", "2813-12-10T21:30:01-00:30")', '"-00:30pm30"'),
    (
        'formatdate("ZZZZZZ", "0010-02-25T21:14:31+05:30")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "ZZZZZZ": timezone must be Z, ZZZZ, or ZZZZZ.'
        ),
    ),
    (
        'formatdate("ZZZZZAADDDD-", "2170-04-02T16:59:41+00:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "DDDD": day of month must either be "D" or "DD".'
        ),
    ),
    ('formatdate("ss", "1161-11-05T04:29:50Z")', '"50"'),
    (
        'formatdate("YYYYYYhsD", "2073-02-16T17:01:59-08:00")',
        Error(
            'Invalid function argument: Invalid value for "format" parameter: invalid date format verb "YYYYYY": year must either be "YY" or "YYYY".'
        ),
    ),
    ('formatdate("hh h", "2846-12-05T02:54:53-00:30")', '"02 2"'),
    ('timeadd("2098-01-23T23:59:59Z", "-0.5h")', '"2098-01-23T23:29:59Z"'),
    ('timeadd("1987-04-03T23:59:59Z", "-2h45m")', '"1987-04-03T21:14:59Z"'),
    ('timeadd("2078-04-16T23:59:59+01:00", "-1h")', '"2078-04-16T22:59:59+01:00"'),
    ('timeadd("1910-07-03T23:59:59Z", "-0.5h")', '"1910-07-03T23:29:59Z"'),
    ('timeadd("1941-07-16T23:59:59+01:00", "-0.5h")', '"1941-07-16T23:29:59+01:00"'),
    ('timeadd("1917-09-28T23:59:59+01:00", "1.5h")', '"1917-09-29T01:29:59+01:00"'),
    ('timeadd("2066-08-10T23:59:59Z", "100h")', '"2066-08-15T03:59:59Z"'),
    ('timeadd("2017-12-13T23:59:59+01:00", "90m")', '"2017-12-14T01:29:59+01:00"'),
    ('timeadd("2016-01-24T23:59:59+01:00", "500ms")', '"2016-01-24T23:59:59+01:00"'),
    ('timeadd("1994-08-17T23:59:59+01:00", "0s")', '"1994-08-17T23:59:59+01:00"'),
    ('timeadd("2002-04-01T23:59:59Z", "1h2m3s")', '"2002-04-02T01:02:02Z"'),
    ('timeadd("2100-06-05T23:59:59+01:00", "1us")', '"2100-06-05T23:59:59+01:00"'),
    ('timeadd("1949-03-07T23:59:59Z", "90m")', '"1949-03-08T01:29:59Z"'),
    ('timeadd("2049-07-17T23:59:59Z", "3m20.5s")', '"2049-07-18T00:03:19Z"'),
    ('timeadd("1907-03-04T23:59:59-07:00", "90m")', '"1907-03-05T01:29:59-07:00"'),
    ('timeadd("2013-08-06T23:59:59Z", "1h")', '"2013-08-07T00:59:59Z"'),
    ('timeadd("2003-08-11T23:59:59+01:00", "1h")', '"2003-08-12T00:59:59+01:00"'),
    ('timeadd("2080-12-02T23:59:59Z", "-2h45m")', '"2080-12-02T21:14:59Z"'),
    ('timeadd("1910-07-16T23:59:59Z", "1.5h")', '"1910-07-17T01:29:59Z"'),
    ('timeadd("1961-02-13T23:59:59+01:00", "1.5h")', '"1961-02-14T01:29:59+01:00"'),
    ('timeadd("1942-06-20T23:59:59Z", "500ms")', '"1942-06-20T23:59:59Z"'),
    ('timeadd("1931-10-02T23:59:59-07:00", "1h2m3s")', '"1931-10-03T01:02:02-07:00"'),
    ('timeadd("1970-08-26T23:59:59+01:00", "100h")', '"1970-08-31T03:59:59+01:00"'),
    ('timeadd("1963-09-09T23:59:59Z", "500ms")', '"1963-09-09T23:59:59Z"'),
    ('timeadd("2061-06-11T23:59:59Z", "1h")', '"2061-06-12T00:59:59Z"'),
    ('timeadd("2074-07-03T23:59:59-07:00", "0s")', '"2074-07-03T23:59:59-07:00"'),
    ('timeadd("1900-02-01T23:59:59-07:00", "-1h")', '"1900-02-01T22:59:59-07:00"'),
    ('timeadd("1904-03-17T23:59:59Z", "100h")', '"1904-03-22T03:59:59Z"'),
    ('timeadd("1913-04-21T23:59:59-07:00", "500ms")', '"1913-04-21T23:59:59-07:00"'),
    ('timeadd("1951-08-11T23:59:59+01:00", "500ms")', '"1951-08-11T23:59:59+01:00"'),
    ('timeadd("2068-01-13T23:59:59+01:00", "+1h")', '"2068-01-14T00:59:59+01:00"'),
    ('timeadd("2055-11-13T23:59:59Z", "1h2m3s")', '"2055-11-14T01:02:02Z"'),
    ('timeadd("1947-07-04T23:59:59-07:00", "-2h45m")', '"1947-07-04T21:14:59-07:00"'),
    ('timeadd("2040-06-18T23:59:59-07:00", "+1h")', '"2040-06-19T00:59:59-07:00"'),
    ('timeadd("2003-03-27T23:59:59-07:00", "-0.5h")', '"2003-03-27T23:29:59-07:00"'),
    ('timeadd("1998-09-12T23:59:59Z", "500ms")', '"1998-09-12T23:59:59Z"'),
    ('timeadd("2006-08-08T23:59:59+01:00", "+1h")', '"2006-08-09T00:59:59+01:00"'),
    ('timeadd("2079-08-12T23:59:59+01:00", "90m")', '"2079-08-13T01:29:59+01:00"'),
    ('timeadd("2029-12-25T23:59:59-07:00", "-0.5h")', '"2029-12-25T23:29:59-07:00"'),
    ('timeadd("2078-07-16T23:59:59Z", "90m")', '"2078-07-17T01:29:59Z"'),
    ('cidrsubnet("87.11.0.0/22", 1, 0)', '"87.11.0.0/23"'),
    ('cidrhost("87.11.0.0/22", 15)', '"87.11.0.15"'),
    ('cidrsubnets("87.11.0.0/22", 1, 1)', '["87.11.0.0/23", "87.11.2.0/23"]'),
    ('cidrsubnet("230.238.0.0/28", 3, 5)', '"230.238.0.10/31"'),
    ('cidrhost("230.238.0.0/28", -5)', '"230.238.0.11"'),
    ('cidrsubnets("230.238.0.0/28", 2)', '["230.238.0.0/30"]'),
    ('cidrsubnet("204.53.0.0/18", 5, 19)', '"204.53.38.0/23"'),
    ('cidrhost("204.53.0.0/18", 2)', '"204.53.0.2"'),
    (
        'cidrsubnets("204.53.0.0/18", 1, 2, 2, 1)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 19 bits after 204.53.48.0/20.'
        ),
    ),
    ('cidrsubnet("78.73.0.0/26", 1, 0)', '"78.73.0.0/27"'),
    ('cidrhost("78.73.0.0/26", 9)', '"78.73.0.9"'),
    ('cidrsubnets("78.73.0.0/26", 2, 2, 4)', '["78.73.0.0/28", "78.73.0.16/28", "78.73.0.32/30"]'),
    ('cidrsubnet("163.96.0.0/22", 2, 0)', '"163.96.0.0/24"'),
    ('cidrhost("163.96.0.0/22", -3)', '"163.96.3.253"'),
    ('cidrsubnets("163.96.0.0/22", 1)', '["163.96.0.0/23"]'),
    ('cidrsubnet("51.102.0.0/16", 1, 0)', '"51.102.0.0/17"'),
    ('cidrhost("51.102.0.0/16", 24)', '"51.102.0.24"'),
    (
        'cidrsubnets("51.102.0.0/16", 2, 1, 4, 3)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 20 bits after 51.102.128.0/17.'
        ),
    ),
    ('cidrsubnet("206.228.0.0/11", 3, 7)', '"206.252.0.0/14"'),
    ('cidrhost("206.228.0.0/11", 19)', '"206.224.0.19"'),
    ('cidrsubnets("206.228.0.0/11", 1, 1)', '["206.224.0.0/12", "206.240.0.0/12"]'),
    ('cidrsubnet("237.153.0.0/28", 1, 1)', '"237.153.0.8/29"'),
    (
        'cidrhost("237.153.0.0/28", 17)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: prefix of 28 does not accommodate a host numbered 17.'
        ),
    ),
    ('cidrsubnets("237.153.0.0/28", 4, 1)', '["237.153.0.0/32", "237.153.0.8/29"]'),
    ('cidrsubnet("186.216.0.0/28", 1, 0)', '"186.216.0.0/29"'),
    ('cidrhost("186.216.0.0/28", 10)', '"186.216.0.10"'),
    ('cidrsubnets("186.216.0.0/28", 1, 3, 2)', '["186.216.0.0/29", "186.216.0.8/31", "186.216.0.12/30"]'),
    ('cidrsubnet("220.224.0.0/10", 3, 3)', '"220.216.0.0/13"'),
    ('cidrhost("220.224.0.0/10", 15)', '"220.192.0.15"'),
    ('cidrsubnets("220.224.0.0/10", 2, 2)', '["220.192.0.0/12", "220.208.0.0/12"]'),
    ('cidrsubnet("237.214.0.0/19", 2, 3)', '"237.214.24.0/21"'),
    ('cidrhost("237.214.0.0/19", 25)', '"237.214.0.25"'),
    (
        'cidrsubnets("237.214.0.0/19", 4, 1, 3, 1)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 22 bits after 237.214.16.0/20.'
        ),
    ),
    ('cidrsubnet("94.49.0.0/8", 6, 19)', '"94.76.0.0/14"'),
    ('cidrhost("94.49.0.0/8", 13)', '"94.0.0.13"'),
    ('cidrsubnets("94.49.0.0/8", 4)', '["94.0.0.0/12"]'),
    ('cidrsubnet("20.99.0.0/14", 3, 7)', '"20.99.128.0/17"'),
    ('cidrhost("20.99.0.0/14", 22)', '"20.96.0.22"'),
    ('cidrsubnets("20.99.0.0/14", 3)', '["20.96.0.0/17"]'),
    ('cidrsubnet("239.100.0.0/17", 2, 0)', '"239.100.0.0/19"'),
    ('cidrhost("239.100.0.0/17", 23)', '"239.100.0.23"'),
    ('cidrsubnets("239.100.0.0/17", 4, 4, 1)', '["239.100.0.0/21", "239.100.8.0/21", "239.100.64.0/18"]'),
    ('cidrsubnet("105.78.0.0/23", 6, 36)', '"105.78.1.32/29"'),
    ('cidrhost("105.78.0.0/23", 19)', '"105.78.0.19"'),
    ('cidrsubnets("105.78.0.0/23", 2, 4, 3)', '["105.78.0.0/25", "105.78.0.128/27", "105.78.0.192/26"]'),
    ('cidrsubnet("237.242.0.0/24", 5, 14)', '"237.242.0.112/29"'),
    ('cidrhost("237.242.0.0/24", 18)', '"237.242.0.18"'),
    (
        'cidrsubnets("237.242.0.0/24", 3, 1, 4)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 28 bits after 237.242.0.128/25.'
        ),
    ),
    ('cidrsubnet("191.183.0.0/17", 6, 31)', '"191.183.62.0/23"'),
    ('cidrhost("191.183.0.0/17", 28)', '"191.183.0.28"'),
    ('cidrsubnets("191.183.0.0/17", 1)', '["191.183.0.0/18"]'),
    ('cidrsubnet("67.76.0.0/25", 1, 0)', '"67.76.0.0/26"'),
    ('cidrhost("67.76.0.0/25", -2)', '"67.76.0.126"'),
    ('cidrsubnets("67.76.0.0/25", 2)', '["67.76.0.0/27"]'),
    ('cidrsubnet("238.181.0.0/19", 5, 2)', '"238.181.2.0/24"'),
    ('cidrhost("238.181.0.0/19", 26)', '"238.181.0.26"'),
    ('cidrsubnets("238.181.0.0/19", 2, 1)', '["238.181.0.0/21", "238.181.16.0/20"]'),
    ('cidrsubnet("141.221.0.0/18", 1, 0)', '"141.221.0.0/19"'),
    ('cidrhost("141.221.0.0/18", 23)', '"141.221.0.23"'),
    ('cidrsubnets("141.221.0.0/18", 3, 2, 4)', '["141.221.0.0/21", "141.221.16.0/20", "141.221.32.0/22"]'),
    ('cidrsubnet("214.133.0.0/18", 1, 0)', '"214.133.0.0/19"'),
    ('cidrhost("214.133.0.0/18", 22)', '"214.133.0.22"'),
    ('cidrsubnets("214.133.0.0/18", 2)', '["214.133.0.0/20"]'),
    ('cidrsubnet("126.69.0.0/21", 5, 21)', '"126.69.5.64/26"'),
    ('cidrhost("126.69.0.0/21", 30)', '"126.69.0.30"'),
    ('cidrsubnets("126.69.0.0/21", 3, 1)', '["126.69.0.0/24", "126.69.4.0/22"]'),
    ('cidrsubnet("86.23.0.0/8", 4, 1)', '"86.16.0.0/12"'),
    ('cidrhost("86.23.0.0/8", 24)', '"86.0.0.24"'),
    (
        'cidrsubnets("86.23.0.0/8", 4, 3, 2, 3)',
        '["86.0.0.0/12", "86.32.0.0/11", "86.64.0.0/10", "86.128.0.0/11"]',
    ),
    ('cidrsubnet("93.37.0.0/29", 2, 0)', '"93.37.0.0/31"'),
    (
        'cidrhost("93.37.0.0/29", 21)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: prefix of 29 does not accommodate a host numbered 21.'
        ),
    ),
    (
        'cidrsubnets("93.37.0.0/29", 4, 4, 3)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: would extend prefix to 33 bits, which is too long for an IPv4 address.'
        ),
    ),
    ('cidrsubnet("130.231.0.0/17", 5, 9)', '"130.231.36.0/22"'),
    ('cidrhost("130.231.0.0/17", 31)', '"130.231.0.31"'),
    (
        'cidrsubnets("130.231.0.0/17", 2, 1, 4)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 21 bits after 130.231.64.0/18.'
        ),
    ),
    ('cidrsubnet("248.118.0.0/22", 5, 17)', '"248.118.2.32/27"'),
    ('cidrhost("248.118.0.0/22", -4)', '"248.118.3.252"'),
    ('cidrsubnets("248.118.0.0/22", 1, 4, 2)', '["248.118.0.0/23", "248.118.2.0/26", "248.118.3.0/24"]'),
    ('cidrsubnet("143.137.0.0/11", 4, 2)', '"143.132.0.0/15"'),
    ('cidrhost("143.137.0.0/11", 18)', '"143.128.0.18"'),
    ('cidrsubnets("143.137.0.0/11", 4)', '["143.128.0.0/15"]'),
    ('cidrsubnet("229.99.0.0/17", 3, 2)', '"229.99.32.0/20"'),
    ('cidrhost("229.99.0.0/17", 36)', '"229.99.0.36"'),
    (
        'cidrsubnets("229.99.0.0/17", 4, 3, 1, 3)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 20 bits after 229.99.64.0/18.'
        ),
    ),
    ('cidrsubnet("109.19.0.0/18", 3, 6)', '"109.19.48.0/21"'),
    ('cidrhost("109.19.0.0/18", 30)', '"109.19.0.30"'),
    ('cidrsubnets("109.19.0.0/18", 1, 2, 4)', '["109.19.0.0/19", "109.19.32.0/20", "109.19.48.0/22"]'),
    ('cidrsubnet("128.211.0.0/10", 4, 7)', '"128.220.0.0/14"'),
    ('cidrhost("128.211.0.0/10", 7)', '"128.192.0.7"'),
    ('cidrsubnets("128.211.0.0/10", 1)', '["128.192.0.0/11"]'),
    ('cidrsubnet("63.2.0.0/17", 6, 8)', '"63.2.16.0/23"'),
    ('cidrhost("63.2.0.0/17", 22)', '"63.2.0.22"'),
    ('cidrsubnets("63.2.0.0/17", 4, 4, 3)', '["63.2.0.0/21", "63.2.8.0/21", "63.2.16.0/20"]'),
    ('cidrsubnet("148.24.0.0/13", 2, 3)', '"148.30.0.0/15"'),
    ('cidrhost("148.24.0.0/13", 5)', '"148.24.0.5"'),
    ('cidrsubnets("148.24.0.0/13", 2, 2)', '["148.24.0.0/15", "148.26.0.0/15"]'),
    ('cidrsubnet("239.203.0.0/28", 1, 0)', '"239.203.0.0/29"'),
    (
        'cidrhost("239.203.0.0/28", 20)',
        Error(
            'Error in function call: Call to function "cidrhost" failed: prefix of 28 does not accommodate a host numbered 20.'
        ),
    ),
    ('cidrsubnets("239.203.0.0/28", 2)', '["239.203.0.0/30"]'),
    ('cidrsubnet("90.159.0.0/14", 6, 16)', '"90.157.0.0/20"'),
    ('cidrhost("90.159.0.0/14", 4)', '"90.156.0.4"'),
    ('cidrsubnets("90.159.0.0/14", 2)', '["90.156.0.0/16"]'),
    ('cidrsubnet("109.195.0.0/11", 4, 12)', '"109.216.0.0/15"'),
    ('cidrhost("109.195.0.0/11", 6)', '"109.192.0.6"'),
    ('cidrsubnets("109.195.0.0/11", 3)', '["109.192.0.0/14"]'),
    ('cidrsubnet("53.67.0.0/11", 2, 2)', '"53.80.0.0/13"'),
    ('cidrhost("53.67.0.0/11", 3)', '"53.64.0.3"'),
    (
        'cidrsubnets("53.67.0.0/11", 3, 1, 2, 1)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 13 bits after 53.80.0.0/12.'
        ),
    ),
    ('cidrsubnet("189.72.0.0/23", 2, 0)', '"189.72.0.0/25"'),
    ('cidrhost("189.72.0.0/23", 17)', '"189.72.0.17"'),
    (
        'cidrsubnets("189.72.0.0/23", 1, 3, 4, 1)',
        Error(
            'Invalid function argument: Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 24 bits after 189.72.1.64/27.'
        ),
    ),
    ('cidrsubnet("176.226.0.0/26", 4, 14)', '"176.226.0.56/30"'),
    ('cidrhost("176.226.0.0/26", 29)', '"176.226.0.29"'),
    ('cidrsubnets("176.226.0.0/26", 4, 2, 4)', '["176.226.0.0/30", "176.226.0.16/28", "176.226.0.32/30"]'),
    ('cidrsubnet("196.102.0.0/27", 3, 2)', '"196.102.0.8/30"'),
    ('cidrhost("196.102.0.0/27", 14)', '"196.102.0.14"'),
    ('cidrsubnets("196.102.0.0/27", 3, 3)', '["196.102.0.0/30", "196.102.0.4/30"]'),
    ('cidrsubnet("103.66.0.0/9", 5, 3)', '"103.12.0.0/14"'),
    ('cidrhost("103.66.0.0/9", 21)', '"103.0.0.21"'),
    ('cidrsubnets("103.66.0.0/9", 1, 1)', '["103.0.0.0/10", "103.64.0.0/10"]'),
    (
        "formatdate(\"DD MMM YYYY hh:mm ZZZ EEEE 'o''clock'\", \"2018-01-02T23:12:01-08:00\")",
        '"02 Jan 2018 23:12 -0800 Tuesday "',
    ),
    ('substr("\\\\nnoël", 5, 1)', '"l"'),
    ('substr("ΣΑΣa", 1, 5)', '"ΑΣa"'),
    ('substr("éa", -4, -1)', '"éa"'),
    ('substr("👍🏽", -3, 2)', '"👍🏽"'),
    ('substr("ΣΑΣb", 3, 0)', '""'),
    ('substr("aé", 0, 1)', '"a"'),
    ('substr("abx y", -4, 5)', '"bx y"'),
    ('substr("bab", 3, 3)', '""'),
    ('substr("ab", -4, -1)', '"ab"'),
    ('substr("aé", 6, 0)', '""'),
    ('substr("abab", -2, 1)', '"a"'),
    ('substr("éΣΑΣ", 4, 4)', '""'),
    ('substr("éab", 5, 0)', '""'),
    ('substr("x ynoël", -6, 1)', '" "'),
    ('substr("x yab", -4, 1)', '" "'),
    ('substr("b👍🏽", -2, 5)', '"b👍🏽"'),
    ('substr("\\\\n\\\\n", -6, 3)', '"\\\\n\\\\"'),
    ('substr("👍🏽b", -2, 1)', '"👍🏽"'),
    ('substr("noël", 5, 1)', '""'),
    ('substr("ab", 1, 4)', '"b"'),
    ('substr("aba", -2, -1)', '"ba"'),
    ('substr("👍🏽x y", -6, 3)', '"👍🏽x "'),
    ('substr("x y👍🏽", 0, 3)', '"x y"'),
    ('substr("a", -6, 4)', '"a"'),
    ('substr("ab\\\\n", -3, -1)', '"b\\\\n"'),
    ('substr("é", -1, 3)', '"é"'),
    ('substr("👍🏽ΣΑΣ", -2, 5)', '"ΑΣ"'),
    ('substr("b", 3, 4)', '""'),
    ('substr("👍🏽noël", -6, 2)', '"👍🏽n"'),
    ('substr("bé", -1, 3)', '"é"'),
    ('substr("\\\\n👍🏽", -4, 1)', '"\\\\"'),
    ('substr("noëlΣΑΣ", -5, 1)', '"ë"'),
    ('substr("👍🏽noël", -4, 5)', '"noël"'),
    ('substr("bab", 5, 4)', '""'),
    ('substr("noël", -4, 4)', '"noël"'),
    ('substr("ab", 3, 3)', '""'),
    ('substr("x ya", -3, 4)', '" ya"'),
    ('substr("\\\\n👍🏽", -2, 2)', '"n👍🏽"'),
    ('substr("x yab", -6, 4)', '"x ya"'),
    ('substr("a", -1, 5)', '"a"'),
    ('strrev("éab")', '"baé"'),
    ('length("\\\\nab")', "4"),
    ('upper("x yb")', '"X YB"'),
    ('title("abx y")', '"Abx Y"'),
    ('trim("👍🏽ab", "a")', '"👍🏽ab"'),
    ('replace("x ynoël", "b", "_")', '"x ynoël"'),
    ('split("\\u00e9", "\\\\nab")', '["\\\\nab"]'),
    ('strrev("ΣΑΣ")', '"ΣΑΣ"'),
    ('length("👍🏽")', "1"),
    ('upper("noël")', '"NOËL"'),
    ('title("noël")', '"Noël"'),
    ('trim("x yab", "a")', '"x yab"'),
    ('replace("x yΣΑΣ", "b", "_")', '"x yΣΑΣ"'),
    ('split("\\u00e9", "👍🏽ab")', '["👍🏽ab"]'),
    ('strrev("b")', '"b"'),
    ('length("noëlΣΑΣ")', "7"),
    ('upper("ΣΑΣΣΑΣ")', '"ΣΑΣΣΑΣ"'),
    ('title("👍🏽b")', '"👍🏽b"'),
    ('trim("👍🏽\\\\n", "a")', '"👍🏽\\\\n"'),
    ('replace("noël👍🏽", "", "_")', '"_n_o_ë_l_👍_🏽_"'),
    ('split("\\u00e9", "noëlnoël")', '["noëlnoël"]'),
    ('strrev("👍🏽ab")', '"ba👍🏽"'),
    ('length("\\\\na")', "3"),
    ('upper("ΣΑΣ")', '"ΣΑΣ"'),
    ('title("noël👍🏽")', '"Noël👍🏽"'),
    ('trim("noël", "\\u00e9")', '"noël"'),
    ('replace("ΣΑΣ👍🏽", "", "_")', '"_Σ_Α_Σ_👍_🏽_"'),
    ('split("", "👍🏽x y")', '["👍", "🏽", "x", " ", "y"]'),
    ('upper("👍🏽ΣΑΣ")', '"👍🏽ΣΑΣ"'),
    ('title("abΣΑΣ")', '"AbΣΑΣ"'),
    ('trim("abé", "\\u00e9")', '"ab"'),
    ('replace("noël", "a", "_")', '"noël"'),
    ('split("\\u00e9", "ab\\\\n")', '["ab\\\\n"]'),
    ('strrev("\\\\nΣΑΣ")', '"ΣΑΣn\\\\"'),
    ('length("x ynoël")', "7"),
    ('upper("\\\\nΣΑΣ")', '"\\\\NΣΑΣ"'),
    ('title("noëla")', '"Noëla"'),
    ('trim("éab", "ab")', '"é"'),
    ('replace("\\\\nab", "b", "_")', '"\\\\na_"'),
    ('split("b", "a")', '["a"]'),
    ('length("aab")', "3"),
    ('upper("b👍🏽")', '"B👍🏽"'),
    ('title("ab")', '"Ab"'),
    ('trim("éΣΑΣ", "a")', '"éΣΑΣ"'),
    ('replace("x y", "", "_")', '"_x_ _y_"'),
    ('split("\\u00e9", "\\\\nb")', '["\\\\nb"]'),
    ('strrev("\\\\né")', '"én\\\\"'),
    ('length("é👍🏽")', "2"),
    ('upper("a👍🏽")', '"A👍🏽"'),
    ('title("x ynoël")', '"X Ynoël"'),
    ('trim("x yb", "\\u00e9")', '"x yb"'),
    ('replace("aΣΑΣ", "", "_")', '"_a_Σ_Α_Σ_"'),
    ('split("a", "noëlΣΑΣ")', '["noëlΣΑΣ"]'),
    ('strrev("ΣΑΣ👍🏽")', '"👍🏽ΣΑΣ"'),
    ('length("\\\\nnoël")', "6"),
    ('upper("👍🏽ab")', '"👍🏽AB"'),
    ('title("x yx y")', '"X Yx Y"'),
    ('trim("\\\\nΣΑΣ", "\\u00e9")', '"\\\\nΣΑΣ"'),
    ('replace("ab", "b", "_")', '"a_"'),
    ('split("\\u00e9", "\\\\n")', '["\\\\n"]'),
    ('length("\\\\nb")', "3"),
    ('upper("👍🏽a")', '"👍🏽A"'),
    ('title("x yb")', '"X Yb"'),
    ('trim("👍🏽\\\\n", "b")', '"👍🏽\\\\n"'),
    ('replace("👍🏽\\\\n", "\\u00e9", "_")', '"👍🏽\\\\n"'),
    ('split("\\u00e9", "x yé")', '["x y", ""]'),
    ('strrev("noël")', '"lëon"'),
    ('length("x y")', "3"),
    ('upper("x yab")', '"X YAB"'),
    ('title("\\\\n\\\\n")', '"\\\\N\\\\N"'),
    ('trim("noëlnoël", "ab")', '"noëlnoël"'),
    ('replace("noëlx y", "a", "_")', '"noëlx y"'),
    ('split("", "noël")', '["n", "o", "ë", "l"]'),
    ('strrev("noëlab")', '"balëon"'),
    ('length("a")', "1"),
    ('upper("b\\\\n")', '"B\\\\N"'),
    ('title("é")', '"É"'),
    ('trim("noëla", "b")', '"noëla"'),
    ('replace("x ya", "\\u00e9", "_")', '"x ya"'),
    ('split("", "é")', '["é"]'),
    ('strrev("aé")', '"éa"'),
    ('upper("abnoël")', '"ABNOËL"'),
    ('trim("\\\\n", "a")', '"\\\\n"'),
    ('replace("aab", "", "_")', '"_a_a_b_"'),
    ('split("", "ΣΑΣ👍🏽")', '["Σ", "Α", "Σ", "👍", "🏽"]'),
    ('strrev("\\\\nnoël")', '"lëonn\\\\"'),
    ('length("ΣΑΣa")', "4"),
    ('upper("👍🏽")', '"👍🏽"'),
    ('title("👍🏽\\\\n")', '"👍🏽\\\\N"'),
    ('trim("aba", "a")', '"b"'),
    ('replace("noëlΣΑΣ", "\\u00e9", "_")', '"noëlΣΑΣ"'),
    ('split("a", "ΣΑΣé")', '["ΣΑΣé"]'),
    ('strrev("ax y")', '"y xa"'),
    ('length("x y\\\\n")', "5"),
    ('upper("\\\\n")', '"\\\\N"'),
    ('title("x y")', '"X Y"'),
    ('trim("x yé", "\\u00e9")', '"x y"'),
    ('replace("b", "", "_")', '"_b_"'),
    ('split("a", "x y\\\\n")', '["x y\\\\n"]'),
    ('chunklist(["d", "c"], 1)', '[["d"], ["c"]]'),
    ('slice(["d", "c", "b", "d"], 1, 3)', '["c", "b"]'),
    ('element(["a"], 3)', '"a"'),
    ('distinct(["a", "a"])', '["a"]'),
    ('sort(["a", "c", "d", "a", "d"])', '["a", "a", "c", "d", "d"]'),
    ("reverse([4, -3, -2, -2, 0])", "[0, -2, -2, -3, 4]"),
    ('flatten([["a", "b", "c", "d"], [["b"]], [-1, 3, 9, -1]])', '["a", "b", "c", "d", "b", -1, 3, 9, -1]'),
    ('setproduct(["b"], [])', "[]"),
    ('setunion(["a", "d", "a", "c"], [])', '["a", "c", "d"]'),
    ('setintersection(["a", "d", "b", "a"], ["a", "c", "d"])', '["a", "d"]'),
    ('contains(["c", "c", "a"], "a")', "true"),
    ('compact(["c"])', '["c"]'),
    ('concat(["c"], [5, 6, 0, 1])', '["c", 5, 6, 0, 1]'),
    ('coalescelist([], ["b", "c", "c", "b"])', '["b", "c", "c", "b"]'),
    ("range(-2, 0)", "[-2, -1]"),
    (
        "range(2, 1, 2)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    (
        'zipmap(["a"], [2, -2, 6, 7, -3])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (1) does not match number of values (5).'
        ),
    ),
    ("merge({}, {})", "{}"),
    ("keys(merge({}, {}))", "[]"),
    ("values({})", "[]"),
    ('lookup({}, "a", 0)', "0"),
    ('chunklist(["d", "b", "d", "d"], 3)', '[["d", "b", "d"], ["d"]]'),
    ('slice(["a", "d", "a", "b"], 0, 2)', '["a", "d"]'),
    ('element(["b", "a", "a", "d"], 3)', '"d"'),
    ('distinct(["d"])', '["d"]'),
    ('sort(["b", "c"])', '["b", "c"]'),
    ("reverse([6, 8])", "[8, 6]"),
    ('flatten([["d", "d"], [["c"]], [1, 9, 7, 3, 2]])', '["d", "d", "c", 1, 9, 7, 3, 2]'),
    (
        'setproduct(["a", "b", "b"], [-2, -2, -3])',
        '[["a", -2], ["a", -2], ["a", -3], ["b", -2], ["b", -2], ["b", -3], ["b", -2], ["b", -2], ["b", -3]]',
    ),
    ('setunion([], ["b"])', '["b"]'),
    ('setintersection(["a"], ["d", "c", "a"])', '["a"]'),
    ('contains(["d", "c", "d"], "a")', "false"),
    ('compact(["d", "d"])', '["d", "d"]'),
    ("concat([], [-1])", "[-1]"),
    (
        "coalescelist([], [])",
        Error('Error in function call: Call to function "coalescelist" failed: no non-null arguments.'),
    ),
    ("range(0, 1)", "[0]"),
    (
        "range(2, -3, 0.5)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    (
        'zipmap(["a", "b"], [9])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (2) does not match number of values (1).'
        ),
    ),
    ("merge({c = 0, a = 7}, {})", '{"a": 7, "c": 0}'),
    ("keys(merge({c = 0, a = 7}, {}))", '["a", "c"]'),
    ("values({c = 0, a = 7})", "[7, 0]"),
    ('lookup({c = 0, a = 7}, "a", 0)', "7"),
    ('chunklist(["c", "c"], 0)', '[["c", "c"]]'),
    ('slice(["d", "b", "a", "c"], 0, 3)', '["d", "b", "a"]'),
    ('element(["d", "b", "b"], 0)', '"d"'),
    ('distinct(["a"])', '["a"]'),
    ('sort(["b", "a", "d", "c"])', '["a", "b", "c", "d"]'),
    ("reverse([1, -1, 4, 2, 1])", "[1, 2, 4, -1, 1]"),
    ('flatten([[], [["d", "b", "b", "b", "b"]], []])', '["d", "b", "b", "b", "b"]'),
    (
        'setproduct(["d", "c", "a"], [-3, 4, 9])',
        '[["d", -3], ["d", 4], ["d", 9], ["c", -3], ["c", 4], ["c", 9], ["a", -3], ["a", 4], ["a", 9]]',
    ),
    ('setunion(["d", "b", "a", "a", "c"], [])', '["a", "b", "c", "d"]'),
    ('setintersection(["a", "b", "d", "a", "d"], [])', "[]"),
    ('contains(["b", "a", "d", "d", "a"], "a")', "true"),
    ("compact([])", "[]"),
    ('concat(["d", "d"], [7, -3])', '["d", "d", 7, -3]'),
    ('coalescelist([], ["b"])', '["b"]'),
    ("range(3, 5)", "[3, 4]"),
    (
        "range(1, -2, 0.5)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    (
        'zipmap(["a"], [9, -2])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (1) does not match number of values (2).'
        ),
    ),
    ('merge({}, {c = "a"})', '{"c": "a"}'),
    ('keys(merge({}, {c = "a"}))', '["c"]'),
    ('chunklist(["b", "a", "d", "c", "d"], 3)', '[["b", "a", "d"], ["c", "d"]]'),
    ('slice(["b", "a", "c", "d"], 3, 4)', '["d"]'),
    ('element(["a", "b"], 4)', '"a"'),
    ('distinct(["a", "c", "d"])', '["a", "c", "d"]'),
    ('sort(["b", "b"])', '["b", "b"]'),
    ("reverse([-2, 4, 0, 8])", "[8, 0, 4, -2]"),
    ('flatten([[], [["b", "c", "a"]], [8, 0, -3]])', '["b", "c", "a", 8, 0, -3]'),
    ('setproduct(["b", "c", "c"], [])', "[]"),
    ('setunion([], ["c", "d", "a"])', '["a", "c", "d"]'),
    ('setintersection(["b", "a"], ["b", "a", "a"])', '["a", "b"]'),
    ('contains(["d", "c", "a", "d", "b"], "a")', "true"),
    ('compact(["a", "c"])', '["a", "c"]'),
    ('concat(["b"], [4, 7])', '["b", 4, 7]'),
    ('coalescelist(["c"], [])', '["c"]'),
    ("range(-4, 3)", "[-4, -3, -2, -1, 0, 1, 2]"),
    (
        "range(3, -5, 1)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    ("zipmap([], [])", "{}"),
    ('merge({b = 6}, {c = "a", a = "ab"})', '{"a": "ab", "b": 6, "c": "a"}'),
    ('keys(merge({b = 6}, {c = "a", a = "ab"}))', '["a", "b", "c"]'),
    ("values({b = 6})", "[6]"),
    ('lookup({b = 6}, "a", 0)', "0"),
    ('chunklist(["b", "c", "b"], 2)', '[["b", "c"], ["b"]]'),
    ('slice(["b", "b", "a", "c"], 0, 2)', '["b", "b"]'),
    ('element(["b", "d"], 6)', '"b"'),
    ('distinct(["a", "c", "c"])', '["a", "c"]'),
    ('sort(["b", "d", "d"])', '["b", "d", "d"]'),
    ("reverse([4])", "[4]"),
    ('flatten([[], [["b", "d", "d", "a", "a"]], [3]])', '["b", "d", "d", "a", "a", 3]'),
    ('setproduct(["a", "b", "a"], [])', "[]"),
    ('setunion(["b", "d", "c", "d"], ["b", "b", "c"])', '["b", "c", "d"]'),
    ('setintersection(["c"], ["c", "b", "c", "c"])', '["c"]'),
    ('contains(["a"], "a")', "true"),
    ('compact(["d", "d", "c", "b"])', '["d", "d", "c", "b"]'),
    ('concat(["b"], [3, -3, -2])', '["b", 3, -3, -2]'),
    ('coalescelist([], ["a", "c", "b"])', '["a", "c", "b"]'),
    ("range(0, 2)", "[0, 1]"),
    (
        "range(5, 2, 0.5)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    (
        'zipmap(["a", "d", "b", "c"], [])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (4) does not match number of values (0).'
        ),
    ),
    ('merge({b = 0}, {c = "ab", a = "b"})', '{"a": "b", "b": 0, "c": "ab"}'),
    ('keys(merge({b = 0}, {c = "ab", a = "b"}))', '["a", "b", "c"]'),
    ("values({b = 0})", "[0]"),
    ('lookup({b = 0}, "a", 0)', "0"),
    ('chunklist(["d", "d", "d", "d"], 0)', '[["d", "d", "d", "d"]]'),
    ('slice(["d", "c", "a", "b"], 1, 4)', '["c", "a", "b"]'),
    ('element(["c", "a", "a"], 1)', '"a"'),
    ('distinct(["d", "c"])', '["d", "c"]'),
    ("sort([])", "[]"),
    ("reverse([8, 0])", "[0, 8]"),
    ("flatten([[], [[]], []])", "[]"),
    (
        'setproduct(["c", "c", "b"], [5, -2, -2])',
        '[["c", 5], ["c", -2], ["c", -2], ["c", 5], ["c", -2], ["c", -2], ["b", 5], ["b", -2], ["b", -2]]',
    ),
    ('setunion(["c"], ["d", "d", "a", "d"])', '["a", "c", "d"]'),
    ('setintersection(["b", "b", "c"], ["c", "a", "c"])', '["c"]'),
    ('concat(["c", "a"], [-2])', '["c", "a", -2]'),
    ('coalescelist(["b"], ["a"])', '["b"]'),
    ("range(4, 4)", "[]"),
    ("range(5, 5, 0.5)", "[]"),
    ('zipmap(["d", "a", "b"], [5, 6, 0])', '{"a": 6, "b": 0, "d": 5}'),
    ('merge({b = 1, c = 9}, {a = "a", b = "a"})', '{"a": "a", "b": "a", "c": 9}'),
    ('keys(merge({b = 1, c = 9}, {a = "a", b = "a"}))', '["a", "b", "c"]'),
    ("values({b = 1, c = 9})", "[1, 9]"),
    ('lookup({b = 1, c = 9}, "a", 0)', "0"),
    ("chunklist([], 2)", "[]"),
    ('slice(["b", "d", "b", "c"], 4, 4)', "[]"),
    ('element(["c"], 1)', '"c"'),
    ("distinct([])", "[]"),
    ('sort(["b", "a", "c"])', '["a", "b", "c"]'),
    ('flatten([["d", "b", "d", "a", "a"], [["b"]], []])', '["d", "b", "d", "a", "a", "b"]'),
    ('setproduct(["c"], [2])', '[["c", 2]]'),
    ('setunion(["a", "d", "c", "b"], ["a", "c", "a", "a", "b"])', '["a", "b", "c", "d"]'),
    ('setintersection(["c"], ["b", "d"])', "[]"),
    ('contains(["a", "b", "d", "d", "d"], "a")', "true"),
    ("concat([], [2, -1, 7, -3])", "[2, -1, 7, -3]"),
    ('coalescelist(["d"], ["a", "d"])', '["d"]'),
    ("range(-1, -5)", "[-1, -2, -3, -4]"),
    (
        "range(-4, 2, -1)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be less than start when step is negative.'
        ),
    ),
    (
        'zipmap(["c"], [-1, 1, 4])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (1) does not match number of values (3).'
        ),
    ),
    ('chunklist(["d", "c"], 0)', '[["d", "c"]]'),
    ('slice(["a", "b", "d", "b"], 3, 4)', '["b"]'),
    ('element(["a", "b", "c"], 1)', '"b"'),
    ('distinct(["d", "d", "b", "d"])', '["d", "b"]'),
    ('sort(["a"])', '["a"]'),
    ("reverse([2, -1, 9])", "[9, -1, 2]"),
    ("flatten([[], [[]], [2]])", "[2]"),
    ('setproduct(["a"], [5, 4])', '[["a", 5], ["a", 4]]'),
    ('setunion(["a", "a", "b"], ["d"])', '["a", "b", "d"]'),
    ('setintersection([], ["a", "c", "d"])', "[]"),
    ('contains(["a", "a", "b", "d"], "a")', "true"),
    ('compact(["d", "a", "b", "a"])', '["d", "a", "b", "a"]'),
    ('concat(["d", "d", "d"], [])', '["d", "d", "d"]'),
    ('coalescelist([], ["b", "c"])', '["b", "c"]'),
    ("range(-2, 1)", "[-2, -1, 0]"),
    ("range(-4, 0, 2)", "[-4, -2]"),
    (
        'zipmap(["d", "a", "b"], [4])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (3) does not match number of values (1).'
        ),
    ),
    ('merge({b = 1, a = 2}, {a = "a", c = "b", b = "a"})', '{"a": "a", "b": "a", "c": "b"}'),
    ('keys(merge({b = 1, a = 2}, {a = "a", c = "b", b = "a"}))', '["a", "b", "c"]'),
    ("values({b = 1, a = 2})", "[2, 1]"),
    ('lookup({b = 1, a = 2}, "a", 0)', "2"),
    ('chunklist(["a"], 3)', '[["a"]]'),
    ('slice(["d", "b", "d", "b"], 2, 4)', '["d", "b"]'),
    ('element(["c"], 9)', '"c"'),
    ("reverse([9])", "[9]"),
    (
        'flatten([["a", "c", "b"], [["c", "c", "b", "b", "c"]], [8, 5, -2, 1]])',
        '["a", "c", "b", "c", "c", "b", "b", "c", 8, 5, -2, 1]',
    ),
    ('setproduct(["a"], [3, 2, 1, 2, 4])', '[["a", 3], ["a", 2], ["a", 1], ["a", 2], ["a", 4]]'),
    ('setunion(["d", "b", "b", "c"], [])', '["b", "c", "d"]'),
    ('setintersection(["a", "d", "b", "b"], ["a", "a", "a"])', '["a"]'),
    ('contains(["d"], "a")', "false"),
    ('compact(["b"])', '["b"]'),
    ('concat(["a", "b"], [])', '["a", "b"]'),
    ("range(3, -1)", "[3, 2, 1, 0]"),
    ("range(2, 2, 1)", "[]"),
    (
        "zipmap([], [6, 5])",
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (0) does not match number of values (2).'
        ),
    ),
    ('merge({c = 6, b = 4}, {c = "ab"})', '{"b": 4, "c": "ab"}'),
    ('keys(merge({c = 6, b = 4}, {c = "ab"}))', '["b", "c"]'),
    ("values({c = 6, b = 4})", "[4, 6]"),
    ('lookup({c = 6, b = 4}, "a", 0)', "0"),
    ("chunklist([], 3)", "[]"),
    ('slice(["d", "a", "c", "c"], 0, 1)', '["d"]'),
    ('element(["b", "d", "c", "a"], 7)', '"a"'),
    ('sort(["b", "d", "a", "a"])', '["a", "a", "b", "d"]'),
    ("reverse([-2, -2, 2, -1, 2])", "[2, -1, 2, -2, -2]"),
    ('flatten([["c", "c"], [["b", "a", "c"]], [-3, 7]])', '["c", "c", "b", "a", "c", -3, 7]'),
    (
        'setproduct(["d", "b"], [9, 0, 8, 1, 6])',
        '[["d", 9], ["d", 0], ["d", 8], ["d", 1], ["d", 6], ["b", 9], ["b", 0], ["b", 8], ["b", 1], ["b", 6]]',
    ),
    ('setunion(["b", "b", "a"], ["c", "a", "a", "d", "a"])', '["a", "b", "c", "d"]'),
    ('setintersection(["d", "a", "a", "d", "a"], ["d", "b", "a"])', '["a", "d"]'),
    ('contains(["a", "a", "a", "a", "d"], "a")', "true"),
    ("concat([], [9, 1, 1])", "[9, 1, 1]"),
    ('coalescelist(["c"], ["a", "c"])', '["c"]'),
    ("range(2, 2, -2)", "[]"),
    (
        'zipmap(["b"], [2, 6])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (1) does not match number of values (2).'
        ),
    ),
    ('merge({b = 1}, {b = "a"})', '{"b": "a"}'),
    ('keys(merge({b = 1}, {b = "a"}))', '["b"]'),
    ("values({b = 1})", "[1]"),
    ('lookup({b = 1}, "a", 0)', "0"),
    ('chunklist(["d", "d", "d", "b", "b"], 1)', '[["d"], ["d"], ["d"], ["b"], ["b"]]'),
    ('slice(["d", "c", "a", "b"], 1, 3)', '["c", "a"]'),
    ('element(["c", "d", "b", "b"], 2)', '"b"'),
    ('distinct(["c", "c", "c"])', '["c"]'),
    ('sort(["a", "b", "c", "d"])', '["a", "b", "c", "d"]'),
    ("reverse([5, 1])", "[1, 5]"),
    (
        'flatten([["a", "a", "a"], [["a", "a"]], [1, 9, 6, -1, -3]])',
        '["a", "a", "a", "a", "a", 1, 9, 6, -1, -3]',
    ),
    (
        'setproduct(["d", "b", "c"], [9, 1, -2, 3, 2])',
        '[["d", 9], ["d", 1], ["d", -2], ["d", 3], ["d", 2], ["b", 9], ["b", 1], ["b", -2], ["b", 3], ["b", 2], ["c", 9], ["c", 1], ["c", -2], ["c", 3], ["c", 2]]',
    ),
    ('setunion([], ["a", "c"])', '["a", "c"]'),
    ('setintersection(["c", "d", "d", "a", "a"], ["a", "b"])', '["a"]'),
    ('contains([], "a")', "false"),
    ('concat(["d", "a", "d", "d", "a"], [3])', '["d", "a", "d", "d", "a", 3]'),
    ('coalescelist([], ["c", "a", "c", "c"])', '["c", "a", "c", "c"]'),
    ("range(-4, 2)", "[-4, -3, -2, -1, 0, 1]"),
    (
        "range(1, -4, 2)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    (
        'zipmap(["a"], [5, -2, -2, 7])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (1) does not match number of values (4).'
        ),
    ),
    ('merge({b = 4, a = 8, c = 7}, {a = "b", c = "ab", b = "ab"})', '{"a": "b", "b": "ab", "c": "ab"}'),
    ('keys(merge({b = 4, a = 8, c = 7}, {a = "b", c = "ab", b = "ab"}))', '["a", "b", "c"]'),
    ("values({b = 4, a = 8, c = 7})", "[8, 4, 7]"),
    ('lookup({b = 4, a = 8, c = 7}, "a", 0)', "8"),
    ('chunklist(["b"], 2)', '[["b"]]'),
    ('slice(["b", "c", "a", "d"], 0, 4)', '["b", "c", "a", "d"]'),
    ('element(["d", "c", "c"], 2)', '"c"'),
    ('distinct(["c", "d", "d", "d", "a"])', '["c", "d", "a"]'),
    ('sort(["b"])', '["b"]'),
    ("reverse([8, 8, 9])", "[9, 8, 8]"),
    ('flatten([[], [["b", "b", "b"]], [7]])', '["b", "b", "b", 7]'),
    ('setproduct(["d"], [6, 4])', '[["d", 6], ["d", 4]]'),
    ('setunion(["b", "d", "a", "c", "c"], ["c", "a", "a", "b", "a"])', '["a", "b", "c", "d"]'),
    ('setintersection(["d", "d"], ["c", "c", "a", "c"])', "[]"),
    ('compact(["d", "c"])', '["d", "c"]'),
    ('concat(["c"], [0, 9, 8, -3, -3])', '["c", 0, 9, 8, -3, -3]'),
    ('coalescelist(["b"], ["d", "c"])', '["b"]'),
    ("range(1, 4)", "[1, 2, 3]"),
    ("range(5, 2, -1)", "[5, 4, 3]"),
    ('zipmap(["c", "d", "a", "b"], [4, 7, -3, 5])', '{"a": -3, "b": 5, "c": 4, "d": 7}'),
    ('merge({b = 3, c = 8, a = 0}, {a = "a", c = "ab", b = "a"})', '{"a": "a", "b": "a", "c": "ab"}'),
    ('keys(merge({b = 3, c = 8, a = 0}, {a = "a", c = "ab", b = "a"}))', '["a", "b", "c"]'),
    ("values({b = 3, c = 8, a = 0})", "[0, 3, 8]"),
    ('lookup({b = 3, c = 8, a = 0}, "a", 0)', "0"),
    ('chunklist(["d", "a", "d", "d", "b"], 2)', '[["d", "a"], ["d", "d"], ["b"]]'),
    ('slice(["b", "a", "c", "d"], 0, 1)', '["b"]'),
    ('element(["b", "a", "c"], 8)', '"c"'),
    ('distinct(["d", "a", "c", "a"])', '["d", "a", "c"]'),
    ('sort(["d"])', '["d"]'),
    ("reverse([])", "[]"),
    ('flatten([["a", "b", "b"], [[]], [4]])', '["a", "b", "b", 4]'),
    ('setproduct(["d", "d"], [5, -2])', '[["d", 5], ["d", -2], ["d", 5], ["d", -2]]'),
    ('setunion([], ["d", "b", "a", "d", "b"])', '["a", "b", "d"]'),
    ('setintersection([], ["c", "b", "a", "c", "a"])', "[]"),
    ('contains(["b"], "a")', "false"),
    ('compact(["a", "a", "d"])', '["a", "a", "d"]'),
    ("concat([], [0, 8])", "[0, 8]"),
    ('coalescelist(["d"], ["a"])', '["d"]'),
    ("range(1, -2)", "[1, 0, -1]"),
    ("range(-2, -3, -2)", "[-2]"),
    (
        'zipmap(["b", "d", "a"], [4, 5])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (3) does not match number of values (2).'
        ),
    ),
    ("merge({c = 4}, {})", '{"c": 4}'),
    ("keys(merge({c = 4}, {}))", '["c"]'),
    ("values({c = 4})", "[4]"),
    ('lookup({c = 4}, "a", 0)', "0"),
    ('chunklist(["d"], 3)', '[["d"]]'),
    ('slice(["b", "b", "c", "c"], 3, 4)', '["c"]'),
    ('element(["b"], 8)', '"b"'),
    ('distinct(["c"])', '["c"]'),
    ('sort(["a", "d", "c", "b", "c"])', '["a", "b", "c", "c", "d"]'),
    ("reverse([-3])", "[-3]"),
    (
        'flatten([["b", "d", "a", "a"], [["d", "c", "a", "d", "b"]], [-3, -3]])',
        '["b", "d", "a", "a", "d", "c", "a", "d", "b", -3, -3]',
    ),
    (
        'setproduct(["c", "d", "c"], [4, 2, 6, 5])',
        '[["c", 4], ["c", 2], ["c", 6], ["c", 5], ["d", 4], ["d", 2], ["d", 6], ["d", 5], ["c", 4], ["c", 2], ["c", 6], ["c", 5]]',
    ),
    ('setunion(["b", "d", "d"], ["d", "a", "b", "d"])', '["a", "b", "d"]'),
    ('setintersection(["a", "a"], ["d", "b", "a", "c"])', '["a"]'),
    ('concat(["c", "d", "b", "c", "c"], [])', '["c", "d", "b", "c", "c"]'),
    ('coalescelist(["a"], ["a", "a", "a", "d"])', '["a"]'),
    ("range(3, 2)", "[3]"),
    (
        "range(-2, 2, -1)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be less than start when step is negative.'
        ),
    ),
    (
        'zipmap(["d"], [6, 4])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (1) does not match number of values (2).'
        ),
    ),
    ('merge({}, {b = "a"})', '{"b": "a"}'),
    ('keys(merge({}, {b = "a"}))', '["b"]'),
    ('chunklist(["c", "a", "d", "c"], 3)', '[["c", "a", "d"], ["c"]]'),
    ('slice(["c", "d", "a", "c"], 0, 1)', '["c"]'),
    ('element(["c", "a"], 7)', '"a"'),
    ('distinct(["a", "d"])', '["a", "d"]'),
    ('sort(["a", "d"])', '["a", "d"]'),
    ("reverse([-3, 6, 0, 1, 1])", "[1, 1, 0, 6, -3]"),
    (
        'flatten([["d", "c"], [["a", "d", "d", "b"]], [8, 3, 3, -2]])',
        '["d", "c", "a", "d", "d", "b", 8, 3, 3, -2]',
    ),
    ('setproduct(["a"], [2, -3, 1])', '[["a", 2], ["a", -3], ["a", 1]]'),
    ('setunion(["d", "a"], ["a"])', '["a", "d"]'),
    ('setintersection(["b", "c", "a"], ["a", "a", "a", "a"])', '["a"]'),
    ('contains(["c", "c"], "a")', "false"),
    ('compact(["b", "a", "d"])', '["b", "a", "d"]'),
    ('concat(["c", "b", "c"], [8, 5, 6, 3])', '["c", "b", "c", 8, 5, 6, 3]'),
    ('coalescelist(["d"], [])', '["d"]'),
    ("range(-3, 0)", "[-3, -2, -1]"),
    (
        "range(2, 0, 0.5)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    ('merge({b = 1, c = 6, a = 6}, {b = "ab", a = "ab", c = "ab"})', '{"a": "ab", "b": "ab", "c": "ab"}'),
    ('keys(merge({b = 1, c = 6, a = 6}, {b = "ab", a = "ab", c = "ab"}))', '["a", "b", "c"]'),
    ("values({b = 1, c = 6, a = 6})", "[6, 1, 6]"),
    ('lookup({b = 1, c = 6, a = 6}, "a", 0)', "6"),
    ('chunklist(["c", "c", "b"], 1)', '[["c"], ["c"], ["b"]]'),
    ('slice(["d", "c", "c", "b"], 0, 3)', '["d", "c", "c"]'),
    ('element(["d", "d"], 1)', '"d"'),
    ('distinct(["d", "a"])', '["d", "a"]'),
    ("reverse([3, 0, 8, 4, 6])", "[6, 4, 8, 0, 3]"),
    ('flatten([["a", "a", "c", "a", "c"], [["c", "b"]], []])', '["a", "a", "c", "a", "c", "c", "b"]'),
    ('setproduct(["b"], [-3, 1, 4])', '[["b", -3], ["b", 1], ["b", 4]]'),
    ('setunion(["b", "a", "b", "c"], ["b", "c"])', '["a", "b", "c"]'),
    ('setintersection(["a", "a", "a"], ["a"])', '["a"]'),
    ('contains(["c", "a", "b", "a", "a"], "a")', "true"),
    ('compact(["c", "c", "c", "d", "b"])', '["c", "c", "c", "d", "b"]'),
    ('concat(["c", "a"], [-1, 0, 8])', '["c", "a", -1, 0, 8]'),
    ('coalescelist(["a"], ["d", "b"])', '["a"]'),
    ("range(-5, 3)", "[-5, -4, -3, -2, -1, 0, 1, 2]"),
    ("range(-2, 1, 0.5)", "[-2, -1.5, -1, -0.5, 0, 0.5]"),
    (
        "zipmap([], [4, -3])",
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (0) does not match number of values (2).'
        ),
    ),
    ("merge({a = 2, b = 1}, {})", '{"a": 2, "b": 1}'),
    ("keys(merge({a = 2, b = 1}, {}))", '["a", "b"]'),
    ("values({a = 2, b = 1})", "[2, 1]"),
    ('lookup({a = 2, b = 1}, "a", 0)', "2"),
    ('chunklist(["c"], 2)', '[["c"]]'),
    ('slice(["d", "a", "a", "c"], 1, 4)', '["a", "a", "c"]'),
    ('element(["c", "c", "c", "b"], 9)', '"c"'),
    ('distinct(["d", "b"])', '["d", "b"]'),
    ('sort(["a", "b", "b", "a", "c"])', '["a", "a", "b", "b", "c"]'),
    ('flatten([["b"], [["d"]], [7, 6, 0, 1, 8]])', '["b", "d", 7, 6, 0, 1, 8]'),
    ('setproduct(["b"], [-2])', '[["b", -2]]'),
    ('setunion(["d", "b", "d", "c"], ["c", "a", "b", "d", "a"])', '["a", "b", "c", "d"]'),
    ('setintersection(["c", "d", "a", "c", "a"], ["b", "b", "c", "d"])', '["c", "d"]'),
    ('contains(["d", "c"], "a")', "false"),
    ('concat(["b", "a", "a"], [-1, 1, 5])', '["b", "a", "a", -1, 1, 5]'),
    ('coalescelist([], ["c"])', '["c"]'),
    ("range(-3, -1)", "[-3, -2]"),
    (
        "range(1, -1, 1)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    (
        'zipmap(["c", "d"], [])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (2) does not match number of values (0).'
        ),
    ),
    ('merge({a = 9}, {b = "b"})', '{"a": 9, "b": "b"}'),
    ('keys(merge({a = 9}, {b = "b"}))', '["a", "b"]'),
    ("values({a = 9})", "[9]"),
    ('lookup({a = 9}, "a", 0)', "9"),
    ('chunklist(["c", "a", "d"], 3)', '[["c", "a", "d"]]'),
    ('slice(["d", "d", "a", "d"], 1, 3)', '["d", "a"]'),
    ('distinct(["c", "c", "b", "c", "d"])', '["c", "b", "d"]'),
    ('sort(["b", "d", "b", "a"])', '["a", "b", "b", "d"]'),
    ("reverse([9, 0])", "[0, 9]"),
    (
        'flatten([["d", "d", "b"], [["d", "d", "d"]], [6, 0, 0, 2, 8]])',
        '["d", "d", "b", "d", "d", "d", 6, 0, 0, 2, 8]',
    ),
    ('setproduct(["b", "b", "a"], [])', "[]"),
    ('setunion(["d", "a", "b"], [])', '["a", "b", "d"]'),
    ('setintersection(["b", "a", "a"], [])', "[]"),
    ('contains(["d", "b", "a"], "a")', "true"),
    ('concat(["d", "c"], [0, -1, 4, 5, 4])', '["d", "c", 0, -1, 4, 5, 4]'),
    ('coalescelist(["a"], ["c", "a", "d", "a"])', '["a"]'),
    ("range(-2, -2)", "[]"),
    ("range(3, -1, -1)", "[3, 2, 1, 0]"),
    (
        'zipmap(["b", "c"], [4])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (2) does not match number of values (1).'
        ),
    ),
    ('merge({}, {b = "b", a = "b", c = "a"})', '{"a": "b", "b": "b", "c": "a"}'),
    ('keys(merge({}, {b = "b", a = "b", c = "a"}))', '["a", "b", "c"]'),
    ('chunklist(["d", "a"], 2)', '[["d", "a"]]'),
    ('slice(["b", "c", "c", "b"], 0, 1)', '["b"]'),
    ('element(["b", "c", "a"], 8)', '"a"'),
    ('distinct(["c", "a", "c"])', '["c", "a"]'),
    ("reverse([7])", "[7]"),
    ("flatten([[], [[]], [1, 9, -1]])", "[1, 9, -1]"),
    ('setproduct(["b", "c", "c"], [-3])', '[["b", -3], ["c", -3], ["c", -3]]'),
    ('setunion(["d", "d", "a"], [])', '["a", "d"]'),
    ('setintersection(["d", "a"], [])', "[]"),
    ('compact(["c", "d"])', '["c", "d"]'),
    ('concat(["b"], [5, 1])', '["b", 5, 1]'),
    ('coalescelist(["a"], ["d", "a", "d"])', '["a"]'),
    ("range(2, -1)", "[2, 1, 0]"),
    ("range(2, -4, -1)", "[2, 1, 0, -1, -2, -3]"),
    ('merge({c = 8}, {c = "ab", a = "ab", b = "b"})', '{"a": "ab", "b": "b", "c": "ab"}'),
    ('keys(merge({c = 8}, {c = "ab", a = "ab", b = "b"}))', '["a", "b", "c"]'),
    ("values({c = 8})", "[8]"),
    ('lookup({c = 8}, "a", 0)', "0"),
    ('chunklist(["b"], 0)', '[["b"]]'),
    ('slice(["d", "d", "a", "d"], 0, 0)', "[]"),
    ('element(["b", "c", "d"], 4)', '"c"'),
    ('distinct(["b"])', '["b"]'),
    ('sort(["d", "c", "a"])', '["a", "c", "d"]'),
    ("reverse([-2, 6])", "[6, -2]"),
    ('flatten([["c", "d", "a", "d"], [[]], [-1, -3, 0, 3, 5]])', '["c", "d", "a", "d", -1, -3, 0, 3, 5]'),
    ('setproduct(["b", "b", "c"], [7])', '[["b", 7], ["b", 7], ["c", 7]]'),
    ('setunion([], ["d", "b", "b", "d"])', '["b", "d"]'),
    ('setintersection(["d", "b", "d", "b", "c"], ["a", "d", "c"])', '["c", "d"]'),
    ('compact(["c", "c", "b"])', '["c", "c", "b"]'),
    ("concat([], [1, 7, 7, 2])", "[1, 7, 7, 2]"),
    ('coalescelist(["a"], ["c", "c", "c", "b", "b"])', '["a"]'),
    ("range(1, 3)", "[1, 2]"),
    (
        "range(1, 0, 0.5)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be greater than start when step is positive.'
        ),
    ),
    (
        'zipmap(["d", "b"], [6])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (2) does not match number of values (1).'
        ),
    ),
    ('merge({c = 0}, {a = "a", c = "ab"})', '{"a": "a", "c": "ab"}'),
    ('keys(merge({c = 0}, {a = "a", c = "ab"}))', '["a", "c"]'),
    ("values({c = 0})", "[0]"),
    ('lookup({c = 0}, "a", 0)', "0"),
    ('chunklist(["d", "a", "d"], 1)', '[["d"], ["a"], ["d"]]'),
    ('slice(["d", "a", "a", "d"], 1, 2)', '["a"]'),
    ('element(["b", "c", "b"], 6)', '"b"'),
    ('distinct(["c", "c"])', '["c"]'),
    ('sort(["c", "b", "b"])', '["b", "b", "c"]'),
    (
        'flatten([["c", "b", "a"], [["d", "c", "c", "a", "c"]], [6]])',
        '["c", "b", "a", "d", "c", "c", "a", "c", 6]',
    ),
    ('setproduct(["d", "b"], [0, 3, 4])', '[["d", 0], ["d", 3], ["d", 4], ["b", 0], ["b", 3], ["b", 4]]'),
    ('setunion(["a", "b"], [])', '["a", "b"]'),
    ('setintersection(["b", "a", "c"], ["c", "a", "a", "c", "d"])', '["a", "c"]'),
    ('contains(["a", "b", "b", "c", "c"], "a")', "true"),
    ('compact(["b", "d", "b", "b", "d"])', '["b", "d", "b", "b", "d"]'),
    ('concat(["d", "d"], [8, 1])', '["d", "d", 8, 1]'),
    ("range(-1, 5)", "[-1, 0, 1, 2, 3, 4]"),
    ("range(1, 2, 0.5)", "[1, 1.5]"),
    (
        'zipmap(["b", "d", "a", "c"], [])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (4) does not match number of values (0).'
        ),
    ),
    ('merge({}, {c = "a", a = "b", b = "b"})', '{"a": "b", "b": "b", "c": "a"}'),
    ('keys(merge({}, {c = "a", a = "b", b = "b"}))', '["a", "b", "c"]'),
    ('slice(["c", "c", "a", "b"], 2, 4)', '["a", "b"]'),
    ('element(["d"], 2)', '"d"'),
    ('distinct(["a", "c", "c", "b", "b"])', '["a", "c", "b"]'),
    ("reverse([-2, -1, 4])", "[4, -1, -2]"),
    ('flatten([[], [["d"]], [-2, 1, 8, -3, -2]])', '["d", -2, 1, 8, -3, -2]'),
    (
        'setproduct(["b", "b", "d"], [6, 4, 1, -2])',
        '[["b", 6], ["b", 4], ["b", 1], ["b", -2], ["b", 6], ["b", 4], ["b", 1], ["b", -2], ["d", 6], ["d", 4], ["d", 1], ["d", -2]]',
    ),
    ('setunion(["b"], ["d", "c", "d", "a"])', '["a", "b", "c", "d"]'),
    ('setintersection(["b", "d", "c", "b", "a"], ["a", "d", "b"])', '["a", "b", "d"]'),
    ('contains(["d", "d"], "a")', "false"),
    ('compact(["d", "b", "c"])', '["d", "b", "c"]'),
    ('concat(["d", "d"], [])', '["d", "d"]'),
    ('coalescelist([], ["a", "b", "d", "b"])', '["a", "b", "d", "b"]'),
    ("range(0, 0)", "[]"),
    ("range(5, 5, -2)", "[]"),
    (
        "zipmap([], [1, 3])",
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (0) does not match number of values (2).'
        ),
    ),
    ("chunklist([], 0)", "[]"),
    ('slice(["b", "a", "b", "d"], 0, 4)', '["b", "a", "b", "d"]'),
    ('element(["c", "d", "b", "c"], 3)', '"c"'),
    ('sort(["c", "c", "a", "d", "d"])', '["a", "c", "c", "d", "d"]'),
    ("reverse([6])", "[6]"),
    ('flatten([["b", "b"], [[]], [4]])', '["b", "b", 4]'),
    (
        'setproduct(["b", "a", "a"], [2, 9, 1, 4, 4])',
        '[["b", 2], ["b", 9], ["b", 1], ["b", 4], ["b", 4], ["a", 2], ["a", 9], ["a", 1], ["a", 4], ["a", 4], ["a", 2], ["a", 9], ["a", 1], ["a", 4], ["a", 4]]',
    ),
    ('setunion(["a", "d", "a"], ["c", "b", "a", "a", "a"])', '["a", "b", "c", "d"]'),
    ('setintersection(["c", "a", "a", "d"], [])', "[]"),
    ('contains(["b", "d", "a", "b"], "a")', "true"),
    ('compact(["c", "a", "a"])', '["c", "a", "a"]'),
    ("concat([], [0, 4, 2, 1, 0])", "[0, 4, 2, 1, 0]"),
    ('coalescelist(["d"], ["b", "b", "b", "b"])', '["d"]'),
    ("range(-2, -4)", "[-2, -3]"),
    ("range(4, 1, -2)", "[4, 2]"),
    (
        "zipmap([], [1, 6, 4, 0, -3])",
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (0) does not match number of values (5).'
        ),
    ),
    ('merge({a = 8}, {a = "b", c = "a", b = "b"})', '{"a": "b", "b": "b", "c": "a"}'),
    ('keys(merge({a = 8}, {a = "b", c = "a", b = "b"}))', '["a", "b", "c"]'),
    ("values({a = 8})", "[8]"),
    ('lookup({a = 8}, "a", 0)', "8"),
    ('chunklist(["a", "c", "c", "b"], 2)', '[["a", "c"], ["c", "b"]]'),
    ('slice(["b", "d", "b", "d"], 2, 4)', '["b", "d"]'),
    ('element(["c", "a"], 2)', '"c"'),
    ('distinct(["c", "c", "b", "a", "d"])', '["c", "b", "a", "d"]'),
    ('flatten([["b", "c", "c", "c"], [[]], [0, 7, 4]])', '["b", "c", "c", "c", 0, 7, 4]'),
    ('setproduct(["d"], [5])', '[["d", 5]]'),
    ('setunion(["c"], ["c", "b", "d", "a", "a"])', '["a", "b", "c", "d"]'),
    ('setintersection(["c", "d"], ["c"])', '["c"]'),
    ('compact(["a", "d", "c", "a"])', '["a", "d", "c", "a"]'),
    ('concat(["d", "d"], [9, 5, -2])', '["d", "d", 9, 5, -2]'),
    ('coalescelist(["d"], ["d"])', '["d"]'),
    (
        "range(-4, 0, -1)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be less than start when step is negative.'
        ),
    ),
    (
        'zipmap(["c", "d", "b"], [-2])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (3) does not match number of values (1).'
        ),
    ),
    ('merge({a = 2, b = 1}, {a = "a"})', '{"a": "a", "b": 1}'),
    ('keys(merge({a = 2, b = 1}, {a = "a"}))', '["a", "b"]'),
    ('chunklist(["a", "b"], 2)', '[["a", "b"]]'),
    ('slice(["d", "a", "d", "c"], 2, 4)', '["d", "c"]'),
    ('element(["d", "d", "b", "a"], 2)', '"b"'),
    ("reverse([3, -1])", "[-1, 3]"),
    (
        'flatten([["c", "d", "d"], [["b", "c", "c", "a"]], [2, -1, 7, 3]])',
        '["c", "d", "d", "b", "c", "c", "a", 2, -1, 7, 3]',
    ),
    ('setproduct(["d"], [])', "[]"),
    ('setunion(["c", "b", "a", "d"], ["b", "a", "d", "d"])', '["a", "b", "c", "d"]'),
    ('setintersection([], ["c", "c", "b", "b", "d"])', "[]"),
    ('contains(["a", "c", "b", "d"], "a")', "true"),
    ('concat(["c", "c", "b"], [7, 1, 0, 7])', '["c", "c", "b", 7, 1, 0, 7]'),
    ("range(5, -3)", "[5, 4, 3, 2, 1, 0, -1, -2]"),
    (
        "range(-1, 1, -2)",
        Error(
            'Invalid function argument: Invalid value for "params" parameter: end must be less than start when step is negative.'
        ),
    ),
    (
        'zipmap(["b", "a", "d"], [-3, -1, -1, 8])',
        Error(
            'Error in function call: Call to function "zipmap" failed: number of keys (3) does not match number of values (4).'
        ),
    ),
    ('merge({c = 0, a = 4}, {c = "b"})', '{"a": 4, "c": "b"}'),
    ('keys(merge({c = 0, a = 4}, {c = "b"}))', '["a", "c"]'),
    ("values({c = 0, a = 4})", "[4, 0]"),
    ('lookup({c = 0, a = 4}, "a", 0)', "4"),
    (
        'jsondecode("[1e400, 12345678901234567890123, 0.1, -0, 1E2, 1.50]")',
        "[10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, 12345678901234567890123, 0.1, 0, 100, 1.5]",
    ),
    ('jsondecode("{\\"b\\": 1, \\"a\\": 2, \\"a\\": 3}")', '{"a": 3, "b": 1}'),
    ('jsondecode("\\"\\\\u00e9\\\\ud83d\\\\ude00\\"")', '"é😀"'),
    ('jsondecode(" [ ] ")', "[]"),
    (
        'jsondecode("[1] x")',
        Error(
            'Error in function call: Call to function "jsondecode" failed: extraneous data after JSON object.'
        ),
    ),
    ('jsondecode("{}")', "{}"),
    (
        "jsonencode([1e100, 0.000001, 123456789012345678901234567890])",
        '"[10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000,0.000001,123456789012345678901234567890]"',
    ),
    ('jsonencode({"<>&" = "\\u2028"})', '"{\\"\\\\u003c\\\\u003e\\\\u0026\\":\\"\\\\u2028\\"}"'),
    ('jsonencode("\\u0000\\u001f")', '"\\"\\\\u0000\\\\u001f\\""'),
    (
        'urlencode("ü/?#[]@!$&\'()*+,;= ~-._")',
        '"%C3%BC%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D+~-._"',
    ),
    ('base64encode("\\u0000\\u00ff")', '"AMO/"'),
    ('csvdecode("a,b\\r\\n1,2\\r\\n")', '[{"a": "1", "b": "2"}]'),
    ('csvdecode("a,b\\n\\n1,2\\n")', '[{"a": "1", "b": "2"}]'),
    ('csvdecode("a,b\\n1,\\"x\\"\\"y\\"\\n")', '[{"a": "1", "b": "x\\"y"}]'),
    ('csvdecode("a\\n")', "[]"),
    (
        'yamlencode(jsondecode("[1e400]"))',
        '"- 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\\n"',
    ),
    ('format("%v", 1e400)', '"1e+400"'),
    ('format("%.3e", 12345678901234567890123)', '"1.235e+22"'),
    (
        "sha256(jsonencode({a = [1, 2]}))",
        '"01530d164d479cf08e26d3b1ad9bdba927120d97e2d057a6d792db778780d720"',
    ),
]


# No row reads files, so one table serves every case.
FUNCTIONS = packer_functions(Path("."))


def _evaluate(expression: str) -> str | Error:
    expr, diagnostics = parse_expression(f"jsonencode({expression})".encode(), "<console-input>")
    assert not diagnostics.has_errors(), [d.summary for d in diagnostics]
    value, diagnostics = evaluate(expr, EvalContext({}, FUNCTIONS))
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        return Error(" | ".join(f"{d.summary}: {d.detail}" for d in errors))
    return value.as_str()


@pytest.mark.parametrize(("expression", "expected"), ROWS, ids=[row[0] for row in ROWS])
def test_console_expression(expression: str, expected: str | Error) -> None:
    result = _evaluate(expression)
    if isinstance(expected, Error):
        assert result == expected
    else:
        assert isinstance(result, str), result
        assert json.loads(result) == json.loads(expected)
