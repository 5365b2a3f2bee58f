import os
import tempfile
import unittest

from stockimport import import_bytes, import_file

EXCEL_EXPORT = "sku,quantity,name,location\r\nA-100,12,Hex bolt M8,R1\r\nA-101,0,Nut M8,R1\r\n"


class TestExcelUtf8Export(unittest.TestCase):
    def test_import_file_with_bom(self):
        inventory = {}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "stock.csv")
            with open(path, "wb") as fh:
                fh.write(b"\xef\xbb\xbf" + EXCEL_EXPORT.encode("utf-8"))
            result = import_file(path, inventory)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.created, 2)
        self.assertEqual(inventory["A-100"]["quantity"], 12)
        self.assertEqual(inventory["A-101"]["location"], "R1")

    def test_import_bytes_with_bom(self):
        inventory = {}
        data = b"\xef\xbb\xbf" + "SKU;Quantity;Name\r\nK-9;3;K\u00fchlschrank\r\n".encode("utf-8")
        result = import_bytes(data, inventory)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(inventory, {"K-9": {"sku": "K-9", "quantity": 3, "name": "K\u00fchlschrank", "location": None}})

    def test_bom_only_file_without_sku_column_still_rejected_cleanly(self):
        from stockimport import SchemaError
        with self.assertRaises(SchemaError) as ctx:
            import_bytes(b"\xef\xbb\xbfname,quantity\r\nBolt,1\r\n", {})
        self.assertIn("found: name, quantity", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
