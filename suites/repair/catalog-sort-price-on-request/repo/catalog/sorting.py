"""Sort orders offered in the listing's "Sort by" menu."""

SORT_ORDERS = ("relevance", "price_asc", "price_desc", "name", "newest")


def sort_products(products, order="relevance"):
    """Return a new list of ``products`` in the requested order.

    "relevance" keeps the catalogue order. Sorting is stable: products that compare equal keep
    their catalogue order.
    """
    if order not in SORT_ORDERS:
        raise ValueError("unknown sort order %r" % order)
    products = list(products)
    if order == "price_asc":
        return sorted(products, key=lambda p: p.price)
    if order == "price_desc":
        return sorted(products, key=lambda p: p.price, reverse=True)
    if order == "name":
        return sorted(products, key=lambda p: p.name.casefold())
    if order == "newest":
        return sorted(products, key=lambda p: p.added, reverse=True)
    return products
