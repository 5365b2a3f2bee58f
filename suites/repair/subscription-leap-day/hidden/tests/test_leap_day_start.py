import unittest
from datetime import date

from subscriptions.dates import add_years
from subscriptions.plans import Plan, Subscription
from subscriptions.schedule import next_renewal, upcoming_invoices


class TestLeapDayStart(unittest.TestCase):
    def test_add_years_from_leap_day(self):
        self.assertEqual(add_years(date(2024, 2, 29), 1), date(2025, 2, 28))
        self.assertEqual(add_years(date(2024, 2, 29), 4), date(2028, 2, 29))
        self.assertEqual(add_years(date(2000, 2, 29), 100), date(2100, 2, 28))

    def test_annual_schedule_from_leap_day(self):
        sub = Subscription("leap-co", Plan("pro-y", "290", "year"), "2024-02-29")
        self.assertEqual(
            [d for d, _ in upcoming_invoices(sub, 4)],
            [date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)],
        )

    def test_next_renewal_from_leap_day(self):
        sub = Subscription("leap-co", Plan("pro-y", "290", "year"), date(2024, 2, 29))
        self.assertEqual(next_renewal(sub, date(2024, 12, 1)), date(2025, 2, 28))


if __name__ == "__main__":
    unittest.main()
