import unittest

from rooms.availability import rooms_free
from rooms.calendar import Conflict, RoomCalendar
from rooms.slots import TimeSlot
from tests.test_booking import at


class TestNestedBookings(unittest.TestCase):
    def test_slot_inside_another_overlaps_both_ways(self):
        outer = TimeSlot(at(9), at(12))
        inner = TimeSlot(at(10), at(11))
        self.assertTrue(inner.overlaps(outer))
        self.assertTrue(outer.overlaps(inner))

    def test_cannot_book_inside_existing_booking(self):
        cal = RoomCalendar(["Orion"])
        cal.book("Orion", at(9), at(12), "ana", "Workshop")
        with self.assertRaises(Conflict) as ctx:
            cal.book("Orion", at(10), at(10, 30), "ben", "1:1")
        self.assertEqual(ctx.exception.existing.holder, "ana")
        self.assertEqual(len(cal.bookings("Orion")), 1)

    def test_nested_booking_room_not_listed_as_free(self):
        cal = RoomCalendar(["Orion", "Vega"])
        cal.book("Orion", at(9), at(17), "ana", "Offsite")
        self.assertEqual(rooms_free(cal, ["Orion", "Vega"], at(14), at(15)), ["Vega"])

    def test_identical_and_adjacent(self):
        a = TimeSlot(at(10), at(11))
        self.assertTrue(a.overlaps(TimeSlot(at(10), at(11))))
        self.assertFalse(a.overlaps(TimeSlot(at(11), at(12))))
        self.assertFalse(TimeSlot(at(11), at(12)).overlaps(a))


if __name__ == "__main__":
    unittest.main()
