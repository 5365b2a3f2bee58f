import unittest
from decimal import Decimal

from shipping.parcel import Parcel, volumetric_weight
from shipping.quote import chargeable_weight, quote


class TestFractionalVolumetricWeight(unittest.TestCase):
    def test_volumetric_weight_keeps_fraction(self):
        self.assertAlmostEqual(float(volumetric_weight(Parcel(30, 30, 28, 1), 5000)), 5.04)
        self.assertAlmostEqual(float(volumetric_weight(Parcel(10, 10, 15, 1), 6000)), 0.25)

    def test_chargeable_weight_rounds_up_from_fraction(self):
        self.assertEqual(chargeable_weight(Parcel(30, 30, 28, 1), "parcelnet"), Decimal("5.5"))
        self.assertEqual(chargeable_weight(Parcel(50, 40, 34, 2), "swiftpost"), Decimal("12"))

    def test_quote_matches_carrier_invoice(self):
        kg, price = quote(Parcel(30, 30, 28, 4.2), "parcelnet", "eu")
        self.assertEqual(kg, Decimal("5.5"))
        self.assertEqual(price, Decimal("22.70"))


if __name__ == "__main__":
    unittest.main()
