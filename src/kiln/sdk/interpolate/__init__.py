"""Packer's interpolation language for legacy JSON templates and component options."""
