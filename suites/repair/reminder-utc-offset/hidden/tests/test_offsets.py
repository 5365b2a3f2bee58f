import unittest
from datetime import datetime, timedelta, timezone

from remindme.events import Event
from remindme.scheduler import FixedClock, ReminderScheduler
from remindme.timeutil import format_utc, parse_timestamp

UTC = timezone.utc


class TestTimestampsWithOffsets(unittest.TestCase):
    def test_positive_offset_is_converted(self):
        self.assertEqual(parse_timestamp("2024-05-10T09:00:00+02:00"), datetime(2024, 5, 10, 7, 0, tzinfo=UTC))

    def test_negative_offset_is_converted(self):
        dt = parse_timestamp("2024-11-03T23:30:00-05:00")
        self.assertEqual(dt, datetime(2024, 11, 4, 4, 30, tzinfo=UTC))
        self.assertEqual(format_utc(dt), "2024-11-04T04:30:00Z")

    def test_half_hour_offset(self):
        self.assertEqual(parse_timestamp("2024-01-15T12:00:00+05:30"), datetime(2024, 1, 15, 6, 30, tzinfo=UTC))

    def test_reminder_fires_at_local_time(self):
        event = Event.from_dict({"id": 7, "title": "Dentist", "start": "2024-05-10T09:00:00+02:00", "remind": ["15m"]})
        clock = FixedClock(datetime(2024, 5, 10, 6, 0, tzinfo=UTC))
        sched = ReminderScheduler([event], clock)
        clock.set(datetime(2024, 5, 10, 8, 40, tzinfo=timezone(timedelta(hours=2))))
        self.assertEqual(sched.poll(), [])
        clock.set(datetime(2024, 5, 10, 8, 45, tzinfo=timezone(timedelta(hours=2))))
        self.assertEqual(sched.poll(), [("2024-05-10T06:45:00Z", 7, "Dentist")])


if __name__ == "__main__":
    unittest.main()
