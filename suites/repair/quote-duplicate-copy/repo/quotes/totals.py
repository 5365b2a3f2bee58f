"""Money arithmetic for quotes."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def subtotal(quote):
    return sum((line.amount for line in quote.lines), Decimal("0")).quantize(CENT, ROUND_HALF_UP)


def discount(quote):
    return (subtotal(quote) * quote.discount_percent / 100).quantize(CENT, ROUND_HALF_UP)


def total(quote):
    return subtotal(quote) - discount(quote)
