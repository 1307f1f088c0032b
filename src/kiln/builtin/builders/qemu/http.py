"""The HTTP server guests fetch `http_directory` or `http_content` from during boot.

It listens on 127.0.0.1 by default: QEMU's user-mode network delivers the guest's requests
to 10.0.2.2 from the host's loopback, so the files are not exposed to other hosts.
"""

from __future__ import annotations

import difflib
import functools
import http.server
import logging
import posixpath
import random
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        log.debug("http: " + format, *args)


def _content_handler(content: dict[str, str]) -> type[http.server.BaseHTTPRequestHandler]:
    files = {posixpath.normpath("/" + path.lstrip("/")): text.encode() for path, text in content.items()}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = posixpath.normpath(self.path.split("?", 1)[0])
            body = files.get(path)
            if body is None:
                close = difflib.get_close_matches(path, list(files), n=1)
                hint = f' Did you mean "{close[0]}"?' if close else ""
                self.send_error(404, f"{path} not found.{hint}")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            log.debug("http: " + format, *args)

    return Handler


class HTTPServer:
    """A threaded server on a free port in [port_min, port_max]; `close` stops it."""

    def __init__(
        self, directory: str, content: dict[str, str], bind: str, port_min: int, port_max: int
    ) -> None:
        if directory:
            handler: type[http.server.BaseHTTPRequestHandler] = functools.partial(  # type: ignore[assignment]
                _QuietHandler, directory=str(Path(directory).absolute())
            )
        else:
            handler = _content_handler(content)
        self.server = _bind_free(bind, port_min, port_max, handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="kiln-http", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _bind_free(bind: str, port_min: int, port_max: int, handler: type) -> http.server.ThreadingHTTPServer:
    ports = list(range(port_min, port_max + 1))
    random.shuffle(ports)
    for port in ports:
        try:
            return http.server.ThreadingHTTPServer((bind, port), handler)
        except OSError:
            continue
    raise OSError(f"No free port for the HTTP server between {port_min} and {port_max}")
