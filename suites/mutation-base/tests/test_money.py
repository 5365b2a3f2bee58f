import unittest
from decimal import Decimal

from worklog import allocate, format_money, percent_of, round_cents, to_decimal


class TestToDecimal(unittest.TestCase):
    def test_numbers(self):
        self.assertEqual(to_decimal(Decimal("1.10")), Decimal("1.10"))
        self.assertEqual(to_decimal(12), Decimal(12))
        self.assertEqual(to_decimal(0.1), Decimal("0.1"))

    def test_text_with_separators_and_spaces(self):
        self.assertEqual(to_decimal("1,234.50"), Decimal("1234.50"))
        self.assertEqual(to_decimal(" 7 "), Decimal(7))
        self.assertEqual(to_decimal("-3"), Decimal(-3))

    def test_parentheses_mean_negative(self):
        self.assertEqual(to_decimal("(12.00)"), Decimal("-12.00"))
        self.assertEqual(to_decimal("( 3.5 )"), Decimal("-3.5"))

    def test_rejects_booleans_and_garbage(self):
        with self.assertRaises(TypeError):
            to_decimal(True)
        for text in ("", "   ", "abc", "NaN", "Infinity", "()"):
            with self.assertRaises(ValueError, msg=text):
                to_decimal(text)


class TestRounding(unittest.TestCase):
    def test_half_a_cent_goes_away_from_zero(self):
        self.assertEqual(round_cents("2.675"), Decimal("2.68"))
        self.assertEqual(round_cents("2.665"), Decimal("2.67"))
        self.assertEqual(round_cents("-2.665"), Decimal("-2.67"))
        self.assertEqual(round_cents("1.005"), Decimal("1.01"))
        self.assertEqual(round_cents("1.004"), Decimal("1.00"))
        self.assertEqual(round_cents(3), Decimal("3.00"))

    def test_percent_of(self):
        self.assertEqual(percent_of(200, 20), Decimal("40.00"))
        self.assertEqual(percent_of("10.50", 5), Decimal("0.53"))
        self.assertEqual(percent_of("19.99", "7.5"), Decimal("1.50"))
        self.assertEqual(percent_of(100, 0), Decimal("0.00"))


class TestFormatMoney(unittest.TestCase):
    def test_thousands_separators(self):
        self.assertEqual(format_money("1234.5"), "1,234.50 EUR")
        self.assertEqual(format_money("1234567.891"), "1,234,567.89 EUR")
        self.assertEqual(format_money(100000), "100,000.00 EUR")
        self.assertEqual(format_money(12345), "12,345.00 EUR")

    def test_small_amounts_and_currency(self):
        self.assertEqual(format_money(0), "0.00 EUR")
        self.assertEqual(format_money(123, "CHF"), "123.00 CHF")
        self.assertEqual(format_money("999.999"), "1,000.00 EUR")

    def test_negative_amounts(self):
        self.assertEqual(format_money(-3, "USD"), "-3.00 USD")
        self.assertEqual(format_money("-1234.5"), "-1,234.50 EUR")
        self.assertEqual(format_money("-0.004"), "0.00 EUR")


class TestAllocate(unittest.TestCase):
    def test_even_split_gives_the_extra_cent_to_the_first(self):
        self.assertEqual(allocate(100, [1, 1, 1]), [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")])
        self.assertEqual(allocate("0.05", [1, 1]), [Decimal("0.03"), Decimal("0.02")])

    def test_proportional_split(self):
        self.assertEqual(allocate(10, [1, 3]), [Decimal("2.50"), Decimal("7.50")])
        self.assertEqual(allocate(5, [0, 1]), [Decimal("0.00"), Decimal("5.00")])
        self.assertEqual(allocate(1, [1]), [Decimal("1.00")])

    def test_leftover_goes_to_the_part_that_lost_most(self):
        self.assertEqual(allocate("0.10", [1, 2]), [Decimal("0.03"), Decimal("0.07")])
        self.assertEqual(allocate("1.00", [3, 3, 1]), [Decimal("0.43"), Decimal("0.43"), Decimal("0.14")])

    def test_negative_total(self):
        parts = allocate("-10", [1, 1, 1])
        self.assertEqual(parts, [Decimal("-3.34"), Decimal("-3.33"), Decimal("-3.33")])
        self.assertEqual(sum(parts), Decimal("-10.00"))

    def test_parts_always_add_up(self):
        for total in ("0.01", "99.99", "1000", "7.77"):
            for weights in ([1, 2, 3], [5, 5], [1, 1, 1, 1, 1, 1, 1]):
                self.assertEqual(sum(allocate(total, weights)), Decimal(total), (total, weights))

    def test_rejects_bad_weights(self):
        for weights in ([], [1, -1], [0, 0]):
            with self.assertRaises(ValueError, msg=str(weights)):
                allocate(10, weights)
