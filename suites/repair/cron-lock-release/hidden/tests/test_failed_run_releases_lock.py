import tempfile
import unittest

from cronjobs.history import History
from cronjobs.lock import is_locked, job_lock
from cronjobs.runner import run_job
from tests.test_runner import clock


def broken():
    raise RuntimeError("database unreachable")


class TestFailedRunReleasesLock(unittest.TestCase):
    def test_job_runs_again_after_failure(self):
        with tempfile.TemporaryDirectory() as d:
            history = History()
            self.assertEqual(run_job("invoices", broken, d, history, clock), "failed")
            self.assertEqual(run_job("invoices", lambda: None, d, history, clock), "ok")
            self.assertEqual(history.statuses("invoices"), ["failed", "ok"])
            self.assertEqual(history.last("invoices").status, "ok")

    def test_failure_detail_recorded_and_lock_gone(self):
        with tempfile.TemporaryDirectory() as d:
            history = History()
            run_job("invoices", broken, d, history, clock)
            self.assertFalse(is_locked(d, "invoices"))
            self.assertEqual(history.last("invoices").detail, "RuntimeError: database unreachable")

    def test_job_lock_releases_and_propagates(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(KeyError):
                with job_lock(d, "sync"):
                    raise KeyError("boom")
            self.assertFalse(is_locked(d, "sync"))
            with job_lock(d, "sync"):
                self.assertTrue(is_locked(d, "sync"))


if __name__ == "__main__":
    unittest.main()
