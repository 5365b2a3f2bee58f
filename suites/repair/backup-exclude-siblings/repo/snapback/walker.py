"""Walking the backup root."""

import os


def iter_files(root, rules):
    """Yield the "/"-separated relative paths of all files under ``root`` that are not excluded,
    in sorted order. Excluded directories are not descended into."""
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")

        def rel(name):
            return rel_dir + "/" + name if rel_dir else name

        dirnames[:] = sorted(d for d in dirnames if not rules.is_excluded(rel(d)))
        for name in sorted(filenames):
            if not rules.is_excluded(rel(name)):
                yield rel(name)
