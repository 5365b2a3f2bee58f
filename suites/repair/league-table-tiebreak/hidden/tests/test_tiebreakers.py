import unittest

from league.render import format_table
from league.results import parse_result
from league.standings import standings


def order(*lines, teams=()):
    return [r.team for r in standings([parse_result(l) for l in lines], teams)]


class TestTiebreakers(unittest.TestCase):
    def test_points_come_first(self):
        # Goalmachine scores a lot but loses; Grinders win narrowly.
        self.assertEqual(
            order("Goalmachine 5-6 Sharks", "Grinders 1-0 Goalmachine", "Grinders 1-0 Sharks"),
            ["Grinders", "Sharks", "Goalmachine"],
        )

    def test_goal_difference_before_goals_scored(self):
        # A and B on 3 points (GD +2 / 2 goals vs GD +1 / 4 goals); C and D on 1 point (GD -2 vs -1).
        self.assertEqual(
            order("A 2-0 C", "B 4-3 D", "C 1-1 D"),
            ["A", "B", "D", "C"],
        )

    def test_alphabetical_when_level_on_everything(self):
        self.assertEqual(order("Wanderers 1-1 Athletic", teams=["City"]), ["Athletic", "Wanderers", "City"])

    def test_rendered_positions(self):
        text = format_table([parse_result(l) for l in ("Goalmachine 5-6 Sharks", "Grinders 1-0 Goalmachine", "Grinders 1-0 Sharks")])
        self.assertEqual([line.split()[1] for line in text.splitlines()[1:]], ["Grinders", "Sharks", "Goalmachine"])


if __name__ == "__main__":
    unittest.main()
