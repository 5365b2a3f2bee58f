"""Atom and RSS feed generation for the blog platform."""
