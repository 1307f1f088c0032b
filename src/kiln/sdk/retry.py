"""Retrying an operation as the packer-plugin-sdk's `retry.Config` does.

The operation is retried after any error `should_retry` accepts (all by default), every
`delay` seconds (2 by default), until it succeeds, `start_timeout` seconds have passed since
the first try, or `tries` attempts were made. Running out of tries raises RetryExhausted,
which keeps the last error; running out of time re-raises the last error itself.

    await retry(lambda: communicator.upload(path, source), start_timeout=300)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_DELAY = 2.0


class RetryExhausted(Exception):
    """Every allowed attempt failed; `last` is the final error."""

    def __init__(self, last: BaseException) -> None:
        self.last = last
        super().__init__(f"retry count exhausted. Last err: {last}")


async def retry(
    attempt: Callable[[], Awaitable[T]],
    *,
    start_timeout: float | None = None,
    tries: int = 0,
    delay: float = DEFAULT_DELAY,
    should_retry: Callable[[Exception], bool] = lambda error: True,
) -> T:
    """Return the result of the first successful `attempt()`; 0 `tries` or no timeout means no limit."""
    started = time.monotonic()
    count = 0
    while True:
        count += 1
        try:
            return await attempt()
        except Exception as error:
            if not should_retry(error):
                raise
            if tries and count >= tries:
                raise RetryExhausted(error) from error
            if start_timeout and time.monotonic() - started >= start_timeout:
                raise
            logger.info("retryable error: %s", error)
            await asyncio.sleep(delay)
