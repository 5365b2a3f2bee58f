import unittest
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from salesreport.daily import business_day, daily_totals, orders_on
from salesreport.orders import Order
from salesreport.stores import Store, parse_offset

UTC = timezone.utc


def utc(*args):
    return datetime(*args, tzinfo=UTC)


class TestStores(unittest.TestCase):
    def test_parse_offset(self):
        self.assertEqual(parse_offset("UTC"), UTC)
        self.assertEqual(parse_offset("UTC+05:30").utcoffset(None), timedelta(hours=5, minutes=30))
        self.assertEqual(parse_offset("UTC-03:00").utcoffset(None), timedelta(hours=-3))
        with self.assertRaises(ValueError):
            parse_offset("EST")


class TestDaily(unittest.TestCase):
    def test_business_day(self):
        self.assertEqual(business_day(utc(2024, 3, 1, 2, 0), parse_offset("UTC-05:00")), date(2024, 2, 29))

    def test_utc_store_totals(self):
        london = Store("LDN", "London", "UTC")
        orders = [Order(1, "LDN", utc(2024, 3, 1, 9), "10.00"), Order(2, "LDN", utc(2024, 3, 1, 23, 30), "5.50"),
                  Order(3, "LDN", utc(2024, 3, 2, 0, 10), "7.25"), Order(4, "TOR", utc(2024, 3, 1, 12), "99")]
        self.assertEqual(daily_totals(orders, london), {date(2024, 3, 1): (2, Decimal("15.50")), date(2024, 3, 2): (1, Decimal("7.25"))})

    def test_orders_tab_uses_local_day(self):
        toronto = Store("TOR", "Toronto", "UTC-05:00")
        orders = [Order(1, "TOR", utc(2024, 3, 2, 1, 30), "20"), Order(2, "TOR", utc(2024, 3, 1, 15), "30")]
        self.assertEqual([o.id for o in orders_on(orders, toronto, date(2024, 3, 1))], [2, 1])

    def test_naive_rejected(self):
        with self.assertRaises(ValueError):
            Order(1, "X", datetime(2024, 1, 1), 1)
