"""Placing orders: reserve every line, or none."""

import itertools

from .errors import ShopError

_order_ids = itertools.count(1)


class OrderResult:
    def __init__(self, ok, order_id=None, error=None, message=None, status=201):
        self.ok = ok
        self.order_id = order_id
        self.error = error
        self.message = message
        self.status = status


def place_order(inventory, lines):
    """Reserve and commit ``[(sku, quantity), ...]`` atomically.

    If any line cannot be fulfilled, reservations already made for earlier lines are released
    and the result describes the problem.
    """
    reserved = []
    try:
        for sku, quantity in lines:
            inventory.reserve(sku, quantity)
            reserved.append((sku, quantity))
    except ShopError as exc:
        for sku, quantity in reserved:
            inventory.release(sku, quantity)
        return OrderResult(False, error=exc.code, message=str(exc), status=exc.http_status)
    for sku, quantity in reserved:
        inventory.commit(sku, quantity)
    return OrderResult(True, order_id="ORD-%05d" % next(_order_ids))
