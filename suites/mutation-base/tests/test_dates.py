import datetime
import unittest

from worklog import add_months, days_in_month, is_leap, month_bounds, parse_date, week_label, week_start, working_days

D = datetime.date


class TestCalendar(unittest.TestCase):
    def test_leap_years(self):
        self.assertTrue(is_leap(2024))
        self.assertFalse(is_leap(2023))
        self.assertFalse(is_leap(1900))
        self.assertTrue(is_leap(2000))
        self.assertFalse(is_leap(2100))

    def test_days_in_month(self):
        self.assertEqual(days_in_month(2024, 2), 29)
        self.assertEqual(days_in_month(2023, 2), 28)
        self.assertEqual([days_in_month(2023, m) for m in (4, 6, 9, 11)], [30, 30, 30, 30])
        self.assertEqual([days_in_month(2023, m) for m in (1, 3, 5, 7, 8, 10, 12)], [31] * 7)

    def test_month_bounds(self):
        self.assertEqual(month_bounds(D(2024, 2, 10)), (D(2024, 2, 1), D(2024, 2, 29)))
        self.assertEqual(month_bounds(D(2024, 4, 30)), (D(2024, 4, 1), D(2024, 4, 30)))


class TestParseDate(unittest.TestCase):
    def test_iso_and_dotted_forms(self):
        self.assertEqual(parse_date("2024-03-05"), D(2024, 3, 5))
        self.assertEqual(parse_date(" 2024-02-29 "), D(2024, 2, 29))
        self.assertEqual(parse_date("5.3.2024"), D(2024, 3, 5))
        self.assertEqual(parse_date("31.12.2024"), D(2024, 12, 31))
        self.assertEqual(parse_date("2024-01-01"), D(2024, 1, 1))

    def test_rejects_days_and_months_that_do_not_exist(self):
        for text in ("2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "0.1.2024", "32.1.2024"):
            with self.assertRaises(ValueError, msg=text):
                parse_date(text)

    def test_last_day_of_a_month_is_accepted(self):
        self.assertEqual(parse_date("2024-04-30"), D(2024, 4, 30))
        self.assertEqual(parse_date("28.2.2023"), D(2023, 2, 28))

    def test_rejects_other_formats(self):
        for text in ("2024/03/05", "March 5, 2024", "", "05-03-2024"):
            with self.assertRaises(ValueError, msg=text):
                parse_date(text)


class TestWeeksAndMonths(unittest.TestCase):
    def test_week_start_is_monday(self):
        self.assertEqual(week_start(D(2024, 3, 7)), D(2024, 3, 4))
        self.assertEqual(week_start(D(2024, 3, 4)), D(2024, 3, 4))
        self.assertEqual(week_start(D(2024, 3, 10)), D(2024, 3, 4))

    def test_week_label_uses_the_iso_year(self):
        self.assertEqual(week_label(D(2024, 1, 31)), "2024-W05")
        self.assertEqual(week_label(D(2021, 1, 1)), "2020-W53")
        self.assertEqual(week_label(D(2024, 12, 30)), "2025-W01")

    def test_add_months_clamps_to_the_end_of_the_month(self):
        self.assertEqual(add_months(D(2024, 1, 31), 1), D(2024, 2, 29))
        self.assertEqual(add_months(D(2023, 1, 31), 1), D(2023, 2, 28))
        self.assertEqual(add_months(D(2024, 3, 31), -1), D(2024, 2, 29))

    def test_add_months_across_years(self):
        self.assertEqual(add_months(D(2024, 11, 15), 2), D(2025, 1, 15))
        self.assertEqual(add_months(D(2024, 1, 15), -1), D(2023, 12, 15))
        self.assertEqual(add_months(D(2024, 12, 10), 1), D(2025, 1, 10))
        self.assertEqual(add_months(D(2024, 1, 10), 11), D(2024, 12, 10))
        self.assertEqual(add_months(D(2024, 5, 10), 0), D(2024, 5, 10))

    def test_working_days_counts_both_ends(self):
        self.assertEqual(working_days(D(2024, 3, 4), D(2024, 3, 8)), 5)
        self.assertEqual(working_days(D(2024, 3, 4), D(2024, 3, 4)), 1)
        self.assertEqual(working_days(D(2024, 3, 4), D(2024, 3, 11)), 6)
        self.assertEqual(working_days(D(2024, 3, 8), D(2024, 3, 11)), 2)

    def test_working_days_skips_weekends_and_holidays(self):
        self.assertEqual(working_days(D(2024, 3, 4), D(2024, 3, 10)), 5)
        self.assertEqual(working_days(D(2024, 3, 9), D(2024, 3, 10)), 0)
        self.assertEqual(working_days(D(2024, 3, 4), D(2024, 3, 8), [D(2024, 3, 6)]), 4)
        self.assertEqual(working_days(D(2024, 3, 8), D(2024, 3, 4)), 0)
