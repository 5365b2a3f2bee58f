import unittest

from catalog.listing import listing
from catalog.products import Product
from catalog.sorting import sort_products

ITEMS = [
    Product("M-900", "Custom pump skid", "pumps"),
    Product("P-100", "Centrifugal pump 1kW", "pumps", "349.00", 12),
    Product("M-901", "Fire pump station", "pumps"),
    Product("P-050", "Hand pump", "pumps", "49.90", 40),
    Product("P-200", "Booster pump", "pumps", "1299.00", 3),
]


class TestPriceOnRequestSorting(unittest.TestCase):
    def test_price_ascending_puts_price_on_request_last(self):
        self.assertEqual([p.sku for p in sort_products(ITEMS, "price_asc")], ["P-050", "P-100", "P-200", "M-900", "M-901"])

    def test_price_descending_puts_price_on_request_last(self):
        self.assertEqual([p.sku for p in sort_products(ITEMS, "price_desc")], ["P-200", "P-100", "P-050", "M-900", "M-901"])

    def test_listing_page_with_only_price_on_request(self):
        items = [Product("M-2", "B", "x"), Product("M-1", "A", "x")]
        self.assertEqual([p.sku for p in listing(items, "x", order="price_desc")], ["M-2", "M-1"])

    def test_other_orders_unaffected(self):
        self.assertEqual([p.sku for p in sort_products(ITEMS, "name")], ["P-200", "P-100", "M-900", "M-901", "P-050"])


if __name__ == "__main__":
    unittest.main()
