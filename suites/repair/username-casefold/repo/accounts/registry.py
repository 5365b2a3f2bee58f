"""Registration and lookup of accounts."""

from .normalize import fold, validate_username


class UsernameTaken(ValueError):
    pass


class Account:
    def __init__(self, username, display_name):
        self.username = username
        self.display_name = display_name

    def __repr__(self):
        return "Account(%r)" % self.username


class Registry:
    def __init__(self):
        self._by_key = {}

    def register(self, username, display_name=None):
        username = validate_username(username)
        key = fold(username)
        if key in self._by_key:
            raise UsernameTaken("%r is already taken (by %r)" % (username, self._by_key[key].username))
        account = Account(username, display_name or username)
        self._by_key[key] = account
        return account

    def find(self, username):
        """The account whose name equals ``username`` ignoring case/width, or None."""
        return self._by_key.get(fold(username))

    def __iter__(self):
        return iter(sorted(self._by_key.values(), key=lambda a: fold(a.username)))
