import unittest

from recipes.slugs import slugify
from recipes.store import RecipeStore
from recipes.urls import recipe_url


class TestAccentedTitles(unittest.TestCase):
    def test_accents_become_base_letters(self):
        self.assertEqual(slugify("Cr\u00e8me br\u00fbl\u00e9e"), "creme-brulee")
        self.assertEqual(slugify("Jalape\u00f1o poppers"), "jalapeno-poppers")
        self.assertEqual(slugify("Caf\u00e9 au lait"), "cafe-au-lait")
        self.assertEqual(slugify("\u0106evapi with ajvar"), "cevapi-with-ajvar")

    def test_decomposed_input(self):
        self.assertEqual(slugify("Cre\u0300me brule\u0301e"), "creme-brulee")

    def test_uppercase_accents(self):
        self.assertEqual(slugify("\u00c9CLAIRS AU CHOCOLAT"), "eclairs-au-chocolat")

    def test_store_and_url(self):
        store = RecipeStore()
        first = store.add("Cr\u00e8me br\u00fbl\u00e9e")
        second = store.add("Creme brulee")
        self.assertEqual((first.slug, second.slug), ("creme-brulee", "creme-brulee-2"))
        self.assertEqual(recipe_url(first), "https://cook.example/recipes/creme-brulee/")


if __name__ == "__main__":
    unittest.main()
