import unittest

from httpkit.client import ApiClient, Response, parse_retry_after
from httpkit.errors import PermanentError, RetryExhausted, TransientError
from httpkit.retry import RetryPolicy


def scripted(*responses):
    calls = []
    queue = list(responses)

    def transport(method, path, body):
        calls.append((method, path, body))
        return queue.pop(0)

    return transport, calls


class TestRetryPolicy(unittest.TestCase):
    def test_delay_schedule(self):
        p = RetryPolicy(base_delay=1, multiplier=2, max_delay=5)
        self.assertEqual([p.delay(i) for i in range(5)], [1, 2, 4, 5, 5])

    def test_gives_up_after_max_attempts(self):
        calls = []

        def flaky():
            calls.append(1)
            raise TransientError("timeout")

        with self.assertRaises(RetryExhausted) as ctx:
            RetryPolicy(max_attempts=3).call(flaky, sleep=lambda s: None)
        self.assertEqual(len(calls), 3)
        self.assertEqual(ctx.exception.attempts, 3)

    def test_permanent_errors_are_not_retried(self):
        calls = []

        def bad():
            calls.append(1)
            raise PermanentError("not found", 404)

        with self.assertRaises(PermanentError):
            RetryPolicy().call(bad, sleep=lambda s: None)
        self.assertEqual(len(calls), 1)

    def test_invalid_arguments(self):
        with self.assertRaises(ValueError):
            RetryPolicy(max_attempts=0)


class TestClient(unittest.TestCase):
    def test_success(self):
        transport, calls = scripted(Response(200, '{"id": 5}'))
        self.assertEqual(ApiClient(transport).post("/items", {"name": "x"}), {"id": 5})
        self.assertEqual(calls, [("POST", "/items", '{"name": "x"}')])

    def test_long_retry_after_is_honoured(self):
        transport, _ = scripted(Response(429, headers={"Retry-After": "30"}), Response(200, "[]"))
        slept = []
        client = ApiClient(transport, RetryPolicy(base_delay=1), sleep=slept.append)
        self.assertEqual(client.get("/items"), [])
        self.assertEqual(slept, [30.0])

    def test_parse_retry_after(self):
        self.assertEqual(parse_retry_after("2.5"), 2.5)
        self.assertIsNone(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"))
        self.assertIsNone(parse_retry_after(None))
