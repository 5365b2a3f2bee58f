"""Exchange rates from a backend (HTTP API in production, a dict in tests)."""

import time
from decimal import Decimal

from .cache import memoize


class UnknownCurrency(LookupError):
    pass


class RateService:
    """``get_rate(base, quote="USD", day=None)`` -> Decimal units of ``quote`` per unit of ``base``."""

    def __init__(self, backend, ttl=300, clock=time.monotonic):
        self.backend = backend
        self.get_rate = memoize(ttl, clock)(self._fetch_rate)

    def _fetch_rate(self, base, quote="USD", day=None):
        base, quote = base.upper(), quote.upper()
        if base == quote:
            return Decimal(1)
        rate = self.backend(base, quote, day)
        if rate is None:
            raise UnknownCurrency("no rate for %s/%s" % (base, quote))
        return Decimal(str(rate))
