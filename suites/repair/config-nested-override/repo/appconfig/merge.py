"""Recursive merging of configuration layers."""

import copy


def deep_merge(base, override):
    """Return a new dict with the keys of both; values from ``override`` win.

    Nested dicts present in both are merged the same way, so an override only needs to mention
    the keys it changes. Neither input is modified.
    """
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(value, result[key])
        else:
            result[key] = copy.deepcopy(value)
    return result


def merge_layers(*layers):
    """Merge layers from lowest to highest precedence."""
    result = {}
    for layer in layers:
        result = deep_merge(result, layer or {})
    return result
