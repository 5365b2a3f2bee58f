"""Reports over entries: pages, totals per project, CSV export and a summary."""

from collections import namedtuple

from .durations import format_duration
from .entries import format_clock

Page = namedtuple("Page", "items number num_pages has_next has_previous")

MAX_PER_PAGE = 100


def paginate(items, page=1, per_page=20):
    """Page ``page`` (from 1) of ``items``; ``per_page`` is capped at MAX_PER_PAGE.

    An empty list still has one (empty) page; any other page number raises ValueError.
    """
    items = list(items)
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    per_page = min(per_page, MAX_PER_PAGE)
    num_pages = max(1, (len(items) + per_page - 1) // per_page)
    if page < 1 or page > num_pages:
        raise ValueError("page %d out of range (1-%d)" % (page, num_pages))
    start = (page - 1) * per_page
    return Page(items[start:start + per_page], page, num_pages, page < num_pages, page > 1)


def by_project(entries):
    """(project, minutes) for every project, most time first, ties by name."""
    totals = {}
    for entry in entries:
        totals[entry.project] = totals.get(entry.project, 0) + entry.minutes
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def top_projects(entries, limit=3):
    """The ``limit`` projects with the most time."""
    if limit < 1:
        return []
    return by_project(entries)[:limit]


def csv_field(value):
    """One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled."""
    text = str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_csv(entries):
    """The entries as CSV (CRLF line ends, a header row), by day and start time; untimed entries first."""
    rows = [("date", "start", "duration", "project", "billable", "note")]
    for entry in sorted(entries, key=lambda e: (e.day, -1 if e.start is None else e.start)):
        start = "" if entry.start is None else format_clock(entry.start)
        billable = "yes" if entry.billable else "no"
        rows.append((entry.day.isoformat(), start, format_duration(entry.minutes), entry.project, billable, entry.note))
    return "".join(",".join(csv_field(value) for value in row) + "\r\n" for row in rows)


def summary(entries):
    """Figures for a report header: entries, minutes, billable share in percent, days, longest entry."""
    entries = list(entries)
    total = sum(entry.minutes for entry in entries)
    billable = sum(entry.minutes for entry in entries if entry.billable)
    days = len({entry.day for entry in entries})
    return {
        "entries": len(entries),
        "minutes": total,
        "billable_percent": 0 if total == 0 else round(billable * 100 / total),
        "days": days,
        "longest": max((entry.minutes for entry in entries), default=0),
        "average_per_day": 0 if days == 0 else total // days,
    }
