"""HCL native syntax: scanner, syntax tree and parser."""
