"""Source snippets for error reports: show the failing line with a few lines of context."""
