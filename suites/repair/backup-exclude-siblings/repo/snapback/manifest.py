"""Backup manifests: one line per file with size and SHA-256."""

import hashlib
import os

from .walker import iter_files


def file_digest(path, chunk_size=65536):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(chunk_size), b""):
            h.update(chunk)
    return h.hexdigest()


def build_manifest(root, rules):
    """Return a list of ``(relative_path, size, sha256)`` for every file to back up."""
    entries = []
    for rel in iter_files(root, rules):
        full = os.path.join(root, *rel.split("/"))
        entries.append((rel, os.path.getsize(full), file_digest(full)))
    return entries


def format_manifest(entries):
    return "".join("%s  %d  %s\n" % (digest, size, rel) for rel, size, digest in entries)
