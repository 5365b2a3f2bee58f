"""Dates: parsing, weeks (Monday first), month arithmetic and working days."""

import datetime
import re

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def is_leap(year):
    """Whether ``year`` has a 29th of February (Gregorian rules)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year, month):
    """How many days ``month`` (1-12) of ``year`` has."""
    if month == 2:
        return 29 if is_leap(year) else 28
    if month in (4, 6, 9, 11):
        return 30
    return 31


def parse_date(text):
    """A date written "2024-03-05" or "5.3.2024"; raises ValueError for anything else."""
    spec = text.strip()
    match = _ISO.match(spec)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DOTTED.match(spec)
        if not match:
            raise ValueError("not a date: %r" % text)
        day, month, year = (int(part) for part in match.groups())
    if month < 1 or month > 12:
        raise ValueError("no month %d in %r" % (month, text))
    if day < 1 or day > days_in_month(year, month):
        raise ValueError("no day %d in %r" % (day, text))
    return datetime.date(year, month, day)


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def week_label(day):
    """The ISO week as "2024-W05"; the year is the ISO year, which differs near New Year."""
    year, week, _ = day.isocalendar()
    return "%d-W%02d" % (year, week)


def add_months(day, months):
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, days_in_month(year, month)))


def month_bounds(day):
    """The first and the last day of ``day``'s month."""
    return day.replace(day=1), day.replace(day=days_in_month(day.year, day.month))


def working_days(start, end, holidays=()):
    """Weekdays from ``start`` to ``end``, both included, that are not in ``holidays``."""
    if end < start:
        return 0
    off = set(holidays)
    count = 0
    for offset in range((end - start).days + 1):
        day = start + datetime.timedelta(days=offset)
        if day.weekday() < 5 and day not in off:
            count += 1
    return count
