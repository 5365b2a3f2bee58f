import unittest
from datetime import datetime, timedelta, timezone

from feedgen.entries import Entry
from feedgen.render import atom, rss
from feedgen.tzfmt import format_offset, rfc822, rfc3339

NEWFOUNDLAND = timezone(timedelta(hours=-3, minutes=-30))


class TestNegativeFractionalOffsets(unittest.TestCase):
    def test_format_offset_negative_half_hour(self):
        self.assertEqual(format_offset(timedelta(hours=-3, minutes=-30)), "-03:30")
        self.assertEqual(format_offset(timedelta(hours=-9, minutes=-30), sep=""), "-0930")
        self.assertEqual(format_offset(timedelta(minutes=-30)), "-00:30")
        self.assertEqual(format_offset(timedelta(hours=-2, minutes=-30)), "-02:30")

    def test_rfc3339_newfoundland(self):
        self.assertEqual(rfc3339(datetime(2024, 5, 10, 9, 0, tzinfo=NEWFOUNDLAND)), "2024-05-10T09:00:00-03:30")

    def test_rfc822_newfoundland(self):
        self.assertEqual(rfc822(datetime(2024, 5, 10, 9, 0, tzinfo=NEWFOUNDLAND)), "Fri, 10 May 2024 09:00:00 -0330")

    def test_feeds_round_trip_to_same_instant(self):
        published = datetime(2024, 5, 10, 9, 0, tzinfo=NEWFOUNDLAND)
        doc = atom([Entry("p", "Post", published)], "Blog", "https://blog.example")
        stamp = doc.split("<updated>")[1].split("</updated>")[0]
        self.assertEqual(datetime.fromisoformat(stamp), published)
        self.assertIn("<pubDate>Fri, 10 May 2024 09:00:00 -0330</pubDate>", rss([Entry("p", "Post", published)], "Blog", "https://blog.example"))


if __name__ == "__main__":
    unittest.main()
