"""Rate specifications such as ``"100/min"`` or ``"5/s"``."""

import re

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour)\s*$")
_SECONDS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


class RateSpec:
    def __init__(self, requests, per_seconds):
        if requests < 1 or per_seconds <= 0:
            raise ValueError("a rate needs at least one request per positive period")
        self.requests = requests
        self.per_seconds = per_seconds

    @property
    def per_second(self):
        return self.requests / self.per_seconds

    def __repr__(self):
        return "RateSpec(%d per %gs)" % (self.requests, self.per_seconds)


def parse_rate(text):
    """``"100/min"`` -> 100 requests per 60 s; ``"10/5s"`` -> 10 requests per 5 s."""
    m = _SPEC.match(text)
    if not m:
        raise ValueError("invalid rate %r" % (text,))
    count, multiple, unit = m.groups()
    return RateSpec(int(count), int(multiple or 1) * _SECONDS[unit])
