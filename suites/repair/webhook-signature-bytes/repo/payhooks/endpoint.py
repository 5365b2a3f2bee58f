"""The HTTP endpoint, independent of the web framework: body + headers in, status out."""

import time

from .events import decode_event
from .signing import SignatureError, verify


def receive(dispatcher, secret, body, headers, now=None):
    """Verify and dispatch one webhook delivery. ``body`` is the raw request body."""
    now = time.time() if now is None else now
    header = headers.get("Payhook-Signature")
    if not header:
        return 400, "missing signature"
    try:
        verify(secret, body, header, now)
    except SignatureError as exc:
        return 400, "invalid signature: %s" % exc
    try:
        event = decode_event(body)
    except (ValueError, KeyError):
        return 400, "malformed event"
    dispatcher.dispatch(event)
    return 200, "ok"
