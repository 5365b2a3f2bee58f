import unittest

from tests.test_routing import make_app


class TestFullPathMatch(unittest.TestCase):
    def test_detail_route_reached(self):
        self.assertEqual(make_app().dispatch("GET", "/articles/2024/hello-world").body, "article 2024 hello-world")

    def test_extra_segments_are_404(self):
        app = make_app()
        self.assertEqual(app.dispatch("GET", "/articles/2024/hello-world/comments").status, 404)
        self.assertEqual(app.dispatch("GET", "/articles/2024abc").status, 404)

    def test_longer_paths_do_not_match_shorter_routes(self):
        app = make_app()
        self.assertEqual(app.dispatch("GET", "/about.html").status, 404)
        self.assertEqual(app.dispatch("GET", "/about/team").status, 404)
        self.assertEqual(app.dispatch("DELETE", "/about/team").status, 404)

    def test_path_converter_still_spans_segments(self):
        self.assertEqual(make_app().dispatch("GET", "/static/img/logo.svg").body, "file img/logo.svg")


if __name__ == "__main__":
    unittest.main()
