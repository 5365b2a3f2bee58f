"""A small time-based memoization decorator (the rate backend is slow and rate limited)."""

import functools
import time


def memoize(ttl, clock=time.monotonic):
    """Cache the results of the decorated function for ``ttl`` seconds.

    The wrapped function gets ``cache_clear()`` and ``cache_info()`` helpers.
    """

    def decorator(fn):
        entries = {}
        stats = {"hits": 0, "misses": 0}

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            key = args
            now = clock()
            hit = entries.get(key)
            if hit is not None and now - hit[0] < ttl:
                stats["hits"] += 1
                return hit[1]
            stats["misses"] += 1
            value = fn(*args, **kwargs)
            entries[key] = (now, value)
            return value

        def cache_clear():
            entries.clear()

        def cache_info():
            return dict(stats, size=len(entries))

        wrapper.cache_clear = cache_clear
        wrapper.cache_info = cache_info
        return wrapper

    return decorator
