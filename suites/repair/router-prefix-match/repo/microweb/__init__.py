"""A minimal WSGI-less web framework core: URL routing and dispatch."""

from .app import App, Response

__all__ = ["App", "Response"]
