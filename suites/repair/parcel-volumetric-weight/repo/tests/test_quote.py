import unittest
from decimal import Decimal

from shipping.carriers import UnknownCarrier
from shipping.parcel import Parcel
from shipping.quote import NotShippable, chargeable_weight, quote, round_up


class TestParcel(unittest.TestCase):
    def test_validation(self):
        with self.assertRaises(ValueError):
            Parcel(10, 0, 10, 1)

    def test_girth(self):
        self.assertEqual(Parcel(20, 100, 30, 1).girth(), 200)


class TestQuote(unittest.TestCase):
    def test_round_up(self):
        self.assertEqual(round_up(2.01, Decimal("0.5")), Decimal("2.5"))
        self.assertEqual(round_up(2, Decimal("0.5")), Decimal("2.0"))
        self.assertEqual(round_up(Decimal("0.2"), Decimal("1")), Decimal("1"))

    def test_heavy_small_parcel_billed_by_actual_weight(self):
        p = Parcel(20, 15, 10, 3.2)
        self.assertEqual(chargeable_weight(p, "parcelnet"), Decimal("3.5"))
        self.assertEqual(quote(p, "parcelnet", "domestic"), (Decimal("3.5"), Decimal("8.75")))

    def test_large_light_parcel_whole_kg(self):
        p = Parcel(60, 50, 40, 2)  # 120000 cm3 -> 24 kg / 20 kg
        self.assertEqual(chargeable_weight(p, "parcelnet"), Decimal("24.0"))
        self.assertEqual(chargeable_weight(p, "swiftpost"), Decimal("20"))

    def test_errors(self):
        p = Parcel(10, 10, 10, 1)
        with self.assertRaises(UnknownCarrier):
            quote(p, "pigeon", "eu")
        with self.assertRaises(NotShippable):
            quote(p, "parcelnet", "mars")
        with self.assertRaises(NotShippable):
            quote(Parcel(150, 60, 50, 1), "parcelnet", "eu")
