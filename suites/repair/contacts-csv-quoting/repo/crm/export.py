"""CSV export in the format spreadsheet programs expect (RFC 4180, CRLF line endings)."""

import io

from .contacts import Contact


def _field(value):
    text = "" if value is None else str(value)
    if "," in text:
        return '"' + text + '"'
    return text


def _line(values):
    return ",".join(_field(v) for v in values) + "\r\n"


def write_contacts(contacts, fh):
    """Write a header line and one line per contact to the text file ``fh``."""
    fh.write(_line(Contact.FIELDS))
    count = 0
    for contact in sorted(contacts, key=lambda c: c.id):
        fh.write(_line(contact.as_row()))
        count += 1
    return count


def export_string(contacts):
    buf = io.StringIO()
    write_contacts(contacts, buf)
    return buf.getvalue()
