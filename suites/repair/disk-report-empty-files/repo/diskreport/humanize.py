"""Human-readable byte counts with binary prefixes."""

import math

UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def format_size(num_bytes, precision=1):
    """``1536`` -> ``"1.5 KiB"``; values below 1 KiB are whole bytes (``"512 B"``)."""
    if num_bytes < 0:
        raise ValueError("sizes cannot be negative")
    exponent = min(int(math.log(num_bytes, 1024)), len(UNITS) - 1)
    if exponent == 0:
        return "%d B" % num_bytes
    return "%.*f %s" % (precision, num_bytes / 1024 ** exponent, UNITS[exponent])


def parse_size(text):
    """Inverse of :func:`format_size` for config files: ``"1.5 KiB"`` -> 1536."""
    number, _, unit = text.strip().partition(" ")
    unit = unit.strip() or "B"
    if unit not in UNITS:
        raise ValueError("unknown unit %r" % unit)
    return int(round(float(number) * 1024 ** UNITS.index(unit)))
