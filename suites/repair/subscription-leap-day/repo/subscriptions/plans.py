"""Plans and subscriptions."""

from decimal import Decimal

from .dates import add_months, add_years, to_date

INTERVALS = ("month", "quarter", "year")


class Plan:
    def __init__(self, code, price, interval):
        if interval not in INTERVALS:
            raise ValueError("interval must be one of %s" % ", ".join(INTERVALS))
        self.code = code
        self.price = Decimal(str(price))
        self.interval = interval

    def period_end(self, start, periods=1):
        """The date ``periods`` billing periods after ``start``."""
        if self.interval == "month":
            return add_months(start, periods)
        if self.interval == "quarter":
            return add_months(start, 3 * periods)
        return add_years(start, periods)


class Subscription:
    def __init__(self, customer, plan, started_on):
        self.customer = customer
        self.plan = plan
        self.started_on = to_date(started_on)
        self.cancelled_on = None

    def renewal_date(self, n=1):
        """Date of the n-th renewal, always counted from the start date (no drift)."""
        return self.plan.period_end(self.started_on, n)
