"""Layered application configuration: defaults < config file < environment < command line."""

from .loader import load_config

__all__ = ["load_config"]
