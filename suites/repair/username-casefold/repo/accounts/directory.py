"""Member directory search (the "find people" box)."""

from .normalize import fold


def search(registry, query, limit=20):
    """Accounts whose username or display name contains ``query``, ignoring case."""
    needle = fold(query)
    if not needle:
        return []
    hits = [a for a in registry if needle in fold(a.username) or needle in fold(a.display_name)]
    return hits[:limit]
