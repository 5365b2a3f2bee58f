"""Error report body: the exception line plus a snippet of the innermost application frame."""

from .frames import innermost, parse_traceback
from .snippet import render_snippet


def build_report(traceback_text, read_source, radius=2):
    """``read_source(filename)`` returns the file's text, or None if unavailable."""
    lines = [l for l in traceback_text.strip().splitlines() if l.strip()]
    headline = lines[-1] if lines else "(empty traceback)"
    frame = innermost(parse_traceback(traceback_text))
    if frame is None:
        return headline
    source = read_source(frame.filename)
    if source is None:
        return "%s\n  at %s:%d in %s" % (headline, frame.filename, frame.lineno, frame.function)
    snippet = render_snippet(source, frame.lineno, radius)
    return "%s\n  at %s:%d in %s\n%s" % (headline, frame.filename, frame.lineno, frame.function, snippet)
