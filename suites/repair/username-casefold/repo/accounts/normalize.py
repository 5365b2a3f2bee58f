"""Canonical forms of user-visible names.

Usernames are compared case-insensitively and after Unicode compatibility normalisation, so
that "Alice", "ALICE" and the full-width "ａｌｉｃｅ" are the same account.
"""

import re
import unicodedata

_ALLOWED = re.compile(r"^[\w.\-]{3,30}$")


def fold(text):
    """Key used to compare two names for equality regardless of case and width."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def validate_username(name):
    name = unicodedata.normalize("NFKC", name).strip()
    if not _ALLOWED.match(name):
        raise ValueError("usernames are 3-30 letters, digits, '.', '_' or '-': %r" % name)
    return name
