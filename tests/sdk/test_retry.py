"""retry(): the sdk's retry.Config semantics."""

from __future__ import annotations

import asyncio

import pytest

from kiln.sdk.retry import RetryExhausted, retry


def flaky(failures: int):
    calls = []

    async def attempt():
        calls.append(1)
        if len(calls) <= failures:
            raise OSError(f"failure {len(calls)}")
        return len(calls)

    return attempt, calls


def test_succeeds_after_failures():
    attempt, calls = flaky(2)
    assert asyncio.run(retry(attempt, delay=0)) == 3
    assert len(calls) == 3


def test_tries_exhausted_keeps_last_error():
    attempt, calls = flaky(5)
    with pytest.raises(RetryExhausted, match="retry count exhausted. Last err: failure 2"):
        asyncio.run(retry(attempt, tries=2, delay=0))
    assert len(calls) == 2


def test_start_timeout_reraises_last_error():
    attempt, calls = flaky(100)
    with pytest.raises(OSError, match="failure"):
        asyncio.run(retry(attempt, start_timeout=0.05, delay=0.01))
    assert 2 <= len(calls) <= 10


def test_should_retry_stops_early():
    attempt, calls = flaky(5)
    with pytest.raises(OSError, match="failure 1"):
        asyncio.run(retry(attempt, delay=0, should_retry=lambda error: False))
    assert len(calls) == 1
