import unittest

from payhooks.endpoint import receive
from payhooks.events import Dispatcher
from payhooks.signing import SignatureError, verify
from tests.test_webhooks import NOW, SECRET, provider_signature


class TestRawBytesBody(unittest.TestCase):
    def test_verify_bytes_payload(self):
        body = b'{"id": "evt_2", "type": "payment.succeeded"}'
        self.assertEqual(verify(SECRET, body, provider_signature(body), NOW), NOW)

    def test_bytes_payload_tampering_still_detected(self):
        body = b'{"id": "evt_2", "type": "payment.succeeded"}'
        with self.assertRaises(SignatureError):
            verify(SECRET, body.replace(b"succeeded", b"failed"), provider_signature(body), NOW)

    def test_endpoint_with_bytes_body(self):
        dispatcher, got = Dispatcher(), []
        dispatcher.on("payment.refunded")(got.append)
        body = b'{"id": "evt_3", "type": "payment.refunded", "data": {"amount": 500}}'
        status = receive(dispatcher, SECRET, body, {"Payhook-Signature": provider_signature(body)}, now=NOW)
        self.assertEqual(status, (200, "ok"))
        self.assertEqual([e.id for e in got], ["evt_3"])

    def test_non_ascii_bytes_body(self):
        dispatcher, got = Dispatcher(), []
        dispatcher.on("customer.updated")(got.append)
        body = '{"id": "evt_4", "type": "customer.updated", "data": {"name": "Zo\u00eb M\u00fcller \u2013 Caf\u00e9"}}'.encode("utf-8")
        status = receive(dispatcher, SECRET, body, {"Payhook-Signature": provider_signature(body)}, now=NOW)
        self.assertEqual(status, (200, "ok"))
        self.assertEqual(got[0].data["name"], "Zo\u00eb M\u00fcller \u2013 Caf\u00e9")


if __name__ == "__main__":
    unittest.main()
