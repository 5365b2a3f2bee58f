"""The Article model."""

from .tags import normalize_tag


class WorkflowError(Exception):
    """An action is not allowed in the article's current status."""


class Article:
    STATUSES = ("draft", "published", "archived")

    def __init__(self, title, author, body="", tags=None, metadata=None, status="draft"):
        if status not in self.STATUSES:
            raise ValueError("unknown status %r" % (status,))
        self.title = title
        self.author = author
        self.body = body
        self.tags = tags if tags is not None else []
        self.metadata = metadata if metadata is not None else {}
        self.status = status
        self.slug = None
        self.published_at = None

    def add_tag(self, tag):
        tag = normalize_tag(tag)
        if tag not in self.tags:
            self.tags.append(tag)

    def remove_tag(self, tag):
        tag = normalize_tag(tag)
        if tag in self.tags:
            self.tags.remove(tag)

    def set_meta(self, key, value):
        self.metadata[key] = value
