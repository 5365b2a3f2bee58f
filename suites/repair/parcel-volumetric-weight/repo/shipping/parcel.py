"""Parcels and their weights."""


class Parcel:
    """A box of ``length`` x ``width`` x ``height`` centimetres weighing ``weight`` kilograms."""

    def __init__(self, length, width, height, weight):
        for name, value in (("length", length), ("width", width), ("height", height), ("weight", weight)):
            if value <= 0:
                raise ValueError("%s must be positive, got %r" % (name, value))
        self.length = length
        self.width = width
        self.height = height
        self.weight = weight

    @property
    def volume(self):
        """Volume in cubic centimetres."""
        return self.length * self.width * self.height

    def girth(self):
        """Length plus twice the sum of the two shorter sides (used for size limits)."""
        a, b, c = sorted((self.length, self.width, self.height), reverse=True)
        return a + 2 * (b + c)


def volumetric_weight(parcel, divisor):
    """Dimensional weight in kg: volume in cm3 divided by the carrier's divisor."""
    return parcel.volume // divisor
