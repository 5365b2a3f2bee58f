import unittest

from catalog_api.pagination import InvalidPage, Paginator
from catalog_api.views import list_products


def products(n):
    return [{"sku": "P%03d" % i, "name": "Product %d" % i} for i in range(1, n + 1)]


class TestExactMultiple(unittest.TestCase):
    def test_num_pages_when_count_is_multiple_of_page_size(self):
        self.assertEqual(Paginator(list(range(20)), 10).num_pages, 2)
        self.assertEqual(Paginator(list(range(3)), 1).num_pages, 3)
        self.assertEqual(Paginator(list(range(10)), 10).num_pages, 1)

    def test_last_full_page_has_no_next(self):
        p = Paginator(list(range(20)), 10)
        last = p.page(2)
        self.assertEqual(list(last), list(range(10, 20)))
        self.assertFalse(last.has_next())

    def test_page_after_last_full_page_is_invalid(self):
        with self.assertRaises(InvalidPage):
            Paginator(list(range(20)), 10).page(3)

    def test_view_last_page_has_no_next_link(self):
        status, body = list_products(products(40), {"page": "2", "page_size": "20"})
        self.assertEqual(status, 200)
        self.assertEqual(body["num_pages"], 2)
        self.assertEqual(len(body["results"]), 20)
        self.assertIsNone(body["next"])
        status, _ = list_products(products(40), {"page": "3", "page_size": "20"})
        self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()
