"""Meeting room booking: time slots, per-room calendars and free-slot search."""
