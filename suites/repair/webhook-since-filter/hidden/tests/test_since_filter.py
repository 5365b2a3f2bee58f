import unittest
from datetime import datetime, timezone

from hookrelay.api import list_deliveries
from hookrelay.models import Delivery
from hookrelay.store import DeliveryLog

T0 = 1714003200  # 2024-04-25T00:00:00Z


def make_log():
    log = DeliveryLog()
    log.add(Delivery(1, "https://a.example/hook", "order.created", "delivered", T0, 200))
    log.add(Delivery(2, "https://b.example/hook", "order.created", "failed", T0 + 3600, 500))
    log.add(Delivery(3, "https://a.example/hook", "order.paid", "delivered", T0 + 7200, 204))
    return log


class TestSinceFilter(unittest.TestCase):
    def test_since_iso_utc(self):
        status, body = list_deliveries(make_log(), {"since": "2024-04-25T01:00:00Z"})
        self.assertEqual(status, 200)
        self.assertEqual([d["id"] for d in body["deliveries"]], [3, 2])

    def test_since_with_offset(self):
        status, body = list_deliveries(make_log(), {"since": "2024-04-25T03:30:00+02:00"})
        self.assertEqual([d["id"] for d in body["deliveries"]], [3])

    def test_since_unix_seconds_combined_with_status(self):
        status, body = list_deliveries(make_log(), {"since": str(T0), "status": "delivered"})
        self.assertEqual([d["id"] for d in body["deliveries"]], [3, 1])

    def test_store_query_with_aware_since(self):
        items = make_log().query(since=datetime(2024, 4, 25, 2, 0, tzinfo=timezone.utc))
        self.assertEqual([d.id for d in items], [3])

    def test_created_at_format_unchanged(self):
        status, body = list_deliveries(make_log(), {"since": "2024-04-25T02:00:00Z"})
        self.assertEqual(body["deliveries"][0]["created_at"], "2024-04-25T02:00:00Z")


if __name__ == "__main__":
    unittest.main()
