import unittest
from datetime import date

from telemetry.daily import daily_report, render
from telemetry.readings import parse_lines
from telemetry.stats import summarize
from tests.test_daily import LOG


class TestSilentSensor(unittest.TestCase):
    def test_summarize_no_values(self):
        s = summarize([])
        self.assertEqual(s.count, 0)
        self.assertIsNone(s.min)
        self.assertIsNone(s.max)
        self.assertIsNone(s.mean)
        self.assertIsNone(s.p95)

    def test_report_lists_sensor_without_readings(self):
        readings, _ = parse_lines(LOG)
        report = daily_report(readings, ["temp-1", "soil-4", "hum-1"], date(2024, 6, 1))
        self.assertEqual(list(report), ["temp-1", "soil-4", "hum-1"])
        self.assertEqual(report["soil-4"].as_tuple(), (0, None, None, None, None))
        self.assertEqual(report["hum-1"].count, 1)

    def test_render_day_without_any_readings(self):
        readings, _ = parse_lines(LOG)
        text = render(daily_report(readings, ["temp-1"], date(2024, 6, 3)))
        self.assertEqual(text.splitlines()[1], "temp-1        0     n/a     n/a     n/a     n/a")


if __name__ == "__main__":
    unittest.main()
