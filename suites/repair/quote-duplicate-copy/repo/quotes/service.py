"""Quote repository and lifecycle operations."""

import copy
import itertools

from .models import Quote, QuoteError


class QuoteService:
    def __init__(self, clock):
        self.clock = clock
        self._quotes = {}
        self._ids = itertools.count(1001)

    def create(self, customer, discount_percent=0):
        quote = Quote("Q-%d" % next(self._ids), customer, self.clock(), discount_percent)
        self._quotes[quote.id] = quote
        return quote

    def get(self, quote_id):
        try:
            return self._quotes[quote_id]
        except KeyError:
            raise QuoteError("unknown quote %r" % quote_id) from None

    def send(self, quote_id):
        quote = self.get(quote_id)
        if not quote.lines:
            raise QuoteError("cannot send an empty quote")
        quote._editable()
        quote.status = "sent"
        return quote

    def duplicate(self, quote_id):
        """Start a new draft from an existing quote (e.g. to revise a quote already sent).

        The new quote has its own id and creation time and can be edited freely; the original
        is left as it was.
        """
        original = self.get(quote_id)
        new = copy.copy(original)
        new.id = "Q-%d" % next(self._ids)
        new.created_at = self.clock()
        new.status = "draft"
        new.revision_of = original.id
        self._quotes[new.id] = new
        return new
