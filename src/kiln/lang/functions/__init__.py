"""The HCL function library: the functions Packer 1.16 offers in templates.

`packer_functions(base_dir)` returns all 103 functions by name, with `file`, `fileexists`,
`fileset` and `templatefile` resolving relative paths against `base_dir` (path.root).
A variable's default may call `env` and nothing else, which `variable_default_functions`
returns.

    functions = packer_functions(Path("images"))
    functions["upper"].call([string_val("web")])  # string "WEB"

The families live in their own modules: `numeric`, `strings`, `collection`, `encoding` (with
`yaml`), `filesystem`, `template`, `crypto` (with the UUID functions), `dates`, `network`,
`conversion` (`can`, `try`, `convert`) and `secrets` (Packer's secret stores and `env`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from kiln.lang.function import Function

__all__ = ["packer_functions", "variable_default_functions"]

# Functions whose unknown results carry no not-null refinement: go-cty-funcs' ports of
# Terraform's functions declare none, and the others here may return null.
_UNREFINED = frozenset(
    {
        "abspath",
        "base64decode",
        "base64encode",
        "base64gzip",
        "basename",
        "bcrypt",
        "can",
        "cidrhost",
        "cidrnetmask",
        "cidrsubnet",
        "cidrsubnets",
        "coalesce",
        "convert",
        "dirname",
        "element",
        "file",
        "fileexists",
        "fileset",
        "jsondecode",
        "lookup",
        "md5",
        "pathexpand",
        "rsadecrypt",
        "sha1",
        "sha256",
        "sha512",
        "try",
        "urlencode",
        "uuidv4",
        "uuidv5",
        "yamldecode",
    }
)


def packer_functions(base_dir: Path | str = ".") -> dict[str, Function]:
    """Return every function Packer registers for HCL templates, keyed by name."""
    return dict(_packer_functions(Path(base_dir)))


@functools.cache
def _packer_functions(base: Path) -> dict[str, Function]:
    # Built once per folder: a template evaluates every provisioner block once per source,
    # and the functions keep no state between calls.
    from kiln.lang.functions.collection import collection_functions
    from kiln.lang.functions.conversion import conversion_functions
    from kiln.lang.functions.crypto import crypto_functions
    from kiln.lang.functions.dates import date_functions
    from kiln.lang.functions.encoding import encoding_functions
    from kiln.lang.functions.filesystem import make_filesystem_functions
    from kiln.lang.functions.network import network_functions
    from kiln.lang.functions.numeric import numeric_functions
    from kiln.lang.functions.secrets import secret_functions
    from kiln.lang.functions.strings import string_functions
    from kiln.lang.functions.template import make_templatefile_function

    functions: dict[str, Function] = {
        **numeric_functions(),
        **string_functions(),
        **collection_functions(),
        **encoding_functions(),
        **make_filesystem_functions(base),
        **date_functions(),
        **crypto_functions(),
        **network_functions(),
        **conversion_functions(),
        **secret_functions(),
    }
    functions["templatefile"] = make_templatefile_function(base, lambda: functions)
    for name in _UNREFINED:
        functions[name].refine_result = None
    return dict(sorted(functions.items()))


def variable_default_functions() -> dict[str, Function]:
    """Return the functions a variable's default may call: only `env`, as in Packer."""
    from kiln.lang.functions.secrets import env_function

    return {"env": env_function()}
