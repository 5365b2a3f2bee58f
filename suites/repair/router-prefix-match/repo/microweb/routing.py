"""Route patterns such as ``/articles/<int:year>/<slug:slug>`` compiled to regular expressions."""

import re

from .converters import get_converter

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def compile_pattern(pattern):
    """Return ``(regex_source, {param: python_type})`` for a route pattern."""
    if not pattern.startswith("/"):
        raise ValueError("route patterns must start with '/': %r" % pattern)
    parts, types, pos = [], {}, 0
    for m in _PARAM.finditer(pattern):
        conv_name, param = m.groups()
        if param in types:
            raise ValueError("duplicate parameter %r in %r" % (param, pattern))
        regex, to_python = get_converter(conv_name)
        parts.append(re.escape(pattern[pos:m.start()]))
        parts.append("(?P<%s>%s)" % (param, regex))
        types[param] = to_python
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    return "^" + "".join(parts), types


class Route:
    def __init__(self, pattern, handler, methods=("GET",), name=None):
        source, self.types = compile_pattern(pattern)
        self.pattern = pattern
        self.regex = re.compile(source)
        self.handler = handler
        self.methods = frozenset(m.upper() for m in methods)
        self.name = name or handler.__name__

    def match(self, path):
        """Return the converted parameters if ``path`` matches this route, else None."""
        m = self.regex.match(path)
        if m is None:
            return None
        return {k: self.types[k](v) for k, v in m.groupdict().items()}

    def build(self, **params):
        """Reverse routing: fill the parameters into the pattern."""
        def repl(m):
            return str(params[m.group(2)])

        return _PARAM.sub(repl, self.pattern)
