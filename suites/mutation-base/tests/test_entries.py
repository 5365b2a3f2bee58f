import datetime
import unittest

from worklog import Entry, find_overlaps, format_clock, parse_entry, parse_time

D = datetime.date


def timed(start, end, day=D(2024, 3, 4), project="acme"):
    first, last = parse_time(start), parse_time(end)
    return Entry(day, project, last - first, start=first)


class TestTimes(unittest.TestCase):
    def test_parse_time(self):
        self.assertEqual(parse_time("9:05"), 545)
        self.assertEqual(parse_time("09:05"), 545)
        self.assertEqual(parse_time("0:00"), 0)
        self.assertEqual(parse_time("23:59"), 1439)

    def test_parse_time_rejects_impossible_times(self):
        for text in ("24:00", "7:60", "abc", "12", "-1:00"):
            with self.assertRaises(ValueError, msg=text):
                parse_time(text)

    def test_format_clock(self):
        self.assertEqual(format_clock(545), "09:05")
        self.assertEqual(format_clock(0), "00:00")
        self.assertEqual(format_clock(1439), "23:59")


class TestEntry(unittest.TestCase):
    def test_normalises_project_and_note(self):
        entry = Entry(D(2024, 3, 4), " Acme ", 30, "  fixed   the\tlogin ")
        self.assertEqual(entry.project, "acme")
        self.assertEqual(entry.note, "fixed the login")
        self.assertTrue(entry.billable)
        self.assertIsNone(entry.end)

    def test_rejects_bad_project_names(self):
        for name in ("1abc", "", "a b", "acme!"):
            with self.assertRaises(ValueError, msg=name):
                Entry(D(2024, 3, 4), name, 30)

    def test_minutes_must_fit_in_a_day(self):
        self.assertEqual(Entry(D(2024, 3, 4), "acme", 1440).minutes, 1440)
        self.assertEqual(Entry(D(2024, 3, 4), "acme", 1).minutes, 1)
        for minutes in (0, -5, 1441):
            with self.assertRaises(ValueError, msg=str(minutes)):
                Entry(D(2024, 3, 4), "acme", minutes)

    def test_entry_must_end_on_its_day(self):
        self.assertEqual(Entry(D(2024, 3, 4), "acme", 60, start=1380).end, 1440)
        self.assertEqual(Entry(D(2024, 3, 4), "acme", 60, start=0).end, 60)
        for start in (1381, -1):
            with self.assertRaises(ValueError, msg=str(start)):
                Entry(D(2024, 3, 4), "acme", 60, start=start)

    def test_overlaps(self):
        nine_to_ten = timed("9:00", "10:00")
        self.assertFalse(nine_to_ten.overlaps(timed("10:00", "11:00")))
        self.assertFalse(timed("10:00", "11:00").overlaps(nine_to_ten))
        self.assertTrue(nine_to_ten.overlaps(timed("9:30", "10:30")))
        self.assertTrue(timed("9:30", "10:30").overlaps(nine_to_ten))
        self.assertTrue(nine_to_ten.overlaps(timed("9:59", "10:30")))
        self.assertFalse(nine_to_ten.overlaps(timed("9:00", "10:00", day=D(2024, 3, 5))))
        self.assertFalse(nine_to_ten.overlaps(Entry(D(2024, 3, 4), "acme", 60)))


class TestParseEntry(unittest.TestCase):
    def test_time_span(self):
        entry = parse_entry("2024-03-04 09:00-10:30 acme Fixing the  login")
        self.assertEqual((entry.day, entry.start, entry.minutes), (D(2024, 3, 4), 540, 90))
        self.assertEqual((entry.project, entry.note, entry.billable), ("acme", "Fixing the login", True))

    def test_duration_and_not_billable(self):
        entry = parse_entry("4.3.2024 1h30m ~internal Planning")
        self.assertEqual((entry.start, entry.minutes), (None, 90))
        self.assertEqual((entry.project, entry.note, entry.billable), ("internal", "Planning", False))

    def test_note_is_optional(self):
        entry = parse_entry("2024-03-04 1h acme")
        self.assertEqual((entry.note, entry.minutes), ("", 60))
        self.assertEqual(parse_entry("2024-03-04 09:00-09:01 acme").minutes, 1)

    def test_end_must_come_after_start(self):
        for line in ("2024-03-04 10:00-10:00 acme", "2024-03-04 10:30-10:00 acme", "2024-03-04 1h"):
            with self.assertRaises(ValueError, msg=line):
                parse_entry(line)

    def test_find_overlaps(self):
        a, b = timed("9:00", "10:00"), timed("9:30", "10:30")
        c, d = timed("10:30", "11:00"), timed("9:00", "10:00", day=D(2024, 3, 5))
        untimed = Entry(D(2024, 3, 4), "acme", 600)
        self.assertEqual(find_overlaps([c, d, untimed, b, a]), [(a, b)])
        self.assertEqual(find_overlaps([timed("9:00", "10:00"), timed("10:00", "11:00")]), [])

    def test_find_overlaps_inside_a_long_entry(self):
        x, y, z = timed("9:00", "12:00"), timed("9:30", "10:00"), timed("11:00", "11:30")
        self.assertEqual(find_overlaps([z, y, x]), [(x, y), (x, z)])
