import unittest

from diskreport.humanize import format_size, parse_size
from diskreport.report import render
from diskreport.scan import group_sizes, largest


class TestHumanize(unittest.TestCase):
    def test_format(self):
        self.assertEqual(format_size(1), "1 B")
        self.assertEqual(format_size(1023), "1023 B")
        self.assertEqual(format_size(1024), "1.0 KiB")
        self.assertEqual(format_size(1536), "1.5 KiB")
        self.assertEqual(format_size(5 * 1024 ** 3, precision=2), "5.00 GiB")
        self.assertEqual(format_size(3 * 1024 ** 6), "3072.0 PiB")

    def test_negative(self):
        with self.assertRaises(ValueError):
            format_size(-1)

    def test_parse(self):
        self.assertEqual(parse_size("1.5 KiB"), 1536)
        self.assertEqual(parse_size("12"), 12)


class TestScan(unittest.TestCase):
    def test_group_and_largest(self):
        entries = [("home/a/x.iso", 700), ("home/b/y.txt", 100), ("var/log/syslog", 300), ("README", 5)]
        self.assertEqual(group_sizes(entries), {"home": 800, "var": 300, "README": 5})
        self.assertEqual(largest(group_sizes(entries, depth=2), 2), [("home/a", 700), ("var/log", 300)])


class TestRender(unittest.TestCase):
    def test_render(self):
        text = render([("home/a", 3072), ("var/b", 1024)])
        self.assertEqual(
            text.splitlines(),
            ["   3.0 KiB   75.0%  home", "   1.0 KiB   25.0%  var", "   4.0 KiB    100%  total (2 groups)"],
        )
