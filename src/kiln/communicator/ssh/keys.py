"""Temporary key pairs for builds that give no SSH credentials."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiln.communicator.config import DEFAULT_KEY_BITS, KeyPairType

_ALGORITHMS = {
    KeyPairType.RSA: "ssh-rsa",
    KeyPairType.ECDSA: "ecdsa-sha2-nistp{bits}",
    KeyPairType.ED25519: "ssh-ed25519",
    KeyPairType.DSA: "ssh-dss",
}


@dataclass
class TemporaryKeyPair:
    """A generated key pair; `private_key_file` exists (mode 0600) until `remove` is called.

    pair = TemporaryKeyPair.generate("ed25519")
    try: ... finally: pair.remove()
    """

    private_key: str  # OpenSSH PEM text
    public_key: str  # one authorized_keys line, ending in a newline
    private_key_file: Path | None = None

    @classmethod
    def generate(cls, key_type: str = "rsa", bits: int = 0, comment: str = "kiln") -> TemporaryKeyPair:
        import asyncssh

        kind = KeyPairType(key_type)
        bits = bits or DEFAULT_KEY_BITS.get(kind, 0)
        algorithm = _ALGORITHMS[kind].format(bits=bits)
        options = {"key_size": bits} if kind in (KeyPairType.RSA, KeyPairType.DSA) else {}
        key = asyncssh.generate_private_key(algorithm, comment=comment, **options)
        private_text = key.export_private_key().decode()
        public_text = key.export_public_key().decode()
        pair = cls(private_key=private_text, public_key=public_text)
        pair.private_key_file = _write_private(private_text)
        return pair

    def remove(self) -> None:
        """Delete the private key file; safe to call more than once."""
        if self.private_key_file is not None:
            self.private_key_file.unlink(missing_ok=True)
            self.private_key_file = None


def _write_private(text: str) -> Path:
    # mkstemp creates the file with mode 0600, so the key is never readable by others.
    descriptor, name = tempfile.mkstemp(prefix="kiln-key-", suffix=".pem")
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    return Path(name)
