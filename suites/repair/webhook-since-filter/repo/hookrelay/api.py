"""``GET /admin/deliveries`` handler (framework-agnostic: takes a query dict, returns status + body)."""

from datetime import datetime, timezone


class BadQuery(ValueError):
    pass


def parse_since(value):
    """Parse the ``since`` parameter: Unix seconds (``1714000000``) or ISO 8601
    (``2024-04-25T00:00:00Z``, ``2024-04-25T02:00:00+02:00``; no offset means UTC).
    Returns an aware datetime."""
    value = value.strip()
    if value.isdigit():
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise BadQuery("since must be Unix seconds or ISO 8601, got %r" % value) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt


def list_deliveries(log, query):
    try:
        since = parse_since(query["since"]) if query.get("since") else None
    except BadQuery as exc:
        return 400, {"error": str(exc)}
    items = log.query(since=since, status=query.get("status"), event=query.get("event"))
    limit = min(int(query.get("limit", 50)), 500)
    return 200, {"count": len(items), "deliveries": [d.to_dict() for d in items[:limit]]}
