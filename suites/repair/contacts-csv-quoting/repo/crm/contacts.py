"""The Contact record."""

import re

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Contact:
    FIELDS = ("id", "name", "email", "company", "phone", "notes")

    def __init__(self, id, name, email="", company="", phone="", notes=""):
        if not name.strip():
            raise ValueError("a contact needs a name")
        if email and not _EMAIL.match(email):
            raise ValueError("invalid e-mail address %r" % email)
        self.id = int(id)
        self.name = name
        self.email = email
        self.company = company
        self.phone = phone
        self.notes = notes

    def as_row(self):
        return [getattr(self, f) for f in self.FIELDS]

    def __eq__(self, other):
        return isinstance(other, Contact) and self.as_row() == other.as_row()

    def __repr__(self):
        return "Contact(%r)" % (self.as_row(),)
