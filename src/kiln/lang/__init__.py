"""HCL values, types, functions and expression evaluation, with cty's semantics.

`kiln.lang.types` defines the types, `kiln.lang.values` the values and operations on them,
`kiln.lang.convert` conversion and unification between types, and `kiln.lang.marks` the
marks (such as `SENSITIVE`) that travel with values. This package imports only `kiln.hcl`.
"""
