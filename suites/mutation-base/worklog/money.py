"""Money as Decimal: parsing, commercial rounding, formatting and splitting without losing cents."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value):
    """``value`` (a Decimal, an int, a float or text such as "1,234.50" or "(12.00)") as a Decimal.

    Floats go through ``repr`` so 0.1 stays 0.1; booleans are refused because they are almost
    always a mistake; accountants' parentheses mean a negative amount.
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "")
    if not text:
        raise ValueError("empty amount")
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("not an amount: %r" % (value,)) from None
    if not amount.is_finite():
        raise ValueError("not an amount: %r" % (value,))
    return -amount if negative else amount


def round_cents(amount):
    """Round to whole cents, half a cent away from zero (commercial rounding)."""
    return to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount, rate):
    """``rate`` percent of ``amount``, rounded to cents."""
    return round_cents(to_decimal(amount) * to_decimal(rate) / 100)


def format_money(amount, currency="EUR"):
    """"1,234.50 EUR": rounded to cents, thousands separated, a leading minus when negative."""
    cents = round_cents(amount)
    sign = "-" if cents < 0 else ""
    units, _, fraction = str(abs(cents)).partition(".")
    groups = []
    for end in range(len(units), 0, -3):
        groups.append(units[max(0, end - 3):end])
    return "%s%s.%s %s" % (sign, ",".join(reversed(groups)), fraction, currency)


def allocate(total, weights):
    """Split ``total`` into parts proportional to ``weights`` that add up to ``total`` exactly.

    Each part is first rounded down to the cent; the cents left over go one each to the parts
    that lost the most in rounding (the earlier part first on a tie).
    """
    total = round_cents(total)
    weights = [to_decimal(weight) for weight in weights]
    if not weights:
        raise ValueError("nothing to allocate to")
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("the weights add up to zero")
    sign = -1 if total < 0 else 1
    cents = int(abs(total) / CENT)
    exact = [cents * weight / weight_sum for weight in weights]
    parts = [int(share) for share in exact]
    leftover = cents - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[:leftover]:
        parts[i] += 1
    return [sign * part * CENT for part in parts]
