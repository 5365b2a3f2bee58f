"""Carrier rules: volumetric divisor, billing step and price per zone."""

from decimal import Decimal

CARRIERS = {
    "parcelnet": {
        "divisor": 5000,
        "step": Decimal("0.5"),
        "max_girth": 300,
        "zones": {"domestic": (Decimal("4.90"), Decimal("1.10")), "eu": (Decimal("9.50"), Decimal("2.40"))},
    },
    "swiftpost": {
        "divisor": 6000,
        "step": Decimal("1"),
        "max_girth": 360,
        "zones": {"domestic": (Decimal("5.50"), Decimal("0.95")), "eu": (Decimal("12.00"), Decimal("1.80"))},
    },
}


class UnknownCarrier(KeyError):
    pass


def carrier(name):
    try:
        return CARRIERS[name]
    except KeyError:
        raise UnknownCarrier(name) from None
