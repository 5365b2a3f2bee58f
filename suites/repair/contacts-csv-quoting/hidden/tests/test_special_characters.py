import csv
import io
import unittest

from crm.contacts import Contact
from crm.export import export_string
from crm.importer import import_string


def parse(text):
    return list(csv.reader(io.StringIO(text, newline="")))


class TestSpecialCharacters(unittest.TestCase):
    def test_embedded_quotes(self):
        c = Contact(1, 'Robert "Bob" Jones', notes='Says "call me Bob", prefers e-mail')
        rows = parse(export_string([c]))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1], ["1", 'Robert "Bob" Jones', "", "", "", 'Says "call me Bob", prefers e-mail'])

    def test_multiline_notes(self):
        c = Contact(7, "Dana", company="Initech", notes="Met at PyCon.\nFollow up in Q3.\r\nVIP")
        rows = parse(export_string([c, Contact(8, "Eve")]))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[1][5], "Met at PyCon.\nFollow up in Q3.\r\nVIP")
        self.assertEqual(rows[2][:2], ["8", "Eve"])

    def test_round_trip_through_importer(self):
        contacts = [
            Contact(1, 'O"Neil', notes='He said "hi", twice'),
            Contact(2, "Multi", notes="line one\nline two"),
            Contact(3, "Plain"),
        ]
        self.assertEqual(import_string(export_string(contacts)), contacts)

    def test_quote_only_field(self):
        rows = parse(export_string([Contact(4, "Q", notes='"')]))
        self.assertEqual(rows[1][5], '"')


if __name__ == "__main__":
    unittest.main()
