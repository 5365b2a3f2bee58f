"""Parcel shipping quotes: volumetric weight, chargeable weight and carrier price tables."""
