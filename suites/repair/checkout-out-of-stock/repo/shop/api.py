"""``POST /checkout`` handler: JSON payload in, (status, body) out."""

from .orders import place_order


def parse_lines(payload):
    lines = []
    for item in payload.get("items", []):
        sku = str(item.get("sku", "")).strip()
        quantity = item.get("quantity")
        if not sku or not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
            raise ValueError("each item needs a sku and a positive integer quantity")
        lines.append((sku, quantity))
    if not lines:
        raise ValueError("the cart is empty")
    return lines


def checkout(inventory, payload):
    try:
        lines = parse_lines(payload)
    except ValueError as exc:
        return 400, {"error": "bad_request", "message": str(exc)}
    result = place_order(inventory, lines)
    if result.ok:
        return 201, {"order_id": result.order_id}
    return result.status, {"error": result.error, "message": result.message}
