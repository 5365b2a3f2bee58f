import unittest
from datetime import datetime, timedelta

from rooms.availability import free_slots, rooms_free
from rooms.calendar import Conflict, RoomCalendar
from rooms.slots import TimeSlot


def at(hour, minute=0):
    return datetime(2024, 9, 2, hour, minute)


class TestSlots(unittest.TestCase):
    def test_basic(self):
        s = TimeSlot(at(10), at(11, 30))
        self.assertEqual(s.duration, timedelta(minutes=90))
        self.assertTrue(s.contains(at(10)))
        self.assertFalse(s.contains(at(11, 30)))
        with self.assertRaises(ValueError):
            TimeSlot(at(11), at(10))

    def test_partial_overlap_and_back_to_back(self):
        a = TimeSlot(at(10), at(11))
        self.assertTrue(a.overlaps(TimeSlot(at(10, 30), at(12))))
        self.assertTrue(TimeSlot(at(9), at(10, 30)).overlaps(a))
        self.assertFalse(a.overlaps(TimeSlot(at(11), at(12))))
        self.assertFalse(TimeSlot(at(9), at(10)).overlaps(a))


class TestCalendar(unittest.TestCase):
    def test_conflict_on_partial_overlap(self):
        cal = RoomCalendar(["Orion"])
        cal.book("Orion", at(10), at(11), "ana")
        with self.assertRaises(Conflict):
            cal.book("Orion", at(10, 30), at(11, 30), "ben")
        cal.book("Orion", at(11), at(12), "ben")
        self.assertEqual([b.holder for b in cal.bookings("Orion")], ["ana", "ben"])

    def test_free_slots(self):
        cal = RoomCalendar(["Orion"])
        cal.book("Orion", at(10), at(11), "ana")
        cal.book("Orion", at(13), at(14), "ben")
        self.assertEqual(
            free_slots(cal, "Orion", at(9), at(17)),
            [TimeSlot(at(9), at(10)), TimeSlot(at(11), at(13)), TimeSlot(at(14), at(17))],
        )
        self.assertEqual(len(free_slots(cal, "Orion", at(9), at(17), min_length=timedelta(hours=2))), 2)

    def test_rooms_free(self):
        cal = RoomCalendar(["Orion", "Vega"])
        cal.book("Orion", at(9), at(12), "ana")
        self.assertEqual(rooms_free(cal, ["Orion", "Vega"], at(9), at(10)), ["Vega"])
