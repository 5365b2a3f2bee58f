"""Disk usage report ("where did my space go"), like a tiny ``du | sort``."""
