"""Bulk stock-level import from CSV files exported by warehouse staff."""

from .importer import ImportResult, import_bytes, import_file
from .schema import SchemaError

__all__ = ["ImportResult", "SchemaError", "import_bytes", "import_file"]
