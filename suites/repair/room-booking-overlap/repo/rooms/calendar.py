"""Bookings per room."""

from .slots import TimeSlot


class Conflict(Exception):
    def __init__(self, room, slot, existing):
        super().__init__("%s is already booked %r by %s" % (room, existing.slot, existing.holder))
        self.existing = existing


class Booking:
    def __init__(self, room, slot, holder, title=""):
        self.room = room
        self.slot = slot
        self.holder = holder
        self.title = title


class RoomCalendar:
    def __init__(self, rooms):
        self._bookings = {room: [] for room in rooms}

    def bookings(self, room):
        return sorted(self._bookings[room], key=lambda b: b.slot.start)

    def is_free(self, room, slot):
        return all(not slot.overlaps(b.slot) for b in self._bookings[room])

    def book(self, room, start, end, holder, title=""):
        if room not in self._bookings:
            raise KeyError("unknown room %r" % room)
        slot = TimeSlot(start, end)
        for existing in self._bookings[room]:
            if slot.overlaps(existing.slot):
                raise Conflict(room, slot, existing)
        booking = Booking(room, slot, holder, title)
        self._bookings[room].append(booking)
        return booking

    def cancel(self, booking):
        self._bookings[booking.room].remove(booking)
