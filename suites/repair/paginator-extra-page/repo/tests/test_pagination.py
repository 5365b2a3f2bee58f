import unittest

from catalog_api.pagination import InvalidPage, Paginator
from catalog_api.params import MAX_PAGE_SIZE, BadRequest, parse_page_params
from catalog_api.views import list_products


def products(n):
    return [{"sku": "P%03d" % i, "name": "Product %d" % i} for i in range(1, n + 1)]


class TestPaginator(unittest.TestCase):
    def test_partial_last_page(self):
        p = Paginator(list(range(25)), 10)
        self.assertEqual(p.num_pages, 3)
        last = p.page(3)
        self.assertEqual(list(last), [20, 21, 22, 23, 24])
        self.assertFalse(last.has_next())
        self.assertEqual((last.start_index(), last.end_index()), (21, 25))

    def test_empty_collection(self):
        p = Paginator([], 10)
        self.assertEqual(p.num_pages, 1)
        self.assertEqual(list(p.page(1)), [])
        self.assertEqual(Paginator([], 10, allow_empty_first_page=False).num_pages, 0)

    def test_invalid_numbers(self):
        p = Paginator(list(range(5)), 2)
        for bad in (0, -1, "x", None, 4):
            with self.assertRaises(InvalidPage):
                p.page(bad)


class TestParams(unittest.TestCase):
    def test_defaults_and_cap(self):
        self.assertEqual(parse_page_params({}), (1, 20))
        self.assertEqual(parse_page_params({"page": "3", "page_size": "1000"}), (3, MAX_PAGE_SIZE))

    def test_bad_values(self):
        with self.assertRaises(BadRequest):
            parse_page_params({"page": "abc"})
        with self.assertRaises(BadRequest):
            parse_page_params({"page_size": "0"})


class TestListView(unittest.TestCase):
    def test_first_page_links(self):
        status, body = list_products(products(45), {"page_size": "20"})
        self.assertEqual(status, 200)
        self.assertEqual(body["num_pages"], 3)
        self.assertEqual(body["next"], "/api/products?page=2&page_size=20")
        self.assertIsNone(body["previous"])

    def test_out_of_range_is_404(self):
        status, body = list_products(products(5), {"page": "3", "page_size": "5"})
        self.assertEqual(status, 404)
        self.assertIn("error", body)
