"""The `kiln` command line: Packer's commands, flags, output and exit statuses.

`main.py` splits the command line as Packer's framework does and imports a command's module
only when it runs. Each command module has `HELP` and `run(name, arguments, output)`; flags
parse as Go's `flag` package parses them (`flags.py`), and `output.py` writes human text or
machine-readable lines. Templates load through `session.py`, which hands kiln.core's
component registry to kiln.template.

Where kiln's output differs from Packer 1.16 on purpose: diagnostics show the numbered source
line and a caret under the problem, where Packer prints "(source code not available)", and
`kiln version` names kiln's own version with the Packer version it follows.
"""
