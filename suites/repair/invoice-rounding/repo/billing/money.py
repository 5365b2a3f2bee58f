"""Money helpers: parsing, rounding to cents and formatting of amounts."""

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")

CURRENCY_SYMBOLS = {"EUR": "\u20ac", "USD": "$", "GBP": "\u00a3"}


class MoneyError(ValueError):
    """Raised when a value cannot be interpreted as a monetary amount."""


def to_decimal(value):
    """Convert an int, str, float or Decimal to a Decimal.

    Floats go through ``repr`` so that ``0.1`` becomes ``Decimal("0.1")`` and
    not the exact binary expansion.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise MoneyError("not a monetary amount: %r" % (value,))
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise MoneyError("not a monetary amount: %r" % (value,)) from None


def quantize(amount):
    """Round an amount to whole cents, as printed on an invoice."""
    return to_decimal(amount).quantize(CENT)


def format_money(amount, currency="EUR"):
    """Format an amount for display, e.g. ``format_money(-1234.5)`` -> ``'-€1,234.50'``."""
    value = quantize(amount)
    sign = "-" if value < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    return "%s%s%s" % (sign, symbol, "{:,.2f}".format(abs(value)))
