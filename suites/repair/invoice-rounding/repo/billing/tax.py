"""VAT rates and per-line tax computation."""

from decimal import Decimal

from .money import quantize, to_decimal

RATES = {
    "standard": Decimal("0.20"),
    "reduced": Decimal("0.05"),
    "zero": Decimal("0"),
}


class UnknownTaxRate(KeyError):
    """Raised for a tax rate name that is not configured."""


def rate(name):
    """Return the rate for ``name`` as a Decimal fraction (0.20 for 20 %)."""
    try:
        return RATES[name]
    except KeyError:
        raise UnknownTaxRate(name) from None


def tax_for(net, rate_name):
    """Tax due on a net amount, rounded to cents (tax is computed per line)."""
    return quantize(to_decimal(net) * rate(rate_name))
