"""Entry point used by the application and its CLI."""

import os

from .defaults import DEFAULTS
from .merge import merge_layers
from .sources import from_environ, from_overrides, load_file


def load_config(path=None, environ=None, overrides=()):
    """Build the effective configuration.

    Precedence, lowest first: built-in defaults, the JSON file at ``path`` (if given), ``APP_*``
    environment variables, then ``--set key.path=value`` overrides.
    """
    environ = os.environ if environ is None else environ
    file_layer = load_file(path) if path else {}
    return merge_layers(DEFAULTS, file_layer, from_environ(environ), from_overrides(overrides))
