import unittest

from recipes.slugs import slugify
from recipes.store import RecipeStore
from recipes.urls import recipe_url, search_url


class TestSlugify(unittest.TestCase):
    def test_ascii_titles(self):
        self.assertEqual(slugify("Mom's Apple Pie!"), "mom-s-apple-pie")
        self.assertEqual(slugify("  10-Minute   Pasta  "), "10-minute-pasta")

    def test_length_and_fallback(self):
        self.assertEqual(slugify("a" * 100, max_length=10), "a" * 10)
        self.assertEqual(slugify("Soup of the day", max_length=8), "soup-of")
        self.assertEqual(slugify("!!!"), "recipe")
        self.assertEqual(slugify("\u9ebb\u5a46\u8c46\u8150"), "recipe")


class TestStore(unittest.TestCase):
    def test_unique_slugs(self):
        store = RecipeStore()
        self.assertEqual([store.add(t).slug for t in ("Pancakes", "pancakes!", "PANCAKES")], ["pancakes", "pancakes-2", "pancakes-3"])
        self.assertEqual(store.get("pancakes-2").title, "pancakes!")

    def test_urls(self):
        store = RecipeStore()
        self.assertEqual(recipe_url(store.add("Banana Bread")), "https://cook.example/recipes/banana-bread/")
        self.assertEqual(search_url("cr\u00e8me"), "https://cook.example/search?q=cr%C3%A8me")
