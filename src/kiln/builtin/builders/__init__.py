"""Builders shipped with kiln: null, file and qemu."""
