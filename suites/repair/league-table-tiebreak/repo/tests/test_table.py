import unittest

from league.render import format_table
from league.results import parse_result
from league.standings import compute_rows, standings


def results(*lines):
    return [parse_result(l) for l in lines]


class TestResults(unittest.TestCase):
    def test_parse(self):
        r = parse_result("Hill Rovers 2-1 Dock United")
        self.assertEqual((r.home, r.home_goals, r.away_goals, r.away), ("Hill Rovers", 2, 1, "Dock United"))
        self.assertEqual(parse_result("A 0:0 B").away, "B")
        with self.assertRaises(ValueError):
            parse_result("A beat B")
        with self.assertRaises(ValueError):
            parse_result("A 1-0 A")


class TestStandings(unittest.TestCase):
    def test_rows(self):
        rows = {r.team: r for r in compute_rows(results("A 2-1 B", "B 1-1 C", "C 0-3 A"))}
        self.assertEqual((rows["A"].points, rows["A"].goal_difference), (6, 4))
        self.assertEqual((rows["B"].won, rows["B"].drawn, rows["B"].lost), (0, 1, 1))

    def test_clear_order(self):
        table = standings(results("A 2-1 B", "B 1-1 C", "C 0-3 A"))
        self.assertEqual([r.team for r in table], ["A", "B", "C"])

    def test_teams_without_games(self):
        table = standings(results("A 1-0 B"), teams=["Zebras", "A", "B"])
        self.assertEqual([r.team for r in table], ["A", "Zebras", "B"])

    def test_render(self):
        text = format_table(results("Rovers 2-0 United"))
        self.assertEqual(
            text.splitlines()[1:],
            ["  1 Rovers           1  1  0  0   2   0  +2    3",
             "  2 United           1  0  0  1   0   2  -2    0"],
        )
