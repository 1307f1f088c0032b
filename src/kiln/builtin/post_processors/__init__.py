"""Post-processors shipped with kiln: manifest, checksum, compress, shell-local and artifice."""
