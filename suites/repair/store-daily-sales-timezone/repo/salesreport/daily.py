"""Per-day figures. A store's business day is the calendar day in the store's local time."""

from datetime import timezone
from decimal import Decimal

from .orders import for_store


def business_day(moment, tz=timezone.utc):
    """Calendar date of ``moment`` as seen in ``tz``."""
    return moment.astimezone(tz).date()


def orders_on(orders, store, day):
    """The store's orders placed on local date ``day``, oldest first (the "orders" tab)."""
    picked = [o for o in for_store(orders, store) if business_day(o.created_at, store.tz) == day]
    return sorted(picked, key=lambda o: o.created_at)


def daily_totals(orders, store):
    """``{date: (order count, revenue)}`` for the store, one entry per business day with sales."""
    totals = {}
    for order in for_store(orders, store):
        day = business_day(order.created_at)
        count, revenue = totals.get(day, (0, Decimal("0")))
        totals[day] = (count + 1, revenue + order.total)
    return dict(sorted(totals.items()))
