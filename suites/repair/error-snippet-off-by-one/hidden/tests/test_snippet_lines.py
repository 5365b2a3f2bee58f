import unittest

from errsnip.report import build_report
from errsnip.snippet import render_snippet
from tests.test_snippets import TB

BILLING = "\n".join("line %d" % n for n in range(1, 7)) + "\n" + "ratio = paid / total\n" + "\n".join("line %d" % n for n in range(8, 13)) + "\n"


class TestSnippetLines(unittest.TestCase):
    def test_marked_line_is_the_reported_line(self):
        text = render_snippet(BILLING, 7, radius=2)
        self.assertEqual(
            text.splitlines(),
            ["  5 | line 5", "  6 | line 6", "> 7 | ratio = paid / total", "  8 | line 8", "  9 | line 9"],
        )

    def test_first_line_of_file(self):
        self.assertEqual(render_snippet("x = 1\ny = 2\nz = 3\n", 1, radius=1).splitlines(), ["> 1 | x = 1", "  2 | y = 2"])

    def test_last_line_of_file(self):
        self.assertEqual(render_snippet("x = 1\ny = 2\nz = 3\n", 3, radius=1).splitlines(), ["  2 | y = 2", "> 3 | z = 3"])

    def test_docstring_example(self):
        self.assertEqual(render_snippet("a = 1\nb = 2\nc = a / 0\n", 3, radius=1), "  2 | b = 2\n> 3 | c = a / 0")

    def test_report_snippet(self):
        report = build_report(TB, lambda name: BILLING if name.endswith("billing.py") else None, radius=1)
        self.assertEqual(report.splitlines()[2:], ["  6 | line 6", "> 7 | ratio = paid / total", "  8 | line 8"])

    def test_width_for_two_digit_line_numbers(self):
        source = "".join("s%d\n" % n for n in range(1, 13))
        self.assertEqual(render_snippet(source, 9, radius=1).splitlines(), ["   8 | s8", ">  9 | s9", "  10 | s10"])


if __name__ == "__main__":
    unittest.main()
