"""Converting catalogue prices (stored in EUR) to the visitor's currency."""

from decimal import ROUND_HALF_UP, Decimal

CATALOGUE_CURRENCY = "EUR"
DECIMALS = {"JPY": 0, "KRW": 0}


def convert_price(rates, amount, currency):
    """Convert a catalogue price to ``currency``, rounded to that currency's minor unit."""
    rate = rates.get_rate(CATALOGUE_CURRENCY, quote=currency)
    exp = Decimal(1).scaleb(-DECIMALS.get(currency.upper(), 2))
    return (Decimal(str(amount)) * rate).quantize(exp, rounding=ROUND_HALF_UP)


def price_table(rates, amount, currencies):
    return {c: convert_price(rates, amount, c) for c in currencies}
