"""Public URLs."""

from urllib.parse import quote


def recipe_url(recipe, base="https://cook.example"):
    return "%s/recipes/%s/" % (base.rstrip("/"), quote(recipe.slug))


def search_url(query, base="https://cook.example"):
    return "%s/search?q=%s" % (base.rstrip("/"), quote(query))
