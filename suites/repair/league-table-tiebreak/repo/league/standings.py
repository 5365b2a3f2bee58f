"""The league table.

Ranking rules (league handbook, section 4.2): teams are ordered by points (3 for a win, 1 for a
draw); teams level on points are separated by goal difference, then by goals scored, and teams
level on all three are listed alphabetically.
"""

WIN, DRAW, LOSS = 3, 1, 0


class Row:
    def __init__(self, team):
        self.team = team
        self.played = self.won = self.drawn = self.lost = 0
        self.goals_for = self.goals_against = 0

    @property
    def points(self):
        return WIN * self.won + DRAW * self.drawn + LOSS * self.lost

    @property
    def goal_difference(self):
        return self.goals_for - self.goals_against

    def record(self, scored, conceded):
        self.played += 1
        self.goals_for += scored
        self.goals_against += conceded
        if scored > conceded:
            self.won += 1
        elif scored == conceded:
            self.drawn += 1
        else:
            self.lost += 1


def compute_rows(results, teams=()):
    rows = {t: Row(t) for t in teams}
    for r in results:
        rows.setdefault(r.home, Row(r.home)).record(r.home_goals, r.away_goals)
        rows.setdefault(r.away, Row(r.away)).record(r.away_goals, r.home_goals)
    return list(rows.values())


def standings(results, teams=()):
    """Rows of the table in ranking order. Sorting is done in passes (Python's sort is stable)."""
    rows = compute_rows(results, teams)
    rows.sort(key=lambda r: r.team)
    rows.sort(key=lambda r: r.points, reverse=True)
    rows.sort(key=lambda r: r.goal_difference, reverse=True)
    rows.sort(key=lambda r: r.goals_for, reverse=True)
    return rows
