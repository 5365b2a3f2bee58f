"""Built-in defaults. Every layer above may override any of these keys, at any depth."""

DEFAULTS = {
    "debug": False,
    "workers": 4,
    "database": {
        "host": "localhost",
        "port": 5432,
        "pool": {"min_size": 1, "max_size": 10},
    },
    "cache": {"backend": "memory", "ttl": 300},
    "logging": {"level": "INFO"},
}
