"""Rate limiter keyed by client (API key or IP address)."""

import math
import time

from .bucket import TokenBucket
from .policy import parse_rate


class Decision:
    def __init__(self, allowed, remaining, retry_after):
        self.allowed = allowed
        self.remaining = remaining
        self.retry_after = retry_after

    def headers(self):
        h = {"X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            h["Retry-After"] = str(max(1, math.ceil(self.retry_after)))
        return h


class RateLimiter:
    def __init__(self, rate, burst=None, clock=time.monotonic):
        self.spec = parse_rate(rate) if isinstance(rate, str) else rate
        self.burst = burst or self.spec.requests
        self.clock = clock
        self._buckets = {}

    def _bucket(self, key, now):
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.burst, self.spec.per_second, now)
        return bucket

    def check(self, key):
        now = self.clock()
        bucket = self._bucket(key, now)
        allowed = bucket.try_consume(now)
        retry_after = 0.0 if allowed else bucket.seconds_until(now)
        return Decision(allowed, bucket.available(now), retry_after)
