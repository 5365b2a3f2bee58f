"""Upcoming invoices, as shown on the customer's billing page."""

from .dates import to_date


def next_renewal(subscription, today):
    """First renewal strictly after ``today`` (None if the subscription is cancelled by then)."""
    today = to_date(today)
    n = 1
    while True:
        when = subscription.renewal_date(n)
        if subscription.cancelled_on is not None and when > subscription.cancelled_on:
            return None
        if when > today:
            return when
        n += 1


def upcoming_invoices(subscription, count=3):
    """The next ``count`` renewals from the start: ``[(date, amount), ...]``."""
    return [(subscription.renewal_date(n), subscription.plan.price) for n in range(1, count + 1)]
