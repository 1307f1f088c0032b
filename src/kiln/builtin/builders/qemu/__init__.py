"""The `qemu` builder (Packer's builder id `transcend.qemu`)."""

from kiln.builtin.builders.qemu.builder import QemuBuilder
from kiln.builtin.builders.qemu.config import QemuConfig

__all__ = ["QemuBuilder", "QemuConfig"]
