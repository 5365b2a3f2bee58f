"""List endpoint: turns a sequence of products into a paginated JSON-ready dict."""

from urllib.parse import urlencode

from .pagination import InvalidPage, Paginator
from .params import BadRequest, parse_page_params


def _link(base_url, page, page_size):
    return "%s?%s" % (base_url, urlencode({"page": page, "page_size": page_size}))


def list_products(products, query, base_url="/api/products"):
    """Answer ``GET base_url?page=..&page_size=..`` with a status and a body."""
    try:
        page_number, page_size = parse_page_params(query)
    except BadRequest as exc:
        return 400, {"error": str(exc)}
    paginator = Paginator(products, page_size)
    try:
        page = paginator.page(page_number)
    except InvalidPage as exc:
        return 404, {"error": str(exc)}
    body = {
        "count": paginator.count,
        "num_pages": paginator.num_pages,
        "results": [dict(p) for p in page],
        "next": _link(base_url, page.number + 1, page_size) if page.has_next() else None,
        "previous": _link(base_url, page.number - 1, page_size) if page.has_previous() else None,
    }
    return 200, body
