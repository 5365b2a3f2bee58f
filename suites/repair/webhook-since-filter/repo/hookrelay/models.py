"""Delivery records as written by the sender workers."""

from datetime import datetime, timedelta

EPOCH = datetime(1970, 1, 1)

STATUSES = ("pending", "delivered", "failed")


class Delivery:
    """One attempt to deliver an event to a subscriber URL.

    ``timestamp`` is the Unix time (seconds, UTC) at which the delivery was created, as stored by
    the workers.
    """

    def __init__(self, delivery_id, url, event, status, timestamp, response_code=None):
        if status not in STATUSES:
            raise ValueError("unknown status %r" % (status,))
        self.id = delivery_id
        self.url = url
        self.event = event
        self.status = status
        self.created_at = EPOCH + timedelta(seconds=timestamp)
        self.response_code = response_code

    def to_dict(self):
        return {
            "id": self.id,
            "url": self.url,
            "event": self.event,
            "status": self.status,
            "created_at": self.created_at.isoformat() + "Z",
            "response_code": self.response_code,
        }
