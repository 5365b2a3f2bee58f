import unittest
from decimal import Decimal

from worklog import format_duration, hours_decimal, parse_duration, round_up


class TestParseDuration(unittest.TestCase):
    def test_clock_notation(self):
        self.assertEqual(parse_duration("1:30"), 90)
        self.assertEqual(parse_duration("0:45"), 45)
        self.assertEqual(parse_duration("24:00"), 1440)

    def test_hours_and_minutes(self):
        self.assertEqual(parse_duration("1h30m"), 90)
        self.assertEqual(parse_duration("1h 30min"), 90)
        self.assertEqual(parse_duration(" 2H "), 120)
        self.assertEqual(parse_duration("45m"), 45)

    def test_decimal_hours_round_to_the_minute(self):
        self.assertEqual(parse_duration("1.5h"), 90)
        self.assertEqual(parse_duration("0.25h"), 15)
        self.assertEqual(parse_duration("0.01h"), 1)

    def test_bare_number_is_minutes(self):
        self.assertEqual(parse_duration("45"), 45)
        self.assertEqual(parse_duration("1"), 1)
        self.assertEqual(parse_duration("1440"), 1440)

    def test_rejects_zero_and_more_than_a_day(self):
        for text in ("0", "0:00", "0.004h", "1441", "24:01", "25h"):
            with self.assertRaises(ValueError, msg=text):
                parse_duration(text)

    def test_rejects_garbage(self):
        for text in ("", "   ", "abc", "1:75", "h", "1h30x"):
            with self.assertRaises(ValueError, msg=text):
                parse_duration(text)


class TestFormatAndRound(unittest.TestCase):
    def test_format_duration(self):
        self.assertEqual(format_duration(65), "1:05")
        self.assertEqual(format_duration(59), "0:59")
        self.assertEqual(format_duration(0), "0:00")
        self.assertEqual(format_duration(600), "10:00")
        self.assertEqual(format_duration(-75), "-1:15")

    def test_round_up_to_quarter_hours(self):
        self.assertEqual(round_up(0), 0)
        self.assertEqual(round_up(1), 15)
        self.assertEqual(round_up(15), 15)
        self.assertEqual(round_up(16), 30)
        self.assertEqual(round_up(7, 1), 7)
        self.assertEqual(round_up(31, 30), 60)

    def test_round_up_forgives_the_grace_minutes(self):
        self.assertEqual(round_up(30, 15, 2), 30)
        self.assertEqual(round_up(32, 15, 2), 30)
        self.assertEqual(round_up(33, 15, 2), 45)
        self.assertEqual(round_up(44, 15, 14), 30)

    def test_round_up_checks_its_settings(self):
        with self.assertRaises(ValueError):
            round_up(10, 0)
        with self.assertRaises(ValueError):
            round_up(10, 15, 15)
        with self.assertRaises(ValueError):
            round_up(10, 15, -1)

    def test_hours_decimal(self):
        self.assertEqual(hours_decimal(90), Decimal("1.50"))
        self.assertEqual(hours_decimal(20), Decimal("0.33"))
        self.assertEqual(hours_decimal(40), Decimal("0.67"))
        self.assertEqual(hours_decimal(1), Decimal("0.02"))
        self.assertEqual(hours_decimal(0), Decimal("0.00"))
