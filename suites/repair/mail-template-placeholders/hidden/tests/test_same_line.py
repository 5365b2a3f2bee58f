import unittest

from notify.messages import build_message, validate
from notify.template import placeholders, render


class TestSeveralPlaceholdersOnOneLine(unittest.TestCase):
    def test_two_placeholders(self):
        self.assertEqual(render("Dear {{ first }} {{ last }},", {"first": "Ada", "last": "Lovelace"}), "Dear Ada Lovelace,")

    def test_adjacent_placeholders_with_filters(self):
        self.assertEqual(render("{{a|upper}}{{b|money}}", {"a": "eur", "b": 5}), "EUR5.00")

    def test_order_shipped_message(self):
        ctx = {
            "customer": {"first_name": "Grace"},
            "order": {"id": "A-1001", "city": "Lyon", "carrier": "DPD", "currency": "EUR", "total": 49.9},
        }
        subject, body = build_message("order_shipped", ctx)
        self.assertEqual(subject, "Your order A-1001 has shipped")
        self.assertIn("order A-1001 is on its way to Lyon via DPD.\n", body)
        self.assertIn("Total charged: EUR 49.90\n", body)

    def test_placeholders_lists_each_name(self):
        self.assertEqual(placeholders("{{ a }} and {{ b|upper }}\n{{ c }}"), ["a", "b", "c"])
        validate("{{ customer.first_name }} {{ order.id }}", allowed={"customer", "order"})


if __name__ == "__main__":
    unittest.main()
