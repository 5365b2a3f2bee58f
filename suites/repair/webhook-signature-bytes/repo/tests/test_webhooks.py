import hashlib
import hmac
import unittest

from payhooks.endpoint import receive
from payhooks.events import Dispatcher
from payhooks.signing import SignatureError, compute_signature, parse_header, verify

SECRET = "whsec_test_123"
NOW = 1700000000


def provider_signature(body_bytes, timestamp=NOW, secret=SECRET):
    """What the provider computes: HMAC over the raw bytes it sends."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body_bytes, hashlib.sha256)
    return "t=%d,v1=%s" % (timestamp, mac.hexdigest())


class TestSigning(unittest.TestCase):
    def test_str_payload(self):
        body = '{"id": "evt_1", "type": "payment.succeeded"}'
        self.assertEqual(verify(SECRET, body, provider_signature(body.encode()), NOW + 10), NOW)

    def test_tampered_and_stale(self):
        body = '{"id": "evt_1", "type": "payment.succeeded"}'
        header = provider_signature(body.encode())
        with self.assertRaises(SignatureError):
            verify(SECRET, body.replace("succeeded", "failed"), header, NOW)
        with self.assertRaises(SignatureError):
            verify(SECRET, body, header, NOW + 301)

    def test_parse_header(self):
        self.assertEqual(parse_header("t=5, v1=aa, v0=zz, v1=bb"), (5, ["aa", "bb"]))
        for bad in ("", "t=5", "v1=aa", "t=x,v1=aa", "garbage"):
            with self.assertRaises(SignatureError):
                parse_header(bad)

    def test_compute_signature_hex(self):
        self.assertEqual(len(compute_signature(SECRET, NOW, "{}")), 64)


class TestEndpoint(unittest.TestCase):
    def test_str_body_dispatched_once(self):
        dispatcher, got = Dispatcher(), []
        dispatcher.on("payment.succeeded")(got.append)
        body = '{"id": "evt_9", "type": "payment.succeeded", "data": {"amount": 1200}}'
        headers = {"Payhook-Signature": provider_signature(body.encode())}
        self.assertEqual(receive(dispatcher, SECRET, body, headers, now=NOW), (200, "ok"))
        self.assertEqual(receive(dispatcher, SECRET, body, headers, now=NOW), (200, "ok"))
        self.assertEqual([e.data["amount"] for e in got], [1200])

    def test_missing_header(self):
        self.assertEqual(receive(Dispatcher(), SECRET, "{}", {}, now=NOW)[0], 400)
