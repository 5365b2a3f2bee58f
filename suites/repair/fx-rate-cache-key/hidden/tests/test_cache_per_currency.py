import datetime
import unittest
from decimal import Decimal

from pricing.display import convert_price, price_table
from pricing.rates import RateService
from tests.test_rates import Backend, Clock


class TestCachePerCurrency(unittest.TestCase):
    def test_keyword_quote_is_part_of_the_key(self):
        service = RateService(Backend(), clock=Clock())
        self.assertEqual(service.get_rate("EUR", quote="USD"), Decimal("1.085"))
        self.assertEqual(service.get_rate("EUR", quote="GBP"), Decimal("0.856"))
        self.assertEqual(service.get_rate("EUR", quote="USD"), Decimal("1.085"))

    def test_price_table_in_several_currencies(self):
        service = RateService(Backend(), clock=Clock())
        table = price_table(service, "19.99", ["USD", "GBP", "JPY"])
        self.assertEqual(table, {"USD": Decimal("21.69"), "GBP": Decimal("17.11"), "JPY": Decimal("3261")})

    def test_historical_day_is_part_of_the_key(self):
        backend = Backend()
        service = RateService(backend, clock=Clock())
        service.get_rate("EUR", quote="USD", day=datetime.date(2024, 1, 2))
        service.get_rate("EUR", quote="USD", day=datetime.date(2024, 1, 3))
        self.assertEqual([c[2] for c in backend.calls], [datetime.date(2024, 1, 2), datetime.date(2024, 1, 3)])

    def test_cache_still_used_for_identical_keyword_calls(self):
        backend = Backend()
        service = RateService(backend, clock=Clock())
        for _ in range(3):
            convert_price(service, 10, "GBP")
            convert_price(service, 10, "USD")
        self.assertEqual(len(backend.calls), 2)


if __name__ == "__main__":
    unittest.main()
