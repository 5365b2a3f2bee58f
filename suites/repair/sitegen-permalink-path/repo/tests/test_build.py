import os
import tempfile
import unittest

from sitegen.builder import BuildError, build, plan
from sitegen.pages import Page, parse_source, url_for_source
from sitegen.paths import output_path


class TestPages(unittest.TestCase):
    def test_url_for_source(self):
        self.assertEqual(url_for_source("blog/hello.md"), "blog/hello/")
        self.assertEqual(url_for_source("index.md"), "")
        self.assertEqual(url_for_source("docs/index.md"), "docs/")

    def test_front_matter(self):
        page = parse_source("about.md", "---\ntitle: About us\npermalink: /team/\n---\nHello")
        self.assertEqual((page.title, page.permalink, page.body, page.link), ("About us", "/team/", "Hello", "/team/"))
        with self.assertRaises(ValueError):
            parse_source("x.md", "---\ntitle: x\n")


class TestPaths(unittest.TestCase):
    def test_relative_urls(self):
        self.assertEqual(output_path("out", "blog/hello/"), os.path.join("out", "blog", "hello", "index.html"))
        self.assertEqual(output_path("out", "about"), os.path.join("out", "about", "index.html"))
        self.assertEqual(output_path("out", "feed.xml"), os.path.join("out", "feed.xml"))


class TestBuild(unittest.TestCase):
    def test_build_derived_urls(self):
        pages = [Page("index.md", "Home", "<p>hi</p>"), Page("blog/first-post.md", "First", "<p>1</p>")]
        with tempfile.TemporaryDirectory() as tmp:
            written = build(pages, tmp)
            self.assertEqual(written, [os.path.join(tmp, "blog", "first-post", "index.html"), os.path.join(tmp, "index.html")])
            with open(written[1], encoding="utf-8") as fh:
                self.assertIn('<a href="/blog/first-post/">First</a>', fh.read())

    def test_duplicate_outputs(self):
        with self.assertRaises(BuildError):
            plan([Page("a.md", "A", ""), Page("a/index.md", "A2", "")], "out")
