"""The daily report sent to the growers."""

from .stats import summarize


def daily_report(readings, sensors, day):
    """``{sensor: Summary}`` for the readings taken on ``day`` (a date).

    Every configured sensor appears in the report, in the given order; a sensor that sent
    nothing that day gets a summary with count 0 and no statistics (None), so that a silent
    sensor is visible to the growers instead of silently missing.
    """
    by_sensor = {s: [] for s in sensors}
    for r in readings:
        if r.timestamp.date() == day and r.sensor in by_sensor:
            by_sensor[r.sensor].append(r.value)
    return {s: summarize(values) for s, values in by_sensor.items()}


def _fmt(value):
    return "n/a" if value is None else "%.1f" % value


def render(report):
    lines = ["sensor        n     min     max    mean     p95"]
    for sensor, s in report.items():
        lines.append("%-10s %4d %7s %7s %7s %7s" % (sensor, s.count, _fmt(s.min), _fmt(s.max), _fmt(s.mean), _fmt(s.p95)))
    return "\n".join(lines)
