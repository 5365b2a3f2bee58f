"""Time entries: a block of work on a project, as typed on one line of a timesheet."""

import re

from .dates import parse_date
from .durations import MAX_MINUTES, parse_duration

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_PROJECT = re.compile(r"^[a-z][a-z0-9-]*$")


def parse_time(text):
    """Minutes after midnight for a time of day written "9:05" or "17:30"."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError("not a time of day: %r" % text)
    return int(match.group(1)) * 60 + int(match.group(2))


def format_clock(minutes):
    """A time of day given in minutes after midnight, as "09:05"."""
    hours, rest = divmod(minutes, 60)
    return "%02d:%02d" % (hours, rest)


class Entry:
    """``minutes`` of work on ``project`` on ``day``, from ``start`` (minutes after midnight) if known."""

    def __init__(self, day, project, minutes, note="", start=None, billable=True):
        project = project.strip().lower()
        if not _PROJECT.match(project):
            raise ValueError("bad project name: %r" % project)
        if minutes <= 0 or minutes > MAX_MINUTES:
            raise ValueError("minutes out of range: %r" % minutes)
        if start is not None and (start < 0 or start + minutes > MAX_MINUTES):
            raise ValueError("an entry must end on the day it starts")
        self.day = day
        self.project = project
        self.minutes = minutes
        self.note = " ".join(note.split())
        self.start = start
        self.billable = billable

    @property
    def end(self):
        """Minutes after midnight when the work stopped, or None without a start time."""
        if self.start is None:
            return None
        return self.start + self.minutes

    def overlaps(self, other):
        """Whether both entries have start times on the same day and share at least one minute."""
        if self.day != other.day or self.start is None or other.start is None:
            return False
        return self.start < other.end and other.start < self.end

    def __repr__(self):
        return "Entry(%s, %r, %d)" % (self.day.isoformat(), self.project, self.minutes)


def parse_entry(line):
    """An entry from a timesheet line: "DATE START-END PROJECT [NOTE]" or "DATE DURATION PROJECT [NOTE]".

    A "~" before the project marks time that is not billable: "2024-03-04 1h ~internal Planning".
    """
    parts = line.split(None, 3)
    if len(parts) < 3:
        raise ValueError("expected a date, a time span or duration, and a project: %r" % line)
    day = parse_date(parts[0])
    span = parts[1]
    if "-" in span:
        first, _, last = span.partition("-")
        start, end = parse_time(first), parse_time(last)
        if end <= start:
            raise ValueError("the end must come after the start: %r" % span)
        minutes = end - start
    else:
        start, minutes = None, parse_duration(span)
    project = parts[2]
    billable = not project.startswith("~")
    if not billable:
        project = project[1:]
    note = parts[3] if len(parts) > 3 else ""
    return Entry(day, project, minutes, note, start, billable)


def find_overlaps(entries):
    """Pairs of timed entries that overlap, earlier start first, for the timesheet checker."""
    timed = sorted((entry for entry in entries if entry.start is not None), key=lambda e: (e.day, e.start))
    pairs = []
    for i, first in enumerate(timed):
        for second in timed[i + 1:]:
            if second.day != first.day or second.start >= first.end:
                break
            pairs.append((first, second))
    return pairs
