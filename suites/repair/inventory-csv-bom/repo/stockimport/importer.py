"""Apply CSV stock counts to an inventory (a dict of SKU -> record dict)."""

from .reader import read_rows, read_rows_from_bytes
from .schema import RowError, check_header, normalize_header, parse_row


class ImportResult:
    def __init__(self):
        self.created = 0
        self.updated = 0
        self.errors = []  # (line number, message)

    @property
    def ok(self):
        return not self.errors


def _apply(rows, inventory):
    result = ImportResult()
    checked = False
    for lineno, fieldnames, row in rows:
        if not checked:
            check_header(fieldnames)
            checked = True
        row = {normalize_header(k): v for k, v in row.items() if k is not None}
        try:
            sku, quantity, name, location = parse_row(row)
        except RowError as exc:
            result.errors.append((lineno, str(exc)))
            continue
        record = inventory.get(sku)
        if record is None:
            inventory[sku] = {"sku": sku, "quantity": quantity, "name": name, "location": location}
            result.created += 1
        else:
            record["quantity"] = quantity
            if name:
                record["name"] = name
            if location:
                record["location"] = location
            result.updated += 1
    return result


def import_file(path, inventory, encoding="utf-8"):
    """Import the CSV file at ``path`` into ``inventory``; returns an :class:`ImportResult`."""
    return _apply(read_rows(path, encoding), inventory)


def import_bytes(data, inventory, encoding="utf-8"):
    """Import an uploaded CSV file given as bytes."""
    return _apply(read_rows_from_bytes(data, encoding), inventory)
