"""Turning time into money: rates, billing increments, minimum charges, overtime and invoices."""

from decimal import Decimal

from .dates import week_label
from .durations import hours_decimal, round_up
from .money import ZERO, percent_of, round_cents, to_decimal

WEEKLY_HOURS = 40
OVERTIME_FACTOR = Decimal("1.5")


class RateCard:
    """Hourly rates per project with an optional default, the billing increment and a minimum charge."""

    def __init__(self, rates, default=None, increment=15, minimum_minutes=0):
        self.rates = {name.lower(): to_decimal(rate) for name, rate in rates.items()}
        self.default = None if default is None else to_decimal(default)
        self.increment = increment
        self.minimum_minutes = minimum_minutes

    def rate_for(self, project):
        """The hourly rate of ``project`` (case does not matter), or the default rate."""
        rate = self.rates.get(project.lower(), self.default)
        if rate is None:
            raise KeyError("no rate for project %r" % project)
        return rate

    def billed_minutes(self, entry):
        """Minutes to bill for ``entry``: rounded up to the increment, at least the minimum, 0 if not billable."""
        if not entry.billable:
            return 0
        return max(round_up(entry.minutes, self.increment), self.minimum_minutes)

    def charge(self, entry):
        """What ``entry`` costs the client, in cents."""
        minutes = self.billed_minutes(entry)
        return round_cents(self.rate_for(entry.project) * minutes / 60)


def weekly_minutes(entries):
    """Minutes worked per ISO week ("2024-W05"), billable or not, in week order."""
    totals = {}
    for entry in entries:
        label = week_label(entry.day)
        totals[label] = totals.get(label, 0) + entry.minutes
    return dict(sorted(totals.items()))


def overtime_minutes(entries, weekly_hours=WEEKLY_HOURS):
    """Minutes over ``weekly_hours`` per week, for the weeks that have any."""
    limit = weekly_hours * 60
    return {week: minutes - limit for week, minutes in weekly_minutes(entries).items() if minutes > limit}


def week_status(minutes, weekly_hours=WEEKLY_HOURS):
    """How a week's total compares with the contract: "empty", "short", "overtime" or "complete"."""
    target = weekly_hours * 60
    if minutes == 0:
        return "empty"
    elif minutes < target:
        return "short"
    elif minutes > target:
        return "overtime"
    return "complete"


def payroll(entries, hourly_wage, weekly_hours=WEEKLY_HOURS):
    """Pay for ``entries``: the hourly wage, times the overtime factor for time over the weekly hours."""
    wage = to_decimal(hourly_wage)
    total = sum(entry.minutes for entry in entries)
    extra = sum(overtime_minutes(entries, weekly_hours).values())
    regular = total - extra
    return round_cents(wage * regular / 60 + wage * OVERTIME_FACTOR * extra / 60)


class InvoiceDraft:
    """Charges per project for a set of entries, then a discount and tax on the rest."""

    def __init__(self, card, entries, tax_rate="20", discount_pct=0):
        self.card = card
        self.entries = list(entries)
        self.tax_rate = to_decimal(tax_rate)
        self.discount_pct = to_decimal(discount_pct)
        if self.discount_pct < 0 or self.discount_pct > 100:
            raise ValueError("the discount must be between 0 and 100 percent")

    def lines(self):
        """(project, hours, amount) for each project with billed time, by project name."""
        minutes, amounts = {}, {}
        for entry in self.entries:
            billed = self.card.billed_minutes(entry)
            if billed == 0:
                continue
            minutes[entry.project] = minutes.get(entry.project, 0) + billed
            amounts[entry.project] = amounts.get(entry.project, ZERO) + self.card.charge(entry)
        return [(project, hours_decimal(minutes[project]), amounts[project]) for project in sorted(minutes)]

    @property
    def subtotal(self):
        """The sum of the lines."""
        return sum((amount for _, _, amount in self.lines()), ZERO)

    @property
    def discount(self):
        """The discount on the subtotal, in cents."""
        return percent_of(self.subtotal, self.discount_pct)

    @property
    def net(self):
        """The subtotal less the discount."""
        return self.subtotal - self.discount

    @property
    def tax(self):
        """Tax on the net amount."""
        return percent_of(self.net, self.tax_rate)

    @property
    def total(self):
        """What the client pays."""
        return self.net + self.tax
