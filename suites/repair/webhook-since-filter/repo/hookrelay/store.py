"""In-memory delivery log with the filters used by the admin API."""


class DeliveryLog:
    def __init__(self):
        self._items = {}

    def add(self, delivery):
        if delivery.id in self._items:
            raise ValueError("duplicate delivery id %r" % (delivery.id,))
        self._items[delivery.id] = delivery

    def get(self, delivery_id):
        return self._items[delivery_id]

    def query(self, since=None, status=None, event=None):
        """Deliveries created at or after ``since`` (an aware datetime), newest first."""
        result = []
        for d in self._items.values():
            if since is not None and d.created_at < since:
                continue
            if status is not None and d.status != status:
                continue
            if event is not None and d.event != event:
                continue
            result.append(d)
        result.sort(key=lambda d: (d.created_at, d.id), reverse=True)
        return result
