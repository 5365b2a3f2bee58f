import unittest

from gatekeeper.bucket import TokenBucket
from gatekeeper.limiter import RateLimiter


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class TestSteadyPolling(unittest.TestCase):
    def test_frequent_checks_still_refill(self):
        b = TokenBucket(1, 1.0, now=0.0)
        self.assertTrue(b.try_consume(0.0))
        self.assertFalse(b.try_consume(0.5))
        self.assertTrue(b.try_consume(1.0))

    def test_client_polling_faster_than_rate_gets_rate(self):
        clock = FakeClock()
        limiter = RateLimiter("2/s", clock=clock)
        allowed = 0
        for step in range(40):  # every 0.25 s for 10 s
            clock.now = step * 0.25
            if limiter.check("poller").allowed:
                allowed += 1
        # 2 tokens of burst + 2 per second over the 9.75 s after the first check
        self.assertEqual(allowed, 2 + 19)

    def test_retry_after_accounts_for_partial_refill(self):
        clock = FakeClock()
        limiter = RateLimiter("1/s", clock=clock)
        self.assertTrue(limiter.check("k").allowed)
        clock.now = 0.75
        decision = limiter.check("k")
        self.assertFalse(decision.allowed)
        self.assertAlmostEqual(decision.retry_after, 0.25)
        clock.now = 1.0
        self.assertTrue(limiter.check("k").allowed)

    def test_remaining_header_is_whole_tokens(self):
        b = TokenBucket(4, 2.0, now=0.0)
        for _ in range(4):
            b.try_consume(0.0)
        self.assertEqual(b.available(0.25), 0)
        self.assertEqual(b.available(0.5), 1)
        self.assertEqual(b.available(1.25), 2)


if __name__ == "__main__":
    unittest.main()
