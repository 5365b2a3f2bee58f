import unittest
from datetime import date

from telemetry.daily import daily_report, render
from telemetry.readings import parse_lines
from telemetry.stats import percentile, summarize

LOG = """
# gateway 3
2024-06-01T06:00:00 temp-1 18.5
2024-06-01T12:00:00 temp-1 27.0
2024-06-01T18:00:00 temp-1 22.5
2024-06-01T12:00:00 hum-1 61
2024-06-02T06:00:00 temp-1 17.0
garbage line
""".splitlines()


class TestParsing(unittest.TestCase):
    def test_parse_lines(self):
        readings, bad = parse_lines(LOG)
        self.assertEqual(len(readings), 5)
        self.assertEqual(bad, [8])


class TestStats(unittest.TestCase):
    def test_summarize(self):
        self.assertEqual(summarize([3, 1, 2, 4]).as_tuple(), (4, 1, 4, 2.5, 4))

    def test_single_value(self):
        self.assertEqual(summarize([7.5]).as_tuple(), (1, 7.5, 7.5, 7.5, 7.5))

    def test_percentile(self):
        self.assertEqual(percentile(list(range(1, 101)), 95), 95)


class TestDaily(unittest.TestCase):
    def test_report_for_active_sensors(self):
        readings, _ = parse_lines(LOG)
        report = daily_report(readings, ["temp-1", "hum-1"], date(2024, 6, 1))
        self.assertEqual(report["temp-1"].as_tuple(), (3, 18.5, 27.0, 22.666666666666668, 27.0))
        self.assertEqual(
            render(report).splitlines()[1:],
            ["temp-1        3    18.5    27.0    22.7    27.0", "hum-1         1    61.0    61.0    61.0    61.0"],
        )
