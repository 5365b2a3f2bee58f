"""Parsing of ``page`` / ``page_size`` query parameters."""

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class BadRequest(ValueError):
    """A query parameter has an invalid value (answered with HTTP 400)."""


def _positive_int(query, name, default):
    raw = query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest("%s must be an integer, got %r" % (name, raw)) from None
    if value < 1:
        raise BadRequest("%s must be at least 1" % name)
    return value


def parse_page_params(query):
    """Return ``(page, page_size)`` from a query-string dict; page_size is capped."""
    page = _positive_int(query, "page", 1)
    size = _positive_int(query, "page_size", DEFAULT_PAGE_SIZE)
    return page, min(size, MAX_PAGE_SIZE)
