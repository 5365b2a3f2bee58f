"""URL slugs: lower-case ASCII words joined by hyphens."""

import re

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(title, max_length=60, fallback="recipe"):
    """``"Mom's Apple Pie!"`` -> ``"mom-s-apple-pie"``.

    Slugs only contain ``a-z``, ``0-9`` and single hyphens, are at most ``max_length``
    characters, and are never empty (``fallback`` is used when nothing usable is left).
    """
    text = title.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_ALNUM.sub("-", text).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or fallback
