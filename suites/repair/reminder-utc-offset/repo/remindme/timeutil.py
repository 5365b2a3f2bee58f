"""Timestamp and duration parsing. All times are handled internally as aware UTC datetimes."""

import re
from datetime import datetime, timedelta, timezone

UTC = timezone.utc

_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$")
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_timestamp(value):
    """Parse an ISO 8601 timestamp such as ``2024-05-10T09:00:00Z``,
    ``2024-05-10T09:00:00+02:00`` or ``2024-05-10 09:00`` into an aware UTC datetime.

    Timestamps without an offset are taken to be UTC.
    """
    value = value.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1]
    dt = datetime.fromisoformat(value)
    return dt.replace(tzinfo=UTC)


def parse_duration(value):
    """``"15m"`` -> 15 minutes, ``"2h"``, ``"1d"``, ``"1w"``."""
    m = _DURATION.match(value)
    if not m:
        raise ValueError("invalid duration: %r" % (value,))
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


def format_utc(dt):
    """Format an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
