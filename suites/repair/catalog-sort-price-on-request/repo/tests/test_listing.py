import unittest
from datetime import date

from catalog.listing import listing, rows
from catalog.products import Product
from catalog.sorting import sort_products

PUMPS = [
    Product("P-100", "Centrifugal pump 1kW", "pumps", "349.00", 12, date(2023, 5, 1)),
    Product("P-200", "Booster pump", "pumps", "1299.00", 0, date(2024, 2, 1)),
    Product("P-050", "Hand pump", "pumps", "49.90", 40, date(2021, 1, 1)),
]
VALVES = [Product("V-001", "ball valve", "valves", "12.50", 500)]


class TestSorting(unittest.TestCase):
    def test_price_orders(self):
        self.assertEqual([p.sku for p in sort_products(PUMPS, "price_asc")], ["P-050", "P-100", "P-200"])
        self.assertEqual([p.sku for p in sort_products(PUMPS, "price_desc")], ["P-200", "P-100", "P-050"])

    def test_name_newest_relevance(self):
        items = PUMPS + VALVES
        self.assertEqual([p.sku for p in sort_products(items, "name")], ["V-001", "P-200", "P-100", "P-050"])
        self.assertEqual([p.sku for p in sort_products(items, "newest")][0], "P-200")
        self.assertEqual(sort_products(items), items)
        with self.assertRaises(ValueError):
            sort_products(items, "cheapest")


class TestListing(unittest.TestCase):
    def test_filters(self):
        self.assertEqual([p.sku for p in listing(PUMPS + VALVES, "pumps", in_stock_only=True)], ["P-100", "P-050"])

    def test_rows(self):
        custom = Product("M-900", "Custom skid", "pumps")
        self.assertEqual(rows([PUMPS[1], custom])[0], "P-200    Booster pump                 EUR 1,299.00")
        self.assertTrue(rows([custom])[0].endswith("Price on request"))
        self.assertEqual(listing([custom], "pumps"), [custom])
