"""Plain-text table for the club newsletter."""

from .standings import standings


def format_table(results, teams=()):
    lines = ["Pos Team             P  W  D  L  GF  GA  GD  Pts"]
    for pos, r in enumerate(standings(results, teams), start=1):
        lines.append(
            "%3d %-15s %2d %2d %2d %2d %3d %3d %+3d %4d"
            % (pos, r.team, r.played, r.won, r.drawn, r.lost, r.goals_for, r.goals_against,
               r.goal_difference, r.points)
        )
    return "\n".join(lines)
