"""Secret masking: the one place sensitive values are replaced before any output.

Both Ui renderers and the debug log pass text through the process-wide `SECRETS` filter.
A multi-line secret is masked as a whole and line by line, because command output arrives in
lines and would otherwise leak each line of, say, a private key.
"""

from __future__ import annotations

import logging
import threading

MASK = "<sensitive>"


class SecretFilter:
    """The registered secrets and the replacement of each occurrence with `<sensitive>`."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *values: str) -> None:
        with self._lock:
            for value in values:
                if not value:
                    continue
                self._secrets.add(value)
                for line in value.splitlines():
                    if line.strip():
                        self._secrets.add(line)

    def clear(self) -> None:
        with self._lock:
            self._secrets.clear()

    def mask(self, text: str) -> str:
        if not self._secrets or not text:
            return text
        with self._lock:
            # Longest first, so a whole multi-line secret is replaced before its lines are.
            ordered = sorted(self._secrets, key=len, reverse=True)
        for secret in ordered:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


SECRETS = SecretFilter()


class SecretLogFilter(logging.Filter):
    """A logging filter masking secrets in log records; kiln.cli installs it on its handlers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = SECRETS.mask(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
