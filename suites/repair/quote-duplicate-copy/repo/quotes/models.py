"""Quote and line item models."""

from decimal import Decimal


class QuoteError(Exception):
    pass


class LineItem:
    def __init__(self, sku, description, quantity, unit_price):
        self.sku = sku
        self.description = description
        self.quantity = quantity
        self.unit_price = Decimal(str(unit_price))

    @property
    def amount(self):
        return self.unit_price * self.quantity


class Quote:
    def __init__(self, quote_id, customer, created_at, discount_percent=0):
        self.id = quote_id
        self.customer = customer
        self.created_at = created_at
        self.discount_percent = Decimal(str(discount_percent))
        self.lines = []
        self.status = "draft"
        self.revision_of = None

    def _editable(self):
        if self.status != "draft":
            raise QuoteError("quote %s is %s and can no longer be edited" % (self.id, self.status))

    def add_line(self, sku, description, quantity, unit_price):
        self._editable()
        line = LineItem(sku, description, quantity, unit_price)
        self.lines.append(line)
        return line

    def set_quantity(self, sku, quantity):
        self._editable()
        for line in self.lines:
            if line.sku == sku:
                line.quantity = quantity
                return line
        raise QuoteError("no line with sku %r" % sku)
