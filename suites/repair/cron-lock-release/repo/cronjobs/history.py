"""Run history kept for the dashboard."""


class Run:
    def __init__(self, job, status, started, finished, detail=""):
        self.job = job
        self.status = status
        self.started = started
        self.finished = finished
        self.detail = detail


class History:
    def __init__(self, keep=100):
        self.keep = keep
        self._runs = []

    def record(self, job, status, started, finished, detail=""):
        self._runs.append(Run(job, status, started, finished, detail))
        del self._runs[:-self.keep]

    def statuses(self, job):
        return [r.status for r in self._runs if r.job == job]

    def last(self, job):
        runs = [r for r in self._runs if r.job == job]
        return runs[-1] if runs else None
