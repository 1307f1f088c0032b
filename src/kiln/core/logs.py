"""Filters for the debug log (PACKER_LOG, PACKER_LOG_PATH): secrets masked, Ui echoes dropped on a terminal.

The Ui renderers log every line they show under `kiln.core.ui`, so a log file has the whole
story. When the log goes to standard error next to that output, those echoes are dropped, as
Packer drops its `ui:` log lines there.

    install_log_filters(handler, to_terminal=True)
"""

from __future__ import annotations

import logging

from kiln.core.secrets import SecretLogFilter

UI_LOGGER = "kiln.core.ui"


class UiEchoFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == UI_LOGGER and record.levelno <= logging.DEBUG)


def install_log_filters(handler: logging.Handler, *, to_terminal: bool) -> None:
    """Mask secrets in every record `handler` writes; drop Ui echoes when it writes next to the Ui."""
    handler.addFilter(SecretLogFilter())
    if to_terminal:
        handler.addFilter(UiEchoFilter())
