"""Events as stored by the calendar front end (JSON dicts) and their reminder times."""

from .timeutil import parse_duration, parse_timestamp


class Event:
    def __init__(self, event_id, title, start, reminders=()):
        self.id = event_id
        self.title = title
        self.start = start  # aware UTC datetime
        self.reminders = sorted(reminders, reverse=True)  # timedeltas before start

    @classmethod
    def from_dict(cls, data):
        """Build an event from ``{"id", "title", "start", "remind": ["15m", "1d"]}``."""
        return cls(
            data["id"],
            data.get("title", ""),
            parse_timestamp(data["start"]),
            [parse_duration(r) for r in data.get("remind", [])],
        )

    def reminder_times(self):
        """The instants (UTC) at which reminders fire, earliest first."""
        return [self.start - before for before in self.reminders]
