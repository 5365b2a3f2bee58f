"""Orders as exported by the POS system (timestamps are aware datetimes in UTC)."""

from decimal import Decimal


class Order:
    def __init__(self, order_id, store_code, created_at, total):
        if created_at.utcoffset() is None:
            raise ValueError("created_at must be timezone-aware")
        self.id = order_id
        self.store_code = store_code
        self.created_at = created_at
        self.total = Decimal(str(total))


def for_store(orders, store):
    return [o for o in orders if o.store_code == store.code]
