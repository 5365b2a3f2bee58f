import tempfile
import unittest

from snapback.rules import ExcludeRules
from snapback.walker import iter_files
from tests.test_backup import make_tree


class TestSiblingDirectories(unittest.TestCase):
    def test_prefix_sibling_is_not_excluded(self):
        rules = ExcludeRules(["srv/media"])
        self.assertTrue(rules.is_excluded("srv/media"))
        self.assertTrue(rules.is_excluded("srv/media/2024/cat.jpg"))
        self.assertFalse(rules.is_excluded("srv/media-archive/2019/dog.jpg"))
        self.assertFalse(rules.is_excluded("srv/mediawiki.conf"))

    def test_trailing_slash_in_config(self):
        rules = ExcludeRules(["home/alice/Downloads/"])
        self.assertTrue(rules.is_excluded("home/alice/Downloads/setup.exe"))
        self.assertFalse(rules.is_excluded("home/alice/Downloads-old/receipt.pdf"))

    def test_walk_keeps_sibling_directories(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, {
                "srv/media/cat.jpg": "c",
                "srv/media-archive/dog.jpg": "d",
                "srv/mediawiki.conf": "w",
                "srv/media2/eel.jpg": "e",
            })
            files = list(iter_files(root, ExcludeRules(["srv/media"])))
        self.assertEqual(files, ["srv/mediawiki.conf", "srv/media-archive/dog.jpg", "srv/media2/eel.jpg"])


if __name__ == "__main__":
    unittest.main()
