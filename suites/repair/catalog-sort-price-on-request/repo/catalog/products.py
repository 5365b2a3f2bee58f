"""Products. Some items (custom machinery) have no list price: "price on request"."""

from datetime import date
from decimal import Decimal


class Product:
    def __init__(self, sku, name, category, price=None, stock=0, added=None):
        self.sku = sku
        self.name = name
        self.category = category
        self.price = None if price is None else Decimal(str(price))
        self.stock = stock
        self.added = added or date(2020, 1, 1)

    @property
    def price_on_request(self):
        return self.price is None

    @property
    def in_stock(self):
        return self.stock > 0

    def display_price(self):
        return "Price on request" if self.price is None else "EUR {:,.2f}".format(self.price)

    def __repr__(self):
        return "Product(%r)" % self.sku
