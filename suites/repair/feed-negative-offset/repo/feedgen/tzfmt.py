"""Formatting of aware datetimes for feeds (RFC 3339 for Atom, RFC 822 for RSS)."""

from datetime import timedelta

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_offset(offset, sep=":"):
    """Format a UTC offset as ``+HH:MM`` (or ``+HHMM`` with ``sep=""``)."""
    if offset is None:
        raise ValueError("naive datetimes have no UTC offset")
    total = int(offset.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(total, 60)
    return "%s%02d%s%02d" % (sign, abs(hours), sep, minutes)


def rfc3339(dt):
    """``2024-05-10T09:00:00+02:00``; UTC is written as ``Z``."""
    offset = dt.utcoffset()
    if offset == timedelta(0):
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + format_offset(offset)


def rfc822(dt):
    """``Fri, 10 May 2024 09:00:00 +0200`` (locale independent)."""
    return "%s, %02d %s %04d %s %s" % (
        _DAYS[dt.weekday()],
        dt.day,
        _MONTHS[dt.month - 1],
        dt.year,
        dt.strftime("%H:%M:%S"),
        format_offset(dt.utcoffset(), sep=""),
    )
