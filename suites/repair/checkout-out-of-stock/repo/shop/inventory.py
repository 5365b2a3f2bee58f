"""Stock levels with reservations (reserved units are held for carts being checked out)."""

from .errors import UnknownProduct


class Inventory:
    def __init__(self, stock=None):
        self._on_hand = dict(stock or {})
        self._reserved = {sku: 0 for sku in self._on_hand}

    def _check(self, sku):
        if sku not in self._on_hand:
            raise UnknownProduct(sku)

    def available(self, sku):
        self._check(sku)
        return self._on_hand[sku] - self._reserved[sku]

    def reserve(self, sku, quantity):
        """Hold ``quantity`` units of ``sku``."""
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        available = self.available(sku)
        if quantity > available:
            raise ValueError("only %d of %s left (requested %d)" % (available, sku, quantity))
        self._reserved[sku] += quantity

    def release(self, sku, quantity):
        self._check(sku)
        self._reserved[sku] = max(0, self._reserved[sku] - quantity)

    def commit(self, sku, quantity):
        """Turn a reservation into a sale."""
        self._check(sku)
        self._reserved[sku] -= quantity
        self._on_hand[sku] -= quantity
