"""Filters usable in placeholders, e.g. ``{{ total|money }}`` or ``{{ name|upper }}``."""

from decimal import Decimal


def money(value):
    return "{:,.2f}".format(Decimal(str(value)))


def date(value):
    return value.strftime("%d %b %Y")


def title(value):
    return str(value).title()


FILTERS = {
    "upper": lambda v: str(v).upper(),
    "lower": lambda v: str(v).lower(),
    "title": title,
    "money": money,
    "date": date,
}
