"""Readings as sent by the field gateways: ``<iso timestamp> <sensor id> <value>`` per line."""

from datetime import datetime


class Reading:
    def __init__(self, sensor, timestamp, value):
        self.sensor = sensor
        self.timestamp = timestamp
        self.value = value


def parse_line(line):
    ts, sensor, value = line.split()
    return Reading(sensor, datetime.fromisoformat(ts), float(value))


def parse_lines(lines):
    """Parse non-empty, non-comment lines; malformed lines are returned separately."""
    readings, bad = [], []
    for n, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            readings.append(parse_line(line))
        except ValueError:
            bad.append(n)
    return readings, bad
