import unittest
from datetime import datetime, timedelta, timezone

from hookrelay.api import list_deliveries, parse_since
from hookrelay.models import Delivery
from hookrelay.store import DeliveryLog

T0 = 1714003200  # 2024-04-25T00:00:00Z


def make_log():
    log = DeliveryLog()
    log.add(Delivery(1, "https://a.example/hook", "order.created", "delivered", T0, 200))
    log.add(Delivery(2, "https://b.example/hook", "order.created", "failed", T0 + 3600, 500))
    log.add(Delivery(3, "https://a.example/hook", "order.paid", "delivered", T0 + 7200, 204))
    return log


class TestModels(unittest.TestCase):
    def test_to_dict(self):
        d = Delivery(9, "https://x.example", "ping", "pending", T0 + 61)
        self.assertEqual(d.to_dict()["created_at"], "2024-04-25T00:01:01Z")
        self.assertIsNone(d.to_dict()["response_code"])

    def test_unknown_status(self):
        with self.assertRaises(ValueError):
            Delivery(1, "u", "e", "lost", T0)


class TestParseSince(unittest.TestCase):
    def test_forms(self):
        utc = datetime(2024, 4, 25, tzinfo=timezone.utc)
        self.assertEqual(parse_since(str(T0)), utc)
        self.assertEqual(parse_since("2024-04-25T00:00:00Z"), utc)
        self.assertEqual(parse_since("2024-04-25T02:00:00+02:00"), utc)
        self.assertEqual(parse_since("2024-04-25T00:00:00").utcoffset(), timedelta(0))


class TestListDeliveries(unittest.TestCase):
    def test_newest_first(self):
        status, body = list_deliveries(make_log(), {})
        self.assertEqual(status, 200)
        self.assertEqual([d["id"] for d in body["deliveries"]], [3, 2, 1])

    def test_filters(self):
        status, body = list_deliveries(make_log(), {"status": "delivered", "event": "order.paid"})
        self.assertEqual([d["id"] for d in body["deliveries"]], [3])

    def test_bad_since(self):
        status, body = list_deliveries(make_log(), {"since": "yesterday"})
        self.assertEqual(status, 400)
