"""Durations in whole minutes: parsing what people type, formatting, and billing increments."""

import re
from decimal import ROUND_HALF_UP, Decimal

_HOURS_MINUTES = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$")
_CLOCK = re.compile(r"^(\d+):([0-5]\d)$")

# Nobody works more than a day in one entry; longer values are typing mistakes.
MAX_MINUTES = 24 * 60


def parse_duration(text):
    """Minutes in ``text``: "1:30", "1h30m", "1h 30min", "1.5h", "45m" or a bare number of minutes."""
    spec = text.strip().lower()
    if not spec:
        raise ValueError("empty duration")
    if spec.isdigit():
        minutes = int(spec)
    else:
        clock = _CLOCK.match(spec)
        if clock:
            minutes = int(clock.group(1)) * 60 + int(clock.group(2))
        else:
            match = _HOURS_MINUTES.match(spec)
            if not match or not (match.group(1) or match.group(2)):
                raise ValueError("not a duration: %r" % text)
            hours = Decimal(match.group(1) or 0)
            whole = (hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            minutes = int(whole) + int(match.group(2) or 0)
    if minutes <= 0:
        raise ValueError("a duration must be positive: %r" % text)
    if minutes > MAX_MINUTES:
        raise ValueError("more than a day: %r" % text)
    return minutes


def format_duration(minutes):
    """Hours, a colon and two-digit minutes ("1:05"); negative durations get a minus sign."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return "%s%d:%02d" % (sign, hours, rest)


def round_up(minutes, increment=15, grace=0):
    """Round ``minutes`` up to a whole number of billing increments.

    The first ``grace`` minutes past a full increment are forgiven (rounded down instead), so
    with a grace of 2, 32 minutes bill as 30 and 33 minutes as 45.
    """
    if increment < 1:
        raise ValueError("the increment must be at least one minute")
    if grace < 0 or grace >= increment:
        raise ValueError("the grace must be smaller than the increment")
    whole, rest = divmod(minutes, increment)
    if rest > grace:
        whole += 1
    return whole * increment


def hours_decimal(minutes):
    """Minutes as decimal hours with two places: 90 -> Decimal("1.50"), 20 -> Decimal("0.33")."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
