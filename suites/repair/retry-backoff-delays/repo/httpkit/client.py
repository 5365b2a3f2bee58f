"""JSON API client. The transport is any callable ``(method, path, body) -> Response``."""

import json
import time

from .errors import PermanentError, TransientError
from .retry import RetryPolicy

RETRY_STATUSES = frozenset({429, 502, 503, 504})


class Response:
    def __init__(self, status, body="", headers=None):
        self.status = status
        self.body = body
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}

    def json(self):
        return json.loads(self.body) if self.body else None


def parse_retry_after(value):
    """Retry-After in seconds (only the delta-seconds form is supported)."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class ApiClient:
    def __init__(self, transport, policy=None, sleep=time.sleep):
        self.transport = transport
        self.policy = policy or RetryPolicy()
        self.sleep = sleep

    def request(self, method, path, payload=None):
        body = json.dumps(payload) if payload is not None else None

        def attempt():
            resp = self.transport(method, path, body)
            if resp.status in RETRY_STATUSES:
                raise TransientError(
                    "%s %s -> %d" % (method, path, resp.status),
                    resp.status,
                    parse_retry_after(resp.headers.get("retry-after")),
                )
            if resp.status >= 400:
                raise PermanentError("%s %s -> %d" % (method, path, resp.status), resp.status)
            return resp.json()

        return self.policy.call(attempt, sleep=self.sleep)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, payload):
        return self.request("POST", path, payload)
