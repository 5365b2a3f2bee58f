"""Finding free time in a room."""

from .slots import TimeSlot


def free_slots(calendar, room, day_start, day_end, min_length=None):
    """Gaps between bookings within ``[day_start, day_end)``, optionally at least ``min_length``."""
    gaps, cursor = [], day_start
    for booking in calendar.bookings(room):
        if booking.slot.end <= cursor or booking.slot.start >= day_end:
            continue
        if booking.slot.start > cursor:
            gaps.append(TimeSlot(cursor, booking.slot.start))
        cursor = max(cursor, booking.slot.end)
    if cursor < day_end:
        gaps.append(TimeSlot(cursor, day_end))
    if min_length is not None:
        gaps = [g for g in gaps if g.duration >= min_length]
    return gaps


def rooms_free(calendar, rooms, start, end):
    slot = TimeSlot(start, end)
    return [r for r in rooms if calendar.is_free(r, slot)]
