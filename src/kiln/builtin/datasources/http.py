"""The `http` data source: fetches a URL and returns the response body and headers.

    data "http" "motd" { url = "https://example.com/motd" }   # data.http.motd.body

A response status outside 200-299 is an error, as in Packer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from kiln.sdk.component import Datasource
from kiln.sdk.config import ConfigProblem, ConfigProblems, option

logger = logging.getLogger(__name__)

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


@dataclass
class HttpDatasourceConfig:
    url: str = option(required=True, doc="The URL to request.")
    method: str = option(
        default="GET", doc="The HTTP method: GET, HEAD, POST, PUT, DELETE, PATCH or OPTIONS."
    )
    request_headers: dict[str, str] = option(default_factory=dict, doc="Headers to send with the request.")
    request_body: str = option(default="", doc="The body to send with the request.")


@dataclass
class HttpDatasourceOutput:
    url: str = ""
    request_headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    response_headers: dict[str, list[str]] = field(default_factory=dict)


class HttpDatasource(Datasource[HttpDatasourceConfig]):
    config_class = HttpDatasourceConfig
    output_class = HttpDatasourceOutput

    def prepare(self, config: HttpDatasourceConfig) -> list[str]:
        problems = []
        if not config.url:
            problems.append(ConfigProblem(("url",), "the `url` must be specified"))
        if (config.method or "GET").upper() not in METHODS:
            problems.append(ConfigProblem(("method",), f"the `method` must be one of {', '.join(METHODS)}"))
        if problems:
            raise ConfigProblems(problems)
        self.config = config
        return []

    async def execute(self) -> HttpDatasourceOutput:
        return await asyncio.to_thread(self._fetch)

    def _fetch(self) -> HttpDatasourceOutput:
        import urllib.error
        import urllib.request

        config = self.config
        data = config.request_body.encode() if config.request_body else None
        request = urllib.request.Request(
            config.url,
            data=data,
            headers=dict(config.request_headers),
            method=(config.method or "GET").upper(),
        )
        logger.info("http data source: %s %s", request.get_method(), config.url)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                headers: dict[str, list[str]] = {}
                for key, value in response.headers.items():
                    headers.setdefault(key, []).append(value)
                status = response.status
        except urllib.error.HTTPError as problem:
            raise RuntimeError(f"HTTP request error. Response code: {problem.code}") from None
        except urllib.error.URLError as problem:
            raise RuntimeError(f"HTTP request error: {problem.reason}") from None
        if not 200 <= status < 300:
            raise RuntimeError(f"HTTP request error. Response code: {status}")
        return HttpDatasourceOutput(
            url=config.url,
            request_headers=dict(config.request_headers),
            body=body.decode("utf-8", errors="replace"),
            response_headers=headers,
        )
