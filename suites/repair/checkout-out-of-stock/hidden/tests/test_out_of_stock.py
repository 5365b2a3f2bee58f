import unittest

from shop.api import checkout
from shop.errors import OutOfStock, ShopError
from shop.inventory import Inventory
from shop.orders import place_order


class TestOutOfStock(unittest.TestCase):
    def test_reserve_raises_out_of_stock(self):
        inv = Inventory({"TEE": 2})
        with self.assertRaises(OutOfStock) as ctx:
            inv.reserve("TEE", 3)
        self.assertIsInstance(ctx.exception, ShopError)
        self.assertEqual((ctx.exception.sku, ctx.exception.requested, ctx.exception.available), ("TEE", 3, 2))

    def test_place_order_reports_and_releases(self):
        inv = Inventory({"MUG": 5, "TEE": 2})
        result = place_order(inv, [("MUG", 2), ("TEE", 3)])
        self.assertFalse(result.ok)
        self.assertEqual((result.error, result.status), ("out_of_stock", 409))
        self.assertEqual((inv.available("MUG"), inv.available("TEE")), (5, 2))

    def test_checkout_returns_409(self):
        inv = Inventory({"MUG": 1})
        status, body = checkout(inv, {"items": [{"sku": "MUG", "quantity": 2}]})
        self.assertEqual(status, 409)
        self.assertEqual(body["error"], "out_of_stock")
        self.assertIn("only 1 of MUG left", body["message"])
        self.assertEqual(inv.available("MUG"), 1)


if __name__ == "__main__":
    unittest.main()
