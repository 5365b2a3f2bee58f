"""Rendering and writing the site."""

import html
import os

from .paths import is_inside, output_path


class BuildError(Exception):
    pass


def render(page, nav):
    items = "".join('<li><a href="%s">%s</a></li>' % (html.escape(p.link), html.escape(p.title)) for p in nav)
    return "<html><head><title>%s</title></head><body><nav><ul>%s</ul></nav>%s</body></html>" % (
        html.escape(page.title), items, page.body)


def plan(pages, build_dir):
    """Return ``{output file: html}`` for all pages; two pages may not claim the same file."""
    result = {}
    for page in pages:
        path = os.path.normpath(output_path(build_dir, page.url))
        if not is_inside(build_dir, path):
            raise BuildError("%s: refusing to write outside the build directory: %s" % (page.source, path))
        if path in result:
            raise BuildError("%s: output %s is already used by another page" % (page.source, path))
        result[path] = render(page, pages)
    return result


def build(pages, build_dir):
    files = plan(pages, build_dir)
    for path, content in sorted(files.items()):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(content)
    return sorted(files)
