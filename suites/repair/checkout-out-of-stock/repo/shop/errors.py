"""Domain errors. Anything derived from ShopError is an expected business outcome that the
checkout reports to the customer; everything else is a bug (HTTP 500)."""


class ShopError(Exception):
    code = "shop_error"
    http_status = 400


class UnknownProduct(ShopError):
    code = "unknown_product"
    http_status = 404

    def __init__(self, sku):
        super().__init__("no product with SKU %s" % sku)
        self.sku = sku


class OutOfStock(ShopError):
    code = "out_of_stock"
    http_status = 409

    def __init__(self, sku, requested, available):
        super().__init__("only %d of %s left (requested %d)" % (available, sku, requested))
        self.sku = sku
        self.requested = requested
        self.available = available
