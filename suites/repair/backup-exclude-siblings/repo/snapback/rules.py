"""Exclude rules from the backup configuration.

``directories`` are paths relative to the backup root (``"var/cache"``); everything below them
is skipped. ``patterns`` are shell globs matched against file and directory names
(``"*.tmp"``, ``".DS_Store"``).
"""

import fnmatch
import posixpath


class ExcludeRules:
    def __init__(self, directories=(), patterns=()):
        self.directories = [posixpath.normpath(d.strip("/")) for d in directories if d.strip("/")]
        self.patterns = list(patterns)

    def matches_pattern(self, rel_path):
        name = posixpath.basename(rel_path)
        return any(fnmatch.fnmatchcase(name, p) for p in self.patterns)

    def is_excluded(self, rel_path):
        """True if ``rel_path`` (relative, "/"-separated) is excluded by a directory or a pattern."""
        rel_path = posixpath.normpath(rel_path.strip("/"))
        for directory in self.directories:
            if rel_path.startswith(directory):
                return True
        return self.matches_pattern(rel_path)

    @classmethod
    def from_config(cls, config):
        return cls(config.get("exclude_dirs", ()), config.get("exclude_patterns", ()))
