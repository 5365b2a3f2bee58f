import unittest
from datetime import date
from decimal import Decimal

from salesreport.daily import daily_totals, orders_on
from salesreport.orders import Order
from salesreport.stores import Store
from tests.test_daily import utc


class TestLocalBusinessDay(unittest.TestCase):
    def test_evening_sales_count_for_local_day_west_of_utc(self):
        toronto = Store("TOR", "Toronto", "UTC-05:00")
        orders = [
            Order(1, "TOR", utc(2024, 3, 1, 15, 0), "30.00"),   # 10:00 local, Mar 1
            Order(2, "TOR", utc(2024, 3, 2, 1, 30), "20.00"),   # 20:30 local, Mar 1
            Order(3, "TOR", utc(2024, 3, 2, 14, 0), "12.00"),   # 09:00 local, Mar 2
        ]
        self.assertEqual(
            daily_totals(orders, toronto),
            {date(2024, 3, 1): (2, Decimal("50.00")), date(2024, 3, 2): (1, Decimal("12.00"))},
        )

    def test_early_sales_east_of_utc(self):
        delhi = Store("DEL", "Delhi", "UTC+05:30")
        orders = [Order(1, "DEL", utc(2024, 3, 1, 20, 0), "100"), Order(2, "DEL", utc(2024, 3, 1, 17, 0), "50")]
        self.assertEqual(
            daily_totals(orders, delhi),
            {date(2024, 3, 1): (1, Decimal("50")), date(2024, 3, 2): (1, Decimal("100"))},
        )

    def test_totals_match_orders_tab(self):
        toronto = Store("TOR", "Toronto", "UTC-05:00")
        orders = [Order(i, "TOR", utc(2024, 3, 1, h), "10") for i, h in enumerate(range(0, 24, 3))]
        totals = daily_totals(orders, toronto)
        for day, (count, revenue) in totals.items():
            tab = orders_on(orders, toronto, day)
            self.assertEqual(count, len(tab))
            self.assertEqual(revenue, sum(o.total for o in tab))


if __name__ == "__main__":
    unittest.main()
