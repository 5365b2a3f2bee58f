"""The category page: filter, sort, render rows."""

from .sorting import sort_products


def listing(products, category=None, in_stock_only=False, order="relevance"):
    selected = [
        p for p in products
        if (category is None or p.category == category) and (p.in_stock or not in_stock_only)
    ]
    return sort_products(selected, order)


def rows(products):
    return ["%-8s %-28s %s" % (p.sku, p.name, p.display_price()) for p in products]
