import unittest
from datetime import date
from decimal import Decimal

from subscriptions.dates import add_months, add_years
from subscriptions.plans import Plan, Subscription
from subscriptions.schedule import next_renewal, upcoming_invoices


class TestDates(unittest.TestCase):
    def test_add_months_clamps(self):
        self.assertEqual(add_months(date(2024, 1, 31), 1), date(2024, 2, 29))
        self.assertEqual(add_months(date(2023, 1, 31), 1), date(2023, 2, 28))
        self.assertEqual(add_months(date(2023, 11, 30), 3), date(2024, 2, 29))
        self.assertEqual(add_months(date(2024, 3, 31), -1), date(2024, 2, 29))

    def test_add_years_ordinary_dates(self):
        self.assertEqual(add_years(date(2023, 6, 15), 1), date(2024, 6, 15))
        self.assertEqual(add_years(date(2024, 3, 1), 1), date(2025, 3, 1))


class TestSchedule(unittest.TestCase):
    def test_monthly_no_drift(self):
        sub = Subscription("acme", Plan("pro-m", "29.00", "month"), "2024-01-31")
        self.assertEqual([d for d, _ in upcoming_invoices(sub, 3)], [date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)])

    def test_annual(self):
        sub = Subscription("acme", Plan("pro-y", "290", "year"), "2023-07-01")
        self.assertEqual(upcoming_invoices(sub, 2), [(date(2024, 7, 1), Decimal("290")), (date(2025, 7, 1), Decimal("290"))])
        self.assertEqual(next_renewal(sub, date(2024, 7, 1)), date(2025, 7, 1))

    def test_cancelled(self):
        sub = Subscription("acme", Plan("pro-q", "80", "quarter"), "2024-01-15")
        sub.cancelled_on = date(2024, 5, 1)
        self.assertEqual(next_renewal(sub, "2024-03-01"), date(2024, 4, 15))
        self.assertIsNone(next_renewal(sub, "2024-04-20"))
