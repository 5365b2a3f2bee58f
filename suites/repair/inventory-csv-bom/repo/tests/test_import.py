import os
import tempfile
import unittest

from stockimport import SchemaError, import_bytes, import_file
from stockimport.reader import guess_delimiter


class TestReader(unittest.TestCase):
    def test_guess_delimiter(self):
        self.assertEqual(guess_delimiter("sku;quantity;name\n"), ";")
        self.assertEqual(guess_delimiter("sku\tquantity\n"), "\t")
        self.assertEqual(guess_delimiter("sku\n"), ",")


class TestImport(unittest.TestCase):
    def test_import_file_creates_and_updates(self):
        inventory = {"A-1": {"sku": "A-1", "quantity": 3, "name": "Bolt", "location": "R1"}}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "counts.csv")
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write("SKU,Quantity,Name,Location\r\na-1,10,,R2\r\nB-7,4,Washer M6,R3\r\n")
            result = import_file(path, inventory)
        self.assertTrue(result.ok)
        self.assertEqual((result.created, result.updated), (1, 1))
        self.assertEqual(inventory["A-1"], {"sku": "A-1", "quantity": 10, "name": "Bolt", "location": "R2"})
        self.assertEqual(inventory["B-7"]["name"], "Washer M6")

    def test_import_bytes_semicolons_and_non_ascii(self):
        inventory = {}
        data = "sku;quantity;name\nC-2;5;Schraube \u00d8 4 mm\n".encode("utf-8")
        result = import_bytes(data, inventory)
        self.assertTrue(result.ok)
        self.assertEqual(inventory["C-2"]["name"], "Schraube \u00d8 4 mm")

    def test_row_errors_are_collected(self):
        inventory = {}
        data = b"sku,quantity\nA,1\n,2\nB,x\nC,-1\n"
        result = import_bytes(data, inventory)
        self.assertEqual([e[0] for e in result.errors], [3, 4, 5])
        self.assertEqual(list(inventory), ["A"])

    def test_missing_column(self):
        with self.assertRaises(SchemaError):
            import_bytes(b"sku,name\nA,Bolt\n", {})
