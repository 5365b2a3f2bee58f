import unittest
from decimal import Decimal

from billing import Invoice, LineItem, MoneyError, format_money, to_decimal
from billing.tax import UnknownTaxRate


class TestMoney(unittest.TestCase):
    def test_to_decimal_from_float_uses_repr(self):
        self.assertEqual(to_decimal(0.1), Decimal("0.1"))

    def test_to_decimal_rejects_garbage(self):
        with self.assertRaises(MoneyError):
            to_decimal("twelve")

    def test_format_money(self):
        self.assertEqual(format_money("1234.5"), "\u20ac1,234.50")
        self.assertEqual(format_money(-3, "USD"), "-$3.00")
        self.assertEqual(format_money(7, "CHF"), "CHF 7.00")


class TestInvoice(unittest.TestCase):
    def test_totals(self):
        inv = Invoice("2024-0001")
        inv.add_line("Hosting", 2, "12.00")
        inv.add_line("Book", 1, "20.00", "reduced")
        self.assertEqual(inv.subtotal, Decimal("44.00"))
        self.assertEqual(inv.tax_total, Decimal("5.80"))
        self.assertEqual(inv.total, Decimal("49.80"))

    def test_summary(self):
        inv = Invoice("2024-0002", "GBP")
        inv.add_line("Support", 3, "9.99", "zero")
        self.assertEqual(inv.summary(), ["Subtotal: \u00a329.97", "VAT: \u00a30.00", "Total: \u00a329.97"])

    def test_unknown_rate(self):
        with self.assertRaises(UnknownTaxRate):
            LineItem("Thing", 1, "1.00", "luxury")

    def test_quantity_must_be_positive(self):
        with self.assertRaises(ValueError):
            LineItem("Thing", 0, "1.00")
