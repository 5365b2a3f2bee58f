"""Match results."""

import re

_RESULT = re.compile(r"^\s*(.+?)\s+(\d+)\s*[-:]\s*(\d+)\s+(.+?)\s*$")


class Result:
    def __init__(self, home, home_goals, away_goals, away):
        if home == away:
            raise ValueError("a team cannot play itself")
        if home_goals < 0 or away_goals < 0:
            raise ValueError("goals cannot be negative")
        self.home, self.away = home, away
        self.home_goals, self.away_goals = home_goals, away_goals


def parse_result(line):
    """``"Rovers 2-1 United"`` -> Result."""
    m = _RESULT.match(line)
    if not m:
        raise ValueError("cannot parse result %r" % line)
    home, hg, ag, away = m.groups()
    return Result(home, int(hg), int(ag), away)
