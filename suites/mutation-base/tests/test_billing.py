import datetime
import unittest
from decimal import Decimal

from worklog import Entry, InvoiceDraft, RateCard, overtime_minutes, payroll, week_status, weekly_minutes

D = datetime.date


def entry(minutes, project="acme", day=D(2024, 3, 4), billable=True):
    return Entry(day, project, minutes, billable=billable)


class TestRateCard(unittest.TestCase):
    def test_rate_for_project_or_default(self):
        card = RateCard({"Acme": "90"}, default=60)
        self.assertEqual(card.rate_for("ACME"), Decimal("90"))
        self.assertEqual(card.rate_for("other"), Decimal("60"))
        with self.assertRaises(KeyError):
            RateCard({"acme": 90}).rate_for("other")

    def test_billed_minutes_round_up_to_the_increment(self):
        card = RateCard({"acme": 90})
        self.assertEqual(card.billed_minutes(entry(80)), 90)
        self.assertEqual(card.billed_minutes(entry(15)), 15)
        self.assertEqual(RateCard({"acme": 90}, increment=30).billed_minutes(entry(31)), 60)

    def test_minimum_charge(self):
        card = RateCard({"acme": 90}, minimum_minutes=60)
        self.assertEqual(card.billed_minutes(entry(20)), 60)
        self.assertEqual(card.billed_minutes(entry(61)), 75)

    def test_time_that_is_not_billable_costs_nothing(self):
        card = RateCard({"acme": 90}, minimum_minutes=60)
        self.assertEqual(card.billed_minutes(entry(45, billable=False)), 0)
        self.assertEqual(card.charge(entry(45, billable=False)), Decimal("0.00"))

    def test_charge(self):
        self.assertEqual(RateCard({"acme": 90}).charge(entry(80)), Decimal("135.00"))
        self.assertEqual(RateCard({"acme": "100"}).charge(entry(20)), Decimal("50.00"))
        self.assertEqual(RateCard({"acme": "99.99"}).charge(entry(10)), Decimal("25.00"))
        self.assertEqual(RateCard({"acme": "10.10"}).charge(entry(15)), Decimal("2.53"))


class TestWeeks(unittest.TestCase):
    def test_weekly_minutes_by_iso_week(self):
        entries = [
            entry(120, day=D(2024, 3, 4)),
            entry(30, day=D(2024, 3, 11)),
            entry(60, day=D(2024, 3, 10), billable=False),
            entry(10, day=D(2024, 2, 26)),
        ]
        totals = weekly_minutes(entries)
        self.assertEqual(list(totals.items()), [("2024-W09", 10), ("2024-W10", 180), ("2024-W11", 30)])

    def test_overtime_only_for_weeks_over_the_limit(self):
        week10 = [entry(510, day=D(2024, 3, d)) for d in range(4, 9)]
        week11 = [entry(480, day=D(2024, 3, d)) for d in range(11, 16)]
        self.assertEqual(overtime_minutes(week10 + week11), {"2024-W10": 150})
        self.assertEqual(overtime_minutes(week11, weekly_hours=39), {"2024-W11": 60})
        self.assertEqual(overtime_minutes([]), {})

    def test_week_status(self):
        self.assertEqual(week_status(0), "empty")
        self.assertEqual(week_status(10), "short")
        self.assertEqual(week_status(2399), "short")
        self.assertEqual(week_status(2400), "complete")
        self.assertEqual(week_status(2401), "overtime")
        self.assertEqual(week_status(1200, weekly_hours=20), "complete")

    def test_payroll_pays_overtime_at_one_and_a_half(self):
        week = [entry(492, day=D(2024, 3, d)) for d in range(4, 9)]
        self.assertEqual(payroll(week, 20), Decimal("830.00"))
        self.assertEqual(payroll([entry(600)], 20), Decimal("200.00"))
        self.assertEqual(payroll([entry(90)], "15.50"), Decimal("23.25"))
        self.assertEqual(payroll([entry(600)], 20, weekly_hours=8), Decimal("220.00"))


class TestInvoiceDraft(unittest.TestCase):
    def draft(self, discount_pct=10):
        card = RateCard({"acme": 90, "beta": 60})
        entries = [entry(80), entry(30), entry(50, "beta"), entry(120, "internal", billable=False)]
        return InvoiceDraft(card, entries, tax_rate=20, discount_pct=discount_pct)

    def test_lines_per_project(self):
        self.assertEqual(
            self.draft().lines(),
            [("acme", Decimal("2.00"), Decimal("180.00")), ("beta", Decimal("1.00"), Decimal("60.00"))],
        )

    def test_totals(self):
        draft = self.draft()
        self.assertEqual(draft.subtotal, Decimal("240.00"))
        self.assertEqual(draft.discount, Decimal("24.00"))
        self.assertEqual(draft.net, Decimal("216.00"))
        self.assertEqual(draft.tax, Decimal("43.20"))
        self.assertEqual(draft.total, Decimal("259.20"))

    def test_discount_limits(self):
        self.assertEqual(self.draft(100).total, Decimal("0.00"))
        self.assertEqual(self.draft(0).total, Decimal("288.00"))
        for pct in (101, -1):
            with self.assertRaises(ValueError, msg=str(pct)):
                self.draft(pct)
