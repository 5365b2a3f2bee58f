import unittest
from decimal import Decimal

from quotes.service import QuoteService
from quotes.totals import total
from tests.test_quotes import clock, sample


class TestDuplicateIsIndependent(unittest.TestCase):
    def test_editing_duplicate_quantity_leaves_original(self):
        service = QuoteService(clock)
        original = sample(service)
        service.send(original.id)
        revision = service.duplicate(original.id)
        revision.set_quantity("DESK-01", 5)
        self.assertEqual([l.quantity for l in original.lines], [2, 4])
        self.assertEqual(total(original), Decimal("1581.84"))
        self.assertEqual([l.quantity for l in revision.lines], [5, 4])

    def test_adding_line_to_duplicate_leaves_original(self):
        service = QuoteService(clock)
        original = sample(service)
        revision = service.duplicate(original.id)
        revision.add_line("LMP-2", "Desk lamp", 2, "35.00")
        self.assertEqual(len(original.lines), 2)
        self.assertEqual(len(revision.lines), 3)

    def test_editing_original_draft_leaves_duplicate(self):
        service = QuoteService(clock)
        original = sample(service)
        copy_ = service.duplicate(original.id)
        original.set_quantity("CHR-07", 1)
        self.assertEqual(copy_.lines[1].quantity, 4)


if __name__ == "__main__":
    unittest.main()
