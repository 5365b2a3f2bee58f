import unittest
from datetime import datetime, timezone
from decimal import Decimal

from quotes.models import QuoteError
from quotes.service import QuoteService
from quotes.totals import discount, subtotal, total


def clock():
    return datetime(2024, 7, 1, 12, 0, tzinfo=timezone.utc)


def sample(service):
    q = service.create("ACME Corp", discount_percent=10)
    q.add_line("DESK-01", "Standing desk", 2, "499.00")
    q.add_line("CHR-07", "Office chair", 4, "189.90")
    return q


class TestTotals(unittest.TestCase):
    def test_totals(self):
        q = sample(QuoteService(clock))
        self.assertEqual(subtotal(q), Decimal("1757.60"))
        self.assertEqual(discount(q), Decimal("175.76"))
        self.assertEqual(total(q), Decimal("1581.84"))


class TestLifecycle(unittest.TestCase):
    def test_sent_quotes_are_frozen(self):
        service = QuoteService(clock)
        q = sample(service)
        service.send(q.id)
        with self.assertRaises(QuoteError):
            q.set_quantity("DESK-01", 3)
        with self.assertRaises(QuoteError):
            q.add_line("X", "x", 1, 1)

    def test_cannot_send_empty(self):
        service = QuoteService(clock)
        with self.assertRaises(QuoteError):
            service.send(service.create("Empty Ltd").id)

    def test_duplicate_metadata(self):
        service = QuoteService(clock)
        q = sample(service)
        service.send(q.id)
        d = service.duplicate(q.id)
        self.assertEqual((d.id, d.status, d.revision_of, d.customer), ("Q-1002", "draft", "Q-1001", "ACME Corp"))
        self.assertEqual(total(d), total(q))
        self.assertIs(service.get("Q-1002"), d)
