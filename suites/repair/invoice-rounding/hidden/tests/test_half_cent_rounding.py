import unittest
from decimal import Decimal

from billing import Invoice, LineItem, quantize


class TestHalfCentRounding(unittest.TestCase):
    def test_tax_half_cent_rounds_up(self):
        line = LineItem("Consulting", 1, "10.50", "reduced")
        self.assertEqual(line.tax, Decimal("0.53"))

    def test_net_half_cent_rounds_up(self):
        line = LineItem("Widget", 1, "4.145")
        self.assertEqual(line.net, Decimal("4.15"))

    def test_quantize_half_cents(self):
        self.assertEqual(quantize("2.665"), Decimal("2.67"))
        self.assertEqual(quantize("2.675"), Decimal("2.68"))
        self.assertEqual(quantize("0.005"), Decimal("0.01"))
        self.assertEqual(quantize("2.664"), Decimal("2.66"))

    def test_invoice_total_matches_accounting(self):
        inv = Invoice("2024-0107")
        inv.add_line("Consulting", 1, "10.50", "reduced")
        inv.add_line("Travel", 1, "6.25", "reduced")
        self.assertEqual(inv.tax_total, Decimal("0.84"))
        self.assertEqual(inv.total, Decimal("17.59"))


if __name__ == "__main__":
    unittest.main()
