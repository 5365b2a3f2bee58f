"""Aggregating file sizes by directory."""

import posixpath


def group_sizes(entries, depth=1):
    """Sum ``[(path, size), ...]`` per directory prefix of ``depth`` components.

    Files directly at the top level are grouped under their own name.
    """
    totals = {}
    for path, size in entries:
        parts = [p for p in path.split("/") if p]
        key = posixpath.join(*parts[:depth]) if parts else "."
        totals[key] = totals.get(key, 0) + size
    return totals


def largest(totals, top):
    """The ``top`` biggest groups, biggest first, ties by name."""
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
