import os
import tempfile
import unittest

from cronjobs.history import History
from cronjobs.lock import LockHeld, is_locked, job_lock, lock_path
from cronjobs.runner import run_job


def clock():
    return 1700000000.0


class TestLock(unittest.TestCase):
    def test_lock_lifecycle(self):
        with tempfile.TemporaryDirectory() as d:
            with job_lock(d, "sync") as path:
                self.assertTrue(is_locked(d, "sync"))
                with open(path) as fh:
                    self.assertEqual(fh.read().strip(), str(os.getpid()))
            self.assertFalse(is_locked(d, "sync"))

    def test_second_holder_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            with job_lock(d, "sync"):
                with self.assertRaises(LockHeld):
                    with job_lock(d, "sync"):
                        pass

    def test_invalid_name(self):
        with self.assertRaises(ValueError):
            lock_path("/tmp", "../etc/passwd")


class TestRunner(unittest.TestCase):
    def test_successful_runs(self):
        with tempfile.TemporaryDirectory() as d:
            history, calls = History(), []
            for _ in range(3):
                self.assertEqual(run_job("report", lambda: calls.append(1), d, history, clock), "ok")
            self.assertEqual(len(calls), 3)
            self.assertEqual(history.statuses("report"), ["ok", "ok", "ok"])

    def test_skipped_while_running(self):
        with tempfile.TemporaryDirectory() as d:
            history = History()
            with job_lock(d, "report"):
                self.assertEqual(run_job("report", lambda: None, d, history, clock), "skipped")
            self.assertIn("already running", history.last("report").detail)
