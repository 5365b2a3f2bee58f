"""Column names and validation of individual rows."""

REQUIRED = ("sku", "quantity")
OPTIONAL = ("name", "location")


class SchemaError(ValueError):
    """The file as a whole cannot be imported (e.g. a required column is missing)."""


class RowError(ValueError):
    """One row is invalid; the import goes on with the next row."""


def normalize_header(name):
    """``" Quantity "`` -> ``"quantity"``, ``"Bin Location"`` -> ``"bin_location"``."""
    return (name or "").strip().lower().replace(" ", "_")


def check_header(fieldnames):
    columns = [normalize_header(f) for f in fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise SchemaError(
            "missing required column(s): %s; found: %s" % (", ".join(missing), ", ".join(columns))
        )
    return columns


def parse_row(row):
    """Return ``(sku, quantity, name, location)`` from a row whose keys are normalised."""
    sku = (row.get("sku") or "").strip().upper()
    if not sku:
        raise RowError("empty sku")
    raw_qty = (row.get("quantity") or "").strip()
    try:
        quantity = int(raw_qty)
    except ValueError:
        raise RowError("quantity is not a whole number: %r" % raw_qty) from None
    if quantity < 0:
        raise RowError("quantity cannot be negative")
    name = (row.get("name") or "").strip() or None
    location = (row.get("location") or "").strip() or None
    return sku, quantity, name, location
