import unittest

from crm.contacts import Contact
from crm.export import export_string
from crm.importer import ImportError_, import_string


class TestExport(unittest.TestCase):
    def test_simple_export(self):
        text = export_string([Contact(2, "Bea", "bea@example.com"), Contact(1, "Al", phone="+44 20 7946 0000")])
        self.assertEqual(
            text,
            "id,name,email,company,phone,notes\r\n"
            "1,Al,,,+44 20 7946 0000,\r\n"
            "2,Bea,bea@example.com,,,\r\n",
        )

    def test_comma_is_quoted(self):
        text = export_string([Contact(1, "Smith, John", company="ACME, Inc.")])
        self.assertIn('1,"Smith, John",,"ACME, Inc.",,\r\n', text)


class TestImport(unittest.TestCase):
    def test_round_trip_plain(self):
        contacts = [Contact(1, "Smith, John", "john@example.com", "ACME, Inc."), Contact(2, "Zo\u00eb")]
        self.assertEqual(import_string(export_string(contacts)), contacts)

    def test_missing_columns(self):
        with self.assertRaises(ImportError_):
            import_string("name,email\r\nAl,al@example.com\r\n")

    def test_invalid_email_reports_line(self):
        with self.assertRaises(ImportError_) as ctx:
            import_string("id,name,email\r\n1,Al,al@example.com\r\n2,Bo,not-an-email\r\n")
        self.assertEqual(ctx.exception.line, 3)
