import unittest

from accounts.directory import search
from accounts.normalize import fold, validate_username
from accounts.registry import Registry, UsernameTaken


class TestNormalize(unittest.TestCase):
    def test_fold_ascii_and_width(self):
        self.assertEqual(fold(" Alice "), "alice")
        self.assertEqual(fold("\uff41\uff4c\uff49\uff43\uff45"), "alice")
        self.assertEqual(fold("J\u00dcRGEN"), "j\u00fcrgen")

    def test_validate(self):
        self.assertEqual(validate_username("  bob_99 "), "bob_99")
        for bad in ("ab", "has space", "x" * 31, "semi;colon"):
            with self.assertRaises(ValueError):
                validate_username(bad)


class TestRegistry(unittest.TestCase):
    def test_case_insensitive_uniqueness(self):
        reg = Registry()
        reg.register("Alice")
        with self.assertRaises(UsernameTaken):
            reg.register("ALICE")
        with self.assertRaises(UsernameTaken):
            reg.register("\uff41\uff4c\uff49\uff43\uff45")
        self.assertEqual(reg.find("aLiCe").username, "Alice")

    def test_non_ascii_names(self):
        reg = Registry()
        reg.register("J\u00fcrgen")
        self.assertEqual(reg.find("J\u00dcRGEN").username, "J\u00fcrgen")
        reg.register("Jurgen")  # different person


class TestDirectory(unittest.TestCase):
    def test_search(self):
        reg = Registry()
        reg.register("carol", "Carol Danvers")
        reg.register("dan", "Dan Brown")
        reg.register("zoe", "Zo\u00eb Dan")
        self.assertEqual([a.username for a in search(reg, "DAN")], ["carol", "dan", "zoe"])
        self.assertEqual(search(reg, "   "), [])
