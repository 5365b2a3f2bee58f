"""Import of contacts from CSV (e.g. a file previously exported and edited in a spreadsheet)."""

import csv
import io

from .contacts import Contact


class ImportError_(ValueError):
    def __init__(self, line, message):
        super().__init__("line %d: %s" % (line, message))
        self.line = line


def read_contacts(fh):
    reader = csv.DictReader(fh)
    missing = {"id", "name"} - set(reader.fieldnames or ())
    if missing:
        raise ImportError_(1, "missing column(s): %s" % ", ".join(sorted(missing)))
    contacts = []
    for row in reader:
        try:
            contacts.append(Contact(**{f: row.get(f) or "" for f in Contact.FIELDS}))
        except (TypeError, ValueError) as exc:
            raise ImportError_(reader.line_num, str(exc)) from None
    return contacts


def import_string(text):
    return read_contacts(io.StringIO(text, newline=""))
