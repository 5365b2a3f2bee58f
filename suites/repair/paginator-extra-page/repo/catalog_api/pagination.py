"""Page-number pagination over any sliceable sequence."""


class InvalidPage(Exception):
    """Raised when a page number is not an integer or lies outside the valid range."""


class Paginator:
    """Split ``items`` into pages of ``per_page`` items.

    Pages are numbered from 1. An empty collection has a single (empty) first page unless
    ``allow_empty_first_page`` is false, in which case it has no pages at all.
    """

    def __init__(self, items, per_page, allow_empty_first_page=True):
        if per_page < 1:
            raise ValueError("per_page must be at least 1")
        self.items = items
        self.per_page = per_page
        self.allow_empty_first_page = allow_empty_first_page

    @property
    def count(self):
        return len(self.items)

    @property
    def num_pages(self):
        if self.count == 0:
            return 1 if self.allow_empty_first_page else 0
        return self.count // self.per_page + 1

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise InvalidPage("page number is not an integer: %r" % (number,)) from None
        if number < 1:
            raise InvalidPage("page number must be at least 1")
        if number > self.num_pages:
            raise InvalidPage("page %d does not exist (last page is %d)" % (number, self.num_pages))
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return Page(self.items[bottom:top], number, self)


class Page:
    """One page of results."""

    def __init__(self, object_list, number, paginator):
        self.object_list = list(object_list)
        self.number = number
        self.paginator = paginator

    def __len__(self):
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def has_next(self):
        return self.number < self.paginator.num_pages

    def has_previous(self):
        return self.number > 1

    def start_index(self):
        """1-based index of the first item on this page (0 for an empty page)."""
        if not self.object_list:
            return 0
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0
