import unittest

from accounts.directory import search
from accounts.normalize import fold
from accounts.registry import Registry, UsernameTaken


class TestFullCaseFolding(unittest.TestCase):
    def test_sharp_s_names_are_the_same_account(self):
        reg = Registry()
        reg.register("Stra\u00dfe")
        with self.assertRaises(UsernameTaken):
            reg.register("STRASSE")
        with self.assertRaises(UsernameTaken):
            reg.register("strasse")
        self.assertEqual(reg.find("STRASSE").username, "Stra\u00dfe")

    def test_capital_sharp_s(self):
        reg = Registry()
        reg.register("GRO\u1e9e")
        self.assertEqual(reg.find("gross").username, "GRO\u1e9e")
        self.assertEqual(reg.find("gro\u00df").username, "GRO\u1e9e")

    def test_fold_matches_for_caseless_comparison(self):
        self.assertEqual(fold("Wei\u00df"), fold("WEISS"))
        self.assertEqual(fold("Wei\u00df"), fold("weiss"))

    def test_directory_search_finds_sharp_s(self):
        reg = Registry()
        reg.register("mweiss", "Marie Wei\u00df")
        reg.register("kgross", "Karl Gross")
        self.assertEqual([a.username for a in search(reg, "weiss")], ["mweiss"])
        self.assertEqual([a.username for a in search(reg, "Gro\u00df")], ["kgross"])


if __name__ == "__main__":
    unittest.main()
