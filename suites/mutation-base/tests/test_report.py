import datetime
import unittest

from worklog import Entry, paginate, summary, to_csv, top_projects
from worklog.report import by_project, csv_field

D = datetime.date


class TestPaginate(unittest.TestCase):
    def test_first_and_last_page(self):
        items = list(range(45))
        first = paginate(items, 1, 20)
        self.assertEqual((first.items, first.num_pages), (list(range(20)), 3))
        self.assertEqual((first.has_next, first.has_previous), (True, False))
        last = paginate(items, 3, 20)
        self.assertEqual((last.items, last.number), (list(range(40, 45)), 3))
        self.assertEqual((last.has_next, last.has_previous), (False, True))

    def test_exact_multiple_has_no_extra_page(self):
        self.assertEqual(paginate(range(40), 1, 20).num_pages, 2)
        self.assertEqual(paginate(range(40), 2, 20).items, list(range(20, 40)))
        with self.assertRaises(ValueError):
            paginate(range(40), 3, 20)

    def test_empty_list_has_one_empty_page(self):
        page = paginate([], 1, 20)
        self.assertEqual((page.items, page.num_pages, page.has_next, page.has_previous), ([], 1, False, False))

    def test_page_numbers_out_of_range(self):
        for number in (0, -1, 4):
            with self.assertRaises(ValueError, msg=str(number)):
                paginate(range(45), number, 20)

    def test_per_page_limits(self):
        with self.assertRaises(ValueError):
            paginate(range(5), 1, 0)
        self.assertEqual(paginate(range(250), 1, 500).num_pages, 3)
        self.assertEqual(paginate(range(250), 1, 100).num_pages, 3)
        self.assertEqual(paginate(range(3), 2, 1).items, [1])


def sample():
    return [
        Entry(D(2024, 3, 5), "beta", 90, "Review, part 1", start=600),
        Entry(D(2024, 3, 4), "acme", 60, 'The "big" fix', start=540),
        Entry(D(2024, 3, 4), "gamma", 90),
        Entry(D(2024, 3, 5), "internal", 30, "Planning", billable=False),
    ]


class TestReports(unittest.TestCase):
    def test_by_project_most_time_first_then_by_name(self):
        self.assertEqual(by_project(sample()), [("beta", 90), ("gamma", 90), ("acme", 60), ("internal", 30)])

    def test_top_projects(self):
        self.assertEqual(top_projects(sample(), 2), [("beta", 90), ("gamma", 90)])
        self.assertEqual(top_projects(sample(), 1), [("beta", 90)])
        self.assertEqual(top_projects(sample(), 0), [])
        self.assertEqual(len(top_projects(sample())), 3)

    def test_csv_field_quoting(self):
        self.assertEqual(csv_field("plain"), "plain")
        self.assertEqual(csv_field("a,b"), '"a,b"')
        self.assertEqual(csv_field('say "hi"'), '"say ""hi"""')
        self.assertEqual(csv_field("two\nlines"), '"two\nlines"')
        self.assertEqual(csv_field(12), "12")

    def test_to_csv(self):
        self.assertEqual(
            to_csv(sample()).split("\r\n"),
            [
                "date,start,duration,project,billable,note",
                "2024-03-04,,1:30,gamma,yes,",
                '2024-03-04,09:00,1:00,acme,yes,"The ""big"" fix"',
                "2024-03-05,,0:30,internal,no,Planning",
                '2024-03-05,10:00,1:30,beta,yes,"Review, part 1"',
                "",
            ],
        )

    def test_summary(self):
        self.assertEqual(
            summary(sample()),
            {"entries": 4, "minutes": 270, "billable_percent": 89, "days": 2, "longest": 90, "average_per_day": 135},
        )

    def test_summary_of_nothing(self):
        self.assertEqual(
            summary([]),
            {"entries": 0, "minutes": 0, "billable_percent": 0, "days": 0, "longest": 0, "average_per_day": 0},
        )
