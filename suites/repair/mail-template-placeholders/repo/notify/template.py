"""Placeholder substitution.

A placeholder is ``{{ name }}`` or ``{{ name|filter }}`` (filters can be chained:
``{{ name|lower|title }}``). Dotted names look up attributes or keys: ``{{ order.id }}``.
"""

import re

from .filters import FILTERS

_PLACEHOLDER = re.compile(r"\{\{(.+)\}\}")


class TemplateError(Exception):
    pass


def _lookup(context, dotted):
    value = context
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif hasattr(value, part):
            value = getattr(value, part)
        else:
            raise TemplateError("unknown variable %r" % dotted)
    return value


def _evaluate(expression, context):
    name, *filters = [p.strip() for p in expression.split("|")]
    value = _lookup(context, name)
    for f in filters:
        try:
            value = FILTERS[f](value)
        except KeyError:
            raise TemplateError("unknown filter %r" % f) from None
    return str(value)


def render(template, context):
    """Replace every placeholder in ``template`` with its value from ``context``."""
    return _PLACEHOLDER.sub(lambda m: _evaluate(m.group(1), context), template)


def placeholders(template):
    """Names used by a template (used to validate templates when they are saved)."""
    return sorted({m.group(1).split("|")[0].strip() for m in _PLACEHOLDER.finditer(template)})
