"""Event decoding and dispatch to handlers registered per event type."""

import json


class Event:
    def __init__(self, event_id, type, data):
        self.id = event_id
        self.type = type
        self.data = data


def decode_event(payload):
    doc = json.loads(payload)
    return Event(doc["id"], doc["type"], doc.get("data", {}))


class Dispatcher:
    def __init__(self):
        self._handlers = {}
        self.seen = set()

    def on(self, event_type):
        def register(fn):
            self._handlers.setdefault(event_type, []).append(fn)
            return fn

        return register

    def dispatch(self, event):
        """Call the handlers of ``event.type``; duplicates (same id) are ignored."""
        if event.id in self.seen:
            return 0
        self.seen.add(event.id)
        handlers = self._handlers.get(event.type, [])
        for fn in handlers:
            fn(event)
        return len(handlers)
