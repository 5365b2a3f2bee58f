import unittest

from errsnip.frames import innermost, parse_traceback
from errsnip.report import build_report
from errsnip.snippet import context_window

TB = '''Traceback (most recent call last):
  File "/srv/app/main.py", line 12, in <module>
    run()
  File "/srv/app/billing.py", line 7, in charge
    ratio = paid / total
  File "/usr/lib/python3.11/decimal.py", line 99, in __truediv__
    raise
ZeroDivisionError: division by zero
'''


class TestFrames(unittest.TestCase):
    def test_parse(self):
        frames = parse_traceback(TB)
        self.assertEqual([(f.filename, f.lineno) for f in frames],
                         [("/srv/app/main.py", 12), ("/srv/app/billing.py", 7), ("/usr/lib/python3.11/decimal.py", 99)])
        self.assertEqual(innermost(frames).function, "charge")

    def test_no_frames(self):
        self.assertIsNone(innermost(parse_traceback("ValueError: x")))


class TestWindow(unittest.TestCase):
    def test_context_window(self):
        self.assertEqual(context_window(100, 50), (48, 52))
        self.assertEqual(context_window(10, 1), (1, 3))
        self.assertEqual(context_window(10, 10, radius=3), (7, 10))
        with self.assertRaises(ValueError):
            context_window(10, 11)


class TestReport(unittest.TestCase):
    def test_report_without_source(self):
        self.assertEqual(build_report(TB, lambda name: None),
                         "ZeroDivisionError: division by zero\n  at /srv/app/billing.py:7 in charge")

    def test_report_without_frames(self):
        self.assertEqual(build_report("KeyError: 'x'\n", lambda name: ""), "KeyError: 'x'")
