import os
import tempfile
import unittest

from snapback.manifest import build_manifest, format_manifest
from snapback.rules import ExcludeRules
from snapback.walker import iter_files


def make_tree(root, files):
    for rel, content in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(content)


class TestRules(unittest.TestCase):
    def test_directories(self):
        rules = ExcludeRules(["var/cache", "/tmp/"])
        self.assertTrue(rules.is_excluded("var/cache"))
        self.assertTrue(rules.is_excluded("var/cache/apt/pkg.deb"))
        self.assertTrue(rules.is_excluded("tmp/x"))
        self.assertFalse(rules.is_excluded("var/log/syslog"))

    def test_patterns(self):
        rules = ExcludeRules(patterns=["*.tmp", ".DS_Store"])
        self.assertTrue(rules.is_excluded("docs/report.tmp"))
        self.assertTrue(rules.is_excluded(".DS_Store"))
        self.assertFalse(rules.is_excluded("docs/report.txt"))

    def test_from_config(self):
        rules = ExcludeRules.from_config({"exclude_dirs": ["a"], "exclude_patterns": ["*.o"]})
        self.assertEqual((rules.directories, rules.patterns), (["a"], ["*.o"]))


class TestWalk(unittest.TestCase):
    def test_manifest(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, {"etc/hosts": "127.0.0.1 localhost\n", "var/cache/big.bin": "x" * 100, "notes.tmp": "", "b.txt": "b"})
            entries = build_manifest(root, ExcludeRules(["var/cache"], ["*.tmp"]))
        self.assertEqual([e[0] for e in entries], ["b.txt", "etc/hosts"])
        self.assertEqual(entries[0][1:], (1, "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"))
        self.assertTrue(format_manifest(entries).endswith("  20  etc/hosts\n"))
