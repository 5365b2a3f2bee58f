"""Small invoicing library used by the customer portal."""

from .invoice import Invoice, LineItem
from .money import MoneyError, format_money, quantize, to_decimal

__all__ = ["Invoice", "LineItem", "MoneyError", "format_money", "quantize", "to_decimal"]
