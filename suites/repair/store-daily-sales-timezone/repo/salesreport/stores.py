"""Store configuration. Each store reports in its own local time (a fixed UTC offset)."""

import re
from datetime import timedelta, timezone

_OFFSET = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")


def parse_offset(text):
    """``"UTC-05:00"`` -> ``timezone(timedelta(hours=-5))``; ``"UTC"`` -> ``timezone.utc``."""
    if text == "UTC":
        return timezone.utc
    m = _OFFSET.match(text)
    if not m:
        raise ValueError("invalid UTC offset %r" % text)
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


class Store:
    def __init__(self, code, name, utc_offset="UTC"):
        self.code = code
        self.name = name
        self.tz = parse_offset(utc_offset)
