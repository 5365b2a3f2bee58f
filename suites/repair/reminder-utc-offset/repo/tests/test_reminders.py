import unittest
from datetime import datetime, timedelta, timezone

from remindme.events import Event
from remindme.scheduler import FixedClock, ReminderScheduler
from remindme.timeutil import format_utc, parse_duration, parse_timestamp

UTC = timezone.utc


class TestTimeutil(unittest.TestCase):
    def test_parse_utc_forms(self):
        expected = datetime(2024, 5, 10, 9, 0, tzinfo=UTC)
        self.assertEqual(parse_timestamp("2024-05-10T09:00:00Z"), expected)
        self.assertEqual(parse_timestamp("2024-05-10 09:00"), expected)
        self.assertEqual(parse_timestamp(" 2024-05-10T09:00:00+00:00 "), expected)

    def test_parse_duration(self):
        self.assertEqual(parse_duration("15m"), timedelta(minutes=15))
        self.assertEqual(parse_duration("2h"), timedelta(hours=2))
        self.assertEqual(parse_duration("1w"), timedelta(days=7))
        with self.assertRaises(ValueError):
            parse_duration("soon")

    def test_format_utc(self):
        cet = timezone(timedelta(hours=1))
        self.assertEqual(format_utc(datetime(2024, 1, 2, 0, 30, tzinfo=cet)), "2024-01-01T23:30:00Z")


class TestScheduler(unittest.TestCase):
    def make(self):
        events = [
            Event.from_dict({"id": 1, "title": "Standup", "start": "2024-05-10T09:00:00Z", "remind": ["15m", "1d"]}),
            Event.from_dict({"id": 2, "title": "Review", "start": "2024-05-10T10:00:00Z", "remind": ["1h"]}),
        ]
        clock = FixedClock(datetime(2024, 5, 10, 8, 0, tzinfo=UTC))
        return ReminderScheduler(events, clock), clock

    def test_poll_returns_each_reminder_once(self):
        sched, clock = self.make()
        clock.set(datetime(2024, 5, 10, 9, 0, tzinfo=UTC))
        self.assertEqual(sched.poll(), [("2024-05-10T08:45:00Z", 1, "Standup"), ("2024-05-10T09:00:00Z", 2, "Review")])
        self.assertEqual(sched.poll(), [])

    def test_upcoming(self):
        sched, _ = self.make()
        self.assertEqual(sched.upcoming(), [("2024-05-10T08:45:00Z", 1, "Standup"), ("2024-05-10T09:00:00Z", 2, "Review")])

    def test_reminder_times_earliest_first(self):
        e = Event.from_dict({"id": 3, "title": "x", "start": "2024-05-10T09:00:00Z", "remind": ["15m", "1d"]})
        self.assertEqual(e.reminder_times()[0], datetime(2024, 5, 9, 9, 0, tzinfo=UTC))
