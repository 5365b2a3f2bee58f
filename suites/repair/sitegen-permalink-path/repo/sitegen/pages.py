"""Source pages and their URLs."""

import posixpath


class Page:
    def __init__(self, source, title, body, permalink=None):
        self.source = source  # path relative to the content directory, with "/" separators
        self.title = title
        self.body = body
        self.permalink = permalink

    @property
    def url(self):
        """The page's URL path: its ``permalink`` if set, else derived from the source path."""
        if self.permalink:
            return self.permalink
        return url_for_source(self.source)

    @property
    def link(self):
        """Absolute link used in navigation and the sitemap."""
        return "/" + self.url.lstrip("/")


def url_for_source(source):
    """``blog/hello.md`` -> ``blog/hello/``; ``index.md`` -> ``""``; ``docs/index.md`` -> ``docs/``."""
    stem, _ = posixpath.splitext(source)
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
    return stem + "/" if stem else ""


def parse_source(source, text):
    """Split ``key: value`` front matter (between ``---`` lines) from the body."""
    meta, body = {}, text
    if text.startswith("---\n"):
        header, sep, body = text[4:].partition("\n---\n")
        if not sep:
            raise ValueError("%s: unterminated front matter" % source)
        for line in header.splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    return Page(source, meta.get("title", source), body.strip(), meta.get("permalink") or None)
