"""Configuration sources: JSON files, environment variables and ``key.path=value`` overrides."""

import json


def coerce(text):
    """Turn an environment/CLI string into bool, int, float or leave it a string."""
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _set_path(tree, path, value):
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ValueError("%s is not a section" % ".".join(path))
    node[path[-1]] = value


def load_file(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError("%s: top level must be an object" % path)
    return data


def from_environ(environ, prefix="APP_"):
    """``APP_DATABASE__PORT=5433`` -> ``{"database": {"port": 5433}}`` (``__`` separates levels)."""
    tree = {}
    for name, value in environ.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            path = name[len(prefix):].lower().split("__")
            _set_path(tree, path, coerce(value))
    return tree


def from_overrides(items):
    """``["database.port=5433", "debug=true"]`` -> nested dict."""
    tree = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError("override must look like key.path=value: %r" % item)
        _set_path(tree, key.strip().split("."), coerce(value))
    return tree
