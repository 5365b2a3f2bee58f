"""Half-open time slots ``[start, end)``."""


class TimeSlot:
    def __init__(self, start, end):
        if end <= start:
            raise ValueError("a slot must end after it starts")
        self.start = start
        self.end = end

    @property
    def duration(self):
        return self.end - self.start

    def overlaps(self, other):
        """True if the two slots share any moment. Back-to-back slots (10-11, 11-12) do not."""
        return self.start <= other.start < self.end or self.start < other.end <= self.end

    def contains(self, moment):
        return self.start <= moment < self.end

    def __eq__(self, other):
        return isinstance(other, TimeSlot) and (self.start, self.end) == (other.start, other.end)

    def __repr__(self):
        return "TimeSlot(%s, %s)" % (self.start.strftime("%H:%M"), self.end.strftime("%H:%M"))
