#!/usr/bin/env python3
"""Print the median seconds kiln takes to parse a generated ~1,000-line Packer template.

The template uses variables, locals, `null` sources and a build with `shell-local`
provisioners, and Packer 1.6.6 `packer validate -syntax-only` accepts it. Only the parse
(`kiln.hcl.parse_config`: scan, parse, token checks) is timed, in this process, after one
warm-up run.

    bench/hcl_parse.py                 # median seconds over 30 runs
    bench/hcl_parse.py --repeats 100
    bench/hcl_parse.py --emit > t.pkr.hcl && packer validate -syntax-only t.pkr.hcl
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from kiln.hcl import parse_config


def generate_template(lines: int = 1000) -> str:
    """Return a valid Packer HCL template of about `lines` lines."""
    out: list[str] = []
    for i in range(40):
        out += [
            f'variable "image_{i}" {{',
            "  type        = string",
            f'  default     = "image-{i}"',
            f'  description = "Name of image {i}, written as $${{var.image_{i}}} in templates"',
            "}",
            "",
        ]
    out += [
        'variable "tags" {',
        "  type = map(string)",
        '  default = { owner = "kiln", team = "build" }',
        "}",
        "",
    ]
    out.append("locals {")
    for i in range(120):
        out.append(f'  name_{i} = "${{var.image_{i % 40}}}-${{upper(var.tags["owner"])}}-{i}"')
    out += ["  sizes = [for n in [1, 2, 3] : n * 1024 if n != 2]", "}", ""]
    for i in range(30):
        out += [f'source "null" "s{i}" {{', '  communicator = "none"', "}", ""]
    out += ["build {", "  sources = ["]
    out += [f'    "source.null.s{i}",' for i in range(30)]
    out += ["  ]", ""]
    index = 0
    while len(out) < lines - 12:
        out += [
            '  provisioner "shell-local" {',
            "    inline = [",
            f'      "echo ${{local.name_{index % 120}}}",',
            f'      "echo step {index} of the build: %{{ if true }}yes%{{ endif }}",',
            "    ]",
            "  }",
            "",
        ]
        index += 1
    out += [
        '  provisioner "shell-local" {',
        "    inline = [<<-EOF",
        "      echo heredoc",
        "      echo ${local.sizes[0]}",
        "    EOF",
        "    ]",
        "  }",
        "}",
    ]
    return "\n".join(out) + "\n"


def measure(source: bytes, repeats: int) -> float:
    parse_config(source, "bench.pkr.hcl")  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        _, diags = parse_config(source, "bench.pkr.hcl")
        times.append(time.perf_counter() - started)
        if diags.has_errors():
            raise SystemExit(f"generated template does not parse: {diags[0].summary}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="number of timed parses (default 30)")
    parser.add_argument("--lines", type=int, default=1000, help="approximate template length in lines")
    parser.add_argument("--emit", action="store_true", help="print the template instead of timing it")
    args = parser.parse_args()

    template = generate_template(args.lines)
    if args.emit:
        sys.stdout.write(template)
        return
    print(f"{measure(template.encode(), args.repeats):.4f}")


if __name__ == "__main__":
    main()
