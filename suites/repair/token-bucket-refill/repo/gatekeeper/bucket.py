"""Token bucket: holds up to ``capacity`` tokens and gains ``rate`` tokens per second."""


class TokenBucket:
    def __init__(self, capacity, rate, now):
        if capacity < 1 or rate <= 0:
            raise ValueError("capacity must be >= 1 and rate > 0")
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated_at = now

    def _refill(self, now):
        elapsed = max(0.0, now - self.updated_at)
        self.tokens = min(self.capacity, self.tokens + int(elapsed * self.rate))
        self.updated_at = now

    def try_consume(self, now, amount=1):
        """Take ``amount`` tokens if available; returns True on success."""
        self._refill(now)
        if self.tokens >= amount:
            self.tokens -= amount
            return True
        return False

    def available(self, now):
        self._refill(now)
        return int(self.tokens)

    def seconds_until(self, now, amount=1):
        """How long until ``amount`` tokens are available (0 if they already are)."""
        self._refill(now)
        missing = amount - self.tokens
        return 0.0 if missing <= 0 else missing / self.rate
