"""kiln builds identical machine images for several platforms from one Packer template.

The packages form layers, each importing only those below it:
``hcl`` (syntax, diagnostics) < ``lang`` (values, functions, evaluation) < ``sdk`` (plug-in
contracts) < ``template`` (Packer configuration) / ``communicator`` / ``builtin`` (components)
< ``core`` (running builds) < ``cli`` (commands). Heavy libraries are imported lazily so that
``import kiln`` and ``kiln --help`` stay fast.
"""

__version__ = "0.1.0"

# The Packer release whose templates, commands and output kiln reproduces.
PACKER_COMPAT_VERSION = "1.16.0"
