import unittest
from decimal import Decimal

from pricing.cache import memoize
from pricing.display import convert_price
from pricing.rates import RateService, UnknownCurrency

RATES = {("EUR", "USD"): 1.0850, ("EUR", "GBP"): 0.8560, ("EUR", "JPY"): 163.12, ("USD", "EUR"): 0.9217}


class Backend:
    def __init__(self):
        self.calls = []

    def __call__(self, base, quote, day):
        self.calls.append((base, quote, day))
        return RATES.get((base, quote))


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class TestMemoize(unittest.TestCase):
    def test_ttl(self):
        clock, calls = Clock(), []

        @memoize(10, clock)
        def square(x):
            calls.append(x)
            return x * x

        self.assertEqual((square(3), square(3)), (9, 9))
        clock.t = 10.5
        self.assertEqual(square(3), 9)
        self.assertEqual(calls, [3, 3])
        self.assertEqual(square.cache_info(), {"hits": 1, "misses": 2, "size": 1})


class TestRateService(unittest.TestCase):
    def test_repeated_calls_hit_cache(self):
        backend = Backend()
        service = RateService(backend, clock=Clock())
        self.assertEqual(service.get_rate("EUR"), Decimal("1.085"))
        self.assertEqual(service.get_rate("EUR"), Decimal("1.085"))
        self.assertEqual(len(backend.calls), 1)

    def test_same_currency_and_unknown(self):
        service = RateService(Backend(), clock=Clock())
        self.assertEqual(service.get_rate("usd", "USD"), 1)
        with self.assertRaises(UnknownCurrency):
            service.get_rate("EUR", "XYZ")

    def test_convert_price_single_currency(self):
        service = RateService(Backend(), clock=Clock())
        self.assertEqual(convert_price(service, "19.99", "USD"), Decimal("21.69"))
        self.assertEqual(convert_price(service, "19.99", "USD"), Decimal("21.69"))
