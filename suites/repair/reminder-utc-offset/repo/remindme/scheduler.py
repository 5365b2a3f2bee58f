"""Polling scheduler: each poll returns the reminders that became due since the previous poll."""

from datetime import timezone

from .timeutil import format_utc


class FixedClock:
    """A clock for tests and replays; ``now()`` returns whatever was last set."""

    def __init__(self, now):
        self._now = now

    def now(self):
        return self._now

    def set(self, now):
        self._now = now


class ReminderScheduler:
    def __init__(self, events, clock):
        self.events = list(events)
        self.clock = clock
        self._last_poll = clock.now()

    def poll(self):
        """Return ``(fire_time_utc_string, event_id, title)`` for reminders in (last poll, now]."""
        now = self.clock.now().astimezone(timezone.utc)
        due = []
        for event in self.events:
            for when in event.reminder_times():
                if self._last_poll < when <= now:
                    due.append((when, event.id, event.title))
        self._last_poll = now
        due.sort()
        return [(format_utc(w), i, t) for w, i, t in due]

    def upcoming(self, limit=5):
        """The next ``limit`` reminders after now, as in :meth:`poll`."""
        now = self.clock.now()
        future = sorted(
            (when, e.id, e.title) for e in self.events for when in e.reminder_times() if when > now
        )
        return [(format_utc(w), i, t) for w, i, t in future[:limit]]
