"""Exponential backoff.

A policy makes at most ``max_attempts`` calls in total. The first retry waits ``base_delay``
seconds and every further retry waits ``multiplier`` times longer than the previous one, never
more than ``max_delay``. A server's Retry-After wins when it asks for a longer wait.
"""

import time

from .errors import RetryExhausted, TransientError


class RetryPolicy:
    def __init__(self, max_attempts=3, base_delay=0.5, multiplier=2.0, max_delay=30.0):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if base_delay < 0 or multiplier < 1:
            raise ValueError("base_delay must be >= 0 and multiplier >= 1")
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.multiplier = multiplier
        self.max_delay = max_delay

    def delay(self, retry):
        """Seconds to wait before retry number ``retry`` (0 for the first retry)."""
        return min(self.max_delay, self.base_delay * self.multiplier ** retry)

    def call(self, fn, sleep=time.sleep):
        """Call ``fn()`` until it returns, retrying on :class:`TransientError`."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return fn()
            except TransientError as exc:
                if attempt >= self.max_attempts:
                    raise RetryExhausted(attempt, exc) from exc
                wait = self.delay(attempt)
                if exc.retry_after is not None:
                    wait = max(wait, exc.retry_after)
                sleep(wait)
