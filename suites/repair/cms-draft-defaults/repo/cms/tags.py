"""Tag normalisation: tags are lower-case, hyphen-separated words."""

import re

_SEPARATORS = re.compile(r"[\s_]+")
_INVALID = re.compile(r"[^a-z0-9-]")


def normalize_tag(tag):
    """``"  Machine Learning "`` -> ``"machine-learning"``; raises ValueError if nothing is left."""
    tag = _SEPARATORS.sub("-", tag.strip().lower())
    tag = _INVALID.sub("", tag).strip("-")
    if not tag:
        raise ValueError("empty tag")
    return tag


def slugify(title):
    return normalize_tag(title)
