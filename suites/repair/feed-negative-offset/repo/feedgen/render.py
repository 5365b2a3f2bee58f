"""Render Atom and RSS documents as strings."""

from xml.sax.saxutils import escape

from .entries import newest_first
from .tzfmt import rfc822, rfc3339


def atom(entries, title, base_url):
    items = newest_first(entries)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>%s</title>" % escape(title),
        '<link href="%s"/>' % escape(base_url),
    ]
    if items:
        parts.append("<updated>%s</updated>" % rfc3339(items[0].published))
    for e in items:
        parts.append(
            "<entry><title>%s</title><link href=\"%s\"/><id>%s</id><updated>%s</updated></entry>"
            % (e.escaped_title(), e.url(base_url), e.url(base_url), rfc3339(e.published))
        )
    parts.append("</feed>")
    return "\n".join(parts)


def rss(entries, title, base_url):
    items = newest_first(entries)
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0"><channel>',
             "<title>%s</title>" % escape(title), "<link>%s</link>" % escape(base_url)]
    for e in items:
        parts.append(
            "<item><title>%s</title><link>%s</link><pubDate>%s</pubDate></item>"
            % (e.escaped_title(), e.url(base_url), rfc822(e.published))
        )
    parts.append("</channel></rss>")
    return "\n".join(parts)
