"""Summary statistics."""

import math


class Summary:
    def __init__(self, count, minimum, maximum, mean, p95):
        self.count = count
        self.min = minimum
        self.max = maximum
        self.mean = mean
        self.p95 = p95

    def as_tuple(self):
        return (self.count, self.min, self.max, self.mean, self.p95)


def percentile(sorted_values, pct):
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(values):
    """Count, min, max, mean and 95th percentile of ``values``."""
    ordered = sorted(values)
    return Summary(
        len(ordered),
        ordered[0],
        ordered[-1],
        sum(ordered) / len(ordered),
        percentile(ordered, 95),
    )
