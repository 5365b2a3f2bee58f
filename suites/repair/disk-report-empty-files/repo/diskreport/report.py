"""Text report."""

from .humanize import format_size
from .scan import group_sizes, largest


def render(entries, depth=1, top=10):
    """One line per group: size, share of the total, name; then a total line."""
    totals = group_sizes(entries, depth)
    grand_total = sum(totals.values())
    lines = []
    for name, size in largest(totals, top):
        share = 100.0 * size / grand_total
        lines.append("%10s %6.1f%%  %s" % (format_size(size), share, name))
    lines.append("%10s %7s  total (%d groups)" % (format_size(grand_total), "100%", len(totals)))
    return "\n".join(lines)
