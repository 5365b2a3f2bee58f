"""Lock files: ``<lock_dir>/<job>.lock`` exists while a run of that job is in progress."""

import os
import re
from contextlib import contextmanager

_SAFE = re.compile(r"^[A-Za-z0-9_.-]+$")


class LockHeld(Exception):
    def __init__(self, name, path):
        super().__init__("job %r is already running (lock file %s)" % (name, path))
        self.name = name
        self.path = path


def lock_path(lock_dir, name):
    if not _SAFE.match(name):
        raise ValueError("invalid job name %r" % name)
    return os.path.join(lock_dir, name + ".lock")


@contextmanager
def job_lock(lock_dir, name):
    """Hold the lock of job ``name`` for the duration of the ``with`` block.

    Raises LockHeld if another run holds it. The lock file contains the holder's PID.
    """
    path = lock_path(lock_dir, name)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise LockHeld(name, path) from None
    with os.fdopen(fd, "w") as fh:
        fh.write("%d\n" % os.getpid())
    yield path
    os.remove(path)


def is_locked(lock_dir, name):
    return os.path.exists(lock_path(lock_dir, name))
