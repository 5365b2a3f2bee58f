import unittest

from diskreport.humanize import format_size
from diskreport.report import render


class TestZeroSizes(unittest.TestCase):
    def test_format_zero(self):
        self.assertEqual(format_size(0), "0 B")

    def test_report_with_empty_files_among_others(self):
        text = render([("data/big.bin", 2048), ("locks/app.lock", 0)])
        self.assertEqual(
            text.splitlines(),
            ["   2.0 KiB  100.0%  data", "       0 B    0.0%  locks", "   2.0 KiB    100%  total (2 groups)"],
        )

    def test_report_when_everything_is_empty(self):
        text = render([("run/a.pid", 0), ("run/b.pid", 0), ("tmp/.keep", 0)])
        self.assertEqual(
            text.splitlines(),
            ["       0 B    0.0%  run", "       0 B    0.0%  tmp", "       0 B    100%  total (2 groups)"],
        )

    def test_report_of_nothing(self):
        self.assertEqual(render([]), "       0 B    100%  total (0 groups)")


if __name__ == "__main__":
    unittest.main()
