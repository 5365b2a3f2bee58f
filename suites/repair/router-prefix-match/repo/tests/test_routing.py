import unittest

from microweb import App
from microweb.converters import UnknownConverter
from microweb.routing import compile_pattern


def make_app():
    app = App()

    @app.route("/about")
    def about():
        return "about us"

    @app.route("/articles/<int:year>")
    def year_archive(year):
        return "archive %d" % year

    @app.route("/articles/<int:year>/<slug:slug>")
    def article_detail(year, slug):
        return "article %d %s" % (year, slug)

    @app.route("/articles/<int:year>/<slug:slug>", methods=("PUT",), name="article_update")
    def article_update(year, slug):
        return "updated %s" % slug

    @app.route("/static/<path:filename>")
    def static(filename):
        return "file " + filename

    return app


class TestCompile(unittest.TestCase):
    def test_errors(self):
        with self.assertRaises(ValueError):
            compile_pattern("no-slash")
        with self.assertRaises(UnknownConverter):
            compile_pattern("/x/<uuid:id>")
        with self.assertRaises(ValueError):
            compile_pattern("/<a>/<a>")


class TestDispatch(unittest.TestCase):
    def test_exact_routes(self):
        app = make_app()
        self.assertEqual(app.dispatch("GET", "/about").body, "about us")
        self.assertEqual(app.dispatch("GET", "/articles/2023").body, "archive 2023")
        self.assertEqual(app.dispatch("GET", "/static/css/site.css").body, "file css/site.css")

    def test_not_found(self):
        self.assertEqual(make_app().dispatch("GET", "/nowhere").status, 404)

    def test_url_for(self):
        app = make_app()
        self.assertEqual(app.url_for("article_detail", year=2024, slug="hello"), "/articles/2024/hello")
        with self.assertRaises(LookupError):
            app.url_for("missing")

    def test_method_not_allowed(self):
        resp = make_app().dispatch("DELETE", "/about")
        self.assertEqual((resp.status, resp.headers["Allow"]), (405, "GET"))
