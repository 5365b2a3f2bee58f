import os
import tempfile
import unittest

from sitegen.builder import BuildError, build, plan
from sitegen.pages import Page, parse_source


class TestPermalinks(unittest.TestCase):
    def test_plan_for_permalinks_with_leading_slash(self):
        pages = [
            Page("about.md", "About", "", permalink="/about/"),
            Page("rss.md", "Feed", "", permalink="/feed.xml"),
            Page("docs.md", "Docs", "", permalink="/docs/v2"),
            Page("home.md", "Home", "", permalink="/"),
        ]
        files = plan(pages, "out")
        self.assertEqual(
            sorted(files),
            sorted(os.path.join("out", *parts) for parts in (
                ("about", "index.html"), ("feed.xml",), ("docs", "v2", "index.html"), ("index.html",))),
        )

    def test_build_writes_permalink_pages_inside_build_dir(self):
        pages = [
            parse_source("about.md", "---\ntitle: About\npermalink: /company/about/\n---\n<p>About</p>"),
            parse_source("rss.md", "---\ntitle: Feed\npermalink: /feed.xml\n---\n<rss/>"),
            Page("blog/post.md", "Post", "<p>post</p>"),
        ]
        with tempfile.TemporaryDirectory() as tmp:
            written = build(pages, tmp)
            self.assertEqual(
                written,
                [
                    os.path.join(tmp, "blog", "post", "index.html"),
                    os.path.join(tmp, "company", "about", "index.html"),
                    os.path.join(tmp, "feed.xml"),
                ],
            )
            for path in written:
                self.assertTrue(os.path.isfile(path))

    def test_permalink_collision_is_detected(self):
        pages = [Page("about.md", "About", ""), Page("team.md", "Team", "", permalink="/about/")]
        with self.assertRaises(BuildError) as ctx:
            plan(pages, "out")
        self.assertIn("already used", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
