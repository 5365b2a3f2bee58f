import unittest

from httpkit.client import ApiClient, Response
from httpkit.errors import RetryExhausted, TransientError
from httpkit.retry import RetryPolicy


def always_failing():
    raise TransientError("connection reset")


class TestBackoffSchedule(unittest.TestCase):
    def test_sleeps_follow_documented_schedule(self):
        slept = []
        with self.assertRaises(RetryExhausted):
            RetryPolicy(max_attempts=4, base_delay=1, multiplier=2, max_delay=60).call(always_failing, sleep=slept.append)
        self.assertEqual(slept, [1, 2, 4])

    def test_first_retry_waits_base_delay(self):
        slept = []
        outcomes = [TransientError("503"), "ok"]

        def fn():
            item = outcomes.pop(0)
            if isinstance(item, Exception):
                raise item
            return item

        self.assertEqual(RetryPolicy(base_delay=0.25).call(fn, sleep=slept.append), "ok")
        self.assertEqual(slept, [0.25])

    def test_cap_applies(self):
        slept = []
        with self.assertRaises(RetryExhausted):
            RetryPolicy(max_attempts=5, base_delay=1, multiplier=3, max_delay=5).call(always_failing, sleep=slept.append)
        self.assertEqual(slept, [1, 3, 5, 5])

    def test_client_retries_gateway_errors_with_default_policy(self):
        responses = [Response(503), Response(502), Response(200, '{"ok": true}')]
        slept = []
        client = ApiClient(lambda m, p, b: responses.pop(0), sleep=slept.append)
        self.assertEqual(client.get("/health"), {"ok": True})
        self.assertEqual(slept, [0.5, 1.0])

    def test_short_retry_after_does_not_shorten_backoff(self):
        responses = [Response(429, headers={"Retry-After": "0"}), Response(200, "{}")]
        slept = []
        client = ApiClient(lambda m, p, b: responses.pop(0), RetryPolicy(base_delay=2), sleep=slept.append)
        client.get("/x")
        self.assertEqual(slept, [2])


if __name__ == "__main__":
    unittest.main()
