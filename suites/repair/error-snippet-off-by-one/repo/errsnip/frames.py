"""Parsing stack frames out of Python tracebacks pasted into error reports."""

import re

_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)\s*$')


class Frame:
    def __init__(self, filename, lineno, function):
        self.filename = filename
        self.lineno = lineno  # 1-based, as printed by Python
        self.function = function

    def __repr__(self):
        return "Frame(%r, %d, %r)" % (self.filename, self.lineno, self.function)


def parse_traceback(text):
    """All frames of a traceback, outermost first."""
    frames = []
    for line in text.splitlines():
        m = _FRAME.match(line)
        if m:
            frames.append(Frame(m.group("file"), int(m.group("line")), m.group("func")))
    return frames


def innermost(frames, skip_prefixes=("/usr/lib/",)):
    """The deepest frame in application code (library frames are skipped)."""
    for frame in reversed(frames):
        if not frame.filename.startswith(skip_prefixes):
            return frame
    return frames[-1] if frames else None
