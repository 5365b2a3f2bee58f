"""Price quotes. Carriers bill the larger of actual and volumetric weight, rounded up to their step."""

import math
from decimal import Decimal

from .carriers import carrier
from .parcel import volumetric_weight


class NotShippable(ValueError):
    pass


def round_up(weight, step):
    """Round ``weight`` (kg) up to a whole multiple of ``step`` (a Decimal)."""
    weight = Decimal(str(weight))
    return math.ceil(weight / step) * step


def chargeable_weight(parcel, carrier_name):
    rules = carrier(carrier_name)
    billed = max(parcel.weight, volumetric_weight(parcel, rules["divisor"]))
    return round_up(billed, rules["step"])


def quote(parcel, carrier_name, zone):
    """Return ``(chargeable_kg, price)`` for sending ``parcel`` with a carrier to a zone."""
    rules = carrier(carrier_name)
    if parcel.girth() > rules["max_girth"]:
        raise NotShippable("parcel exceeds %s size limit" % carrier_name)
    try:
        base, per_kg = rules["zones"][zone]
    except KeyError:
        raise NotShippable("%s does not serve zone %r" % (carrier_name, zone)) from None
    kg = chargeable_weight(parcel, carrier_name)
    return kg, (base + per_kg * kg).quantize(Decimal("0.01"))
