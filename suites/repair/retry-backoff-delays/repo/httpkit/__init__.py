"""Tiny HTTP client toolkit: retry policies and a JSON API client over a pluggable transport."""
