"""Invoices made of line items; totals are sums of per-line rounded amounts."""

from decimal import Decimal

from .money import format_money, quantize, to_decimal
from .tax import rate, tax_for


class LineItem:
    """One billed line: ``quantity`` x ``unit_price``, taxed at ``tax_rate``."""

    def __init__(self, description, quantity, unit_price, tax_rate="standard"):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        rate(tax_rate)  # validate early
        self.description = description
        self.quantity = quantity
        self.unit_price = to_decimal(unit_price)
        self.tax_rate = tax_rate

    @property
    def net(self):
        return quantize(self.unit_price * self.quantity)

    @property
    def tax(self):
        return tax_for(self.net, self.tax_rate)

    @property
    def gross(self):
        return self.net + self.tax


class Invoice:
    """An invoice with a number, a currency and line items."""

    def __init__(self, number, currency="EUR"):
        self.number = number
        self.currency = currency
        self.lines = []

    def add_line(self, description, quantity, unit_price, tax_rate="standard"):
        line = LineItem(description, quantity, unit_price, tax_rate)
        self.lines.append(line)
        return line

    @property
    def subtotal(self):
        return sum((l.net for l in self.lines), Decimal("0.00"))

    @property
    def tax_total(self):
        return sum((l.tax for l in self.lines), Decimal("0.00"))

    @property
    def total(self):
        return self.subtotal + self.tax_total

    def summary(self):
        """Lines of text for the invoice footer."""
        return [
            "Subtotal: " + format_money(self.subtotal, self.currency),
            "VAT: " + format_money(self.tax_total, self.currency),
            "Total: " + format_money(self.total, self.currency),
        ]
