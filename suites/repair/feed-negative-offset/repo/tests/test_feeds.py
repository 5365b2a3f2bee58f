import unittest
from datetime import datetime, timedelta, timezone

from feedgen.entries import Entry
from feedgen.render import atom, rss
from feedgen.tzfmt import format_offset, rfc822, rfc3339


def tz(hours, minutes=0):
    return timezone(timedelta(hours=hours, minutes=minutes))


class TestTzFormat(unittest.TestCase):
    def test_positive_offsets(self):
        self.assertEqual(format_offset(timedelta(hours=2)), "+02:00")
        self.assertEqual(format_offset(timedelta(hours=5, minutes=45)), "+05:45")
        self.assertEqual(format_offset(timedelta(hours=9, minutes=30), sep=""), "+0930")

    def test_whole_hour_negative_offset(self):
        self.assertEqual(format_offset(timedelta(hours=-5)), "-05:00")

    def test_rfc3339_utc_is_z(self):
        self.assertEqual(rfc3339(datetime(2024, 5, 10, 9, 0, tzinfo=timezone.utc)), "2024-05-10T09:00:00Z")

    def test_rfc822(self):
        self.assertEqual(rfc822(datetime(2024, 5, 10, 9, 0, 5, tzinfo=tz(2))), "Fri, 10 May 2024 09:00:05 +0200")


class TestRender(unittest.TestCase):
    def test_atom_newest_first(self):
        entries = [
            Entry("a", "First & best", datetime(2024, 1, 1, 12, tzinfo=tz(1))),
            Entry("b", "Second", datetime(2024, 2, 1, 12, tzinfo=tz(1))),
        ]
        doc = atom(entries, "Blog", "https://blog.example/")
        self.assertLess(doc.index("Second"), doc.index("First &amp; best"))
        self.assertIn("<updated>2024-02-01T12:00:00+01:00</updated>", doc)

    def test_naive_rejected(self):
        with self.assertRaises(ValueError):
            Entry("x", "x", datetime(2024, 1, 1))

    def test_rss(self):
        doc = rss([Entry("c", "C", datetime(2024, 3, 4, 5, 6, 7, tzinfo=tz(-8)))], "Blog", "https://blog.example")
        self.assertIn("<pubDate>Mon, 04 Mar 2024 05:06:07 -0800</pubDate>", doc)
        self.assertIn("<link>https://blog.example/posts/c/</link>", doc)
