"""Periodic job runner with per-job lock files (so a slow run is never overlapped)."""
