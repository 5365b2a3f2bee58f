import unittest
from datetime import date

from notify.messages import build_message, validate
from notify.template import TemplateError, placeholders, render


class TestRender(unittest.TestCase):
    def test_single_placeholder(self):
        self.assertEqual(render("Hello {{ name }}!", {"name": "Ada"}), "Hello Ada!")
        self.assertEqual(render("Hello {{name}}!", {"name": "Ada"}), "Hello Ada!")

    def test_filters_and_dotted_names(self):
        ctx = {"order": {"total": 1234.5, "placed": date(2024, 3, 9)}}
        self.assertEqual(render("Total: {{ order.total|money }}", ctx), "Total: 1,234.50")
        self.assertEqual(render("{{ order.placed | date }}", ctx), "09 Mar 2024")

    def test_errors(self):
        with self.assertRaises(TemplateError):
            render("{{ missing }}", {})
        with self.assertRaises(TemplateError):
            render("{{ name|shout }}", {"name": "x"})

    def test_multiline_one_per_line(self):
        self.assertEqual(render("A: {{ a }}\nB: {{ b }}\n", {"a": 1, "b": 2}), "A: 1\nB: 2\n")


class TestMessages(unittest.TestCase):
    def test_password_reset(self):
        subject, body = build_message("password_reset", {"customer": {"first_name": "ada"}, "link": "https://x/r/abc"})
        self.assertEqual(subject, "Reset your password")
        self.assertEqual(body, "Hi Ada, use this link within 30 minutes:\nhttps://x/r/abc\n")

    def test_validate_rejects_unknown(self):
        with self.assertRaises(TemplateError):
            validate("Hi {{ user.name }}", allowed={"customer"})
        validate("Hi {{ customer.name }}", allowed={"customer"})
