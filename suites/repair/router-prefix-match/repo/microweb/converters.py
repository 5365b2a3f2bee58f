"""URL parameter converters: ``<int:id>``, ``<slug:name>``, ``<path:rest>``, ``<name>`` (str)."""

CONVERTERS = {
    "str": (r"[^/]+", str),
    "int": (r"[0-9]+", int),
    "slug": (r"[-a-zA-Z0-9_]+", str),
    "path": (r".+", str),
}


class UnknownConverter(ValueError):
    pass


def get_converter(name):
    try:
        return CONVERTERS[name or "str"]
    except KeyError:
        raise UnknownConverter("unknown converter %r" % name) from None
