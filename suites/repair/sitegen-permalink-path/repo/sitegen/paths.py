"""Where each URL is written inside the build directory."""

import os
import posixpath


def output_path(build_dir, url):
    """File that serves ``url``: pretty URLs get an ``index.html``.

    ``blog/hello/`` -> ``<build_dir>/blog/hello/index.html``;
    ``about`` -> ``<build_dir>/about/index.html``; ``feed.xml`` -> ``<build_dir>/feed.xml``.
    """
    if url.endswith("/") or not posixpath.splitext(url)[1]:
        return os.path.join(build_dir, url, "index.html")
    return os.path.join(build_dir, url)


def is_inside(build_dir, path):
    build_dir = os.path.abspath(build_dir)
    return os.path.commonpath([build_dir, os.path.abspath(path)]) == build_dir
