import unittest

from shop.api import checkout
from shop.errors import UnknownProduct
from shop.inventory import Inventory
from shop.orders import place_order


class TestInventory(unittest.TestCase):
    def test_reserve_release_commit(self):
        inv = Inventory({"MUG": 5})
        inv.reserve("MUG", 2)
        self.assertEqual(inv.available("MUG"), 3)
        inv.release("MUG", 1)
        inv.commit("MUG", 1)
        self.assertEqual(inv.available("MUG"), 4)

    def test_invalid_quantity_and_unknown(self):
        inv = Inventory({"MUG": 5})
        with self.assertRaises(ValueError):
            inv.reserve("MUG", 0)
        with self.assertRaises(UnknownProduct):
            inv.reserve("CAP", 1)


class TestOrders(unittest.TestCase):
    def test_successful_order(self):
        inv = Inventory({"MUG": 5, "TEE": 2})
        result = place_order(inv, [("MUG", 2), ("TEE", 2)])
        self.assertTrue(result.ok)
        self.assertEqual((inv.available("MUG"), inv.available("TEE")), (3, 0))

    def test_unknown_product_releases_earlier_lines(self):
        inv = Inventory({"MUG": 5})
        result = place_order(inv, [("MUG", 2), ("CAP", 1)])
        self.assertEqual((result.ok, result.error, result.status), (False, "unknown_product", 404))
        self.assertEqual(inv.available("MUG"), 5)


class TestApi(unittest.TestCase):
    def test_checkout_ok_and_bad_request(self):
        inv = Inventory({"MUG": 5})
        status, body = checkout(inv, {"items": [{"sku": "MUG", "quantity": 1}]})
        self.assertEqual(status, 201)
        self.assertTrue(body["order_id"].startswith("ORD-"))
        self.assertEqual(checkout(inv, {"items": [{"sku": "MUG", "quantity": "2"}]})[0], 400)
        self.assertEqual(checkout(inv, {})[0], 400)
