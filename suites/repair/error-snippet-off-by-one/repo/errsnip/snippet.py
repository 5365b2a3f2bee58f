"""Rendering a window of source lines around a line number."""


def context_window(total_lines, lineno, radius=2):
    """1-based inclusive ``(first, last)`` line numbers to show around ``lineno``, clamped to
    the file."""
    if not 1 <= lineno <= total_lines:
        raise ValueError("line %d is outside the file (1-%d)" % (lineno, total_lines))
    return max(1, lineno - radius), min(total_lines, lineno + radius)


def render_snippet(source, lineno, radius=2):
    """Numbered source lines around ``lineno``; the line itself is marked with ``>``.

    >>> print(render_snippet("a = 1\\nb = 2\\nc = a / 0\\n", 3, radius=1))
      2 | b = 2
    > 3 | c = a / 0
    """
    lines = source.splitlines()
    first, last = context_window(len(lines), lineno, radius)
    width = len(str(last))
    out = []
    for number, text in enumerate(lines[first:last], start=first):
        marker = ">" if number == lineno else " "
        out.append("%s %*d | %s" % (marker, width, number, text))
    return "\n".join(out)
