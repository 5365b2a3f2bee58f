import unittest

from gatekeeper.bucket import TokenBucket
from gatekeeper.limiter import RateLimiter
from gatekeeper.policy import parse_rate


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class TestPolicy(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(parse_rate("100/min").per_seconds, 60)
        self.assertEqual(parse_rate("10/5s").per_seconds, 5)
        self.assertEqual(parse_rate(" 2 / s ").per_second, 2.0)
        with self.assertRaises(ValueError):
            parse_rate("fast")


class TestBucket(unittest.TestCase):
    def test_burst_then_empty(self):
        b = TokenBucket(3, 1.0, now=0.0)
        self.assertEqual([b.try_consume(0.0) for _ in range(4)], [True, True, True, False])

    def test_refills_after_idle_period(self):
        b = TokenBucket(2, 1.0, now=0.0)
        b.try_consume(0.0)
        b.try_consume(0.0)
        self.assertTrue(b.try_consume(5.0))
        self.assertEqual(b.available(5.0), 1)

    def test_seconds_until_from_empty(self):
        b = TokenBucket(1, 0.5, now=0.0)
        b.try_consume(0.0)
        self.assertEqual(b.seconds_until(0.0), 2.0)


class TestLimiter(unittest.TestCase):
    def test_clients_are_independent(self):
        clock = FakeClock()
        limiter = RateLimiter("2/min", clock=clock)
        self.assertTrue(limiter.check("a").allowed)
        self.assertTrue(limiter.check("a").allowed)
        denied = limiter.check("a")
        self.assertFalse(denied.allowed)
        self.assertEqual(denied.headers(), {"X-RateLimit-Remaining": "0", "Retry-After": "30"})
        self.assertTrue(limiter.check("b").allowed)
