"""Running a job once: lock, call, record the outcome."""

import time

from .lock import LockHeld, job_lock


def run_job(name, fn, lock_dir, history, clock=time.time):
    """Run ``fn()`` as job ``name`` unless a previous run is still active.

    Returns "ok", "failed" (``fn`` raised) or "skipped" (lock held). Exceptions from ``fn``
    are recorded in the history, not propagated, so one broken job cannot stop the scheduler.
    """
    started = clock()
    try:
        with job_lock(lock_dir, name):
            fn()
    except LockHeld as exc:
        history.record(name, "skipped", started, clock(), str(exc))
        return "skipped"
    except Exception as exc:  # noqa: BLE001 - recorded for the dashboard
        history.record(name, "failed", started, clock(), "%s: %s" % (type(exc).__name__, exc))
        return "failed"
    history.record(name, "ok", started, clock())
    return "ok"
