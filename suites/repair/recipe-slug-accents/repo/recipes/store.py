"""In-memory recipe store keyed by unique slug."""

from .slugs import slugify


class Recipe:
    def __init__(self, slug, title, ingredients, minutes):
        self.slug = slug
        self.title = title
        self.ingredients = list(ingredients)
        self.minutes = minutes


class RecipeStore:
    def __init__(self):
        self._by_slug = {}

    def unique_slug(self, title):
        base = slugify(title)
        slug, n = base, 2
        while slug in self._by_slug:
            slug = "%s-%d" % (base, n)
            n += 1
        return slug

    def add(self, title, ingredients=(), minutes=None):
        recipe = Recipe(self.unique_slug(title), title, ingredients, minutes)
        self._by_slug[recipe.slug] = recipe
        return recipe

    def get(self, slug):
        return self._by_slug.get(slug)

    def slugs(self):
        return sorted(self._by_slug)
