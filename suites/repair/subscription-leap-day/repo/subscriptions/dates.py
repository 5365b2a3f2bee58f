"""Calendar arithmetic for billing periods."""

import calendar
import datetime


def days_in_month(year, month):
    return calendar.monthrange(year, month)[1]


def add_months(day, months):
    """Same day of the month ``months`` later; clamped to the month's last day (Jan 31 -> Feb 28/29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, days_in_month(year, month)))


def add_years(day, years):
    """Same calendar date ``years`` later."""
    return day.replace(year=day.year + years)


def to_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)
