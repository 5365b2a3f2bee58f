"""Blog posts as the feed generator sees them."""

from xml.sax.saxutils import escape


class Entry:
    def __init__(self, slug, title, published, summary=""):
        if published.utcoffset() is None:
            raise ValueError("published must be timezone-aware")
        self.slug = slug
        self.title = title
        self.published = published
        self.summary = summary

    def url(self, base_url):
        return "%s/posts/%s/" % (base_url.rstrip("/"), self.slug)

    def escaped_title(self):
        return escape(self.title)


def newest_first(entries, limit=20):
    return sorted(entries, key=lambda e: e.published, reverse=True)[:limit]
