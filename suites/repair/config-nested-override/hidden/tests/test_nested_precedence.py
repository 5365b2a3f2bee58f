import json
import os
import tempfile
import unittest

from appconfig import load_config
from appconfig.merge import deep_merge, merge_layers


class TestNestedPrecedence(unittest.TestCase):
    def test_deep_merge_override_wins_in_sections(self):
        merged = deep_merge({"db": {"host": "localhost", "port": 5432}}, {"db": {"host": "db.internal"}})
        self.assertEqual(merged, {"db": {"host": "db.internal", "port": 5432}})

    def test_deep_merge_three_levels(self):
        merged = deep_merge({"db": {"pool": {"min": 1, "max": 10}}}, {"db": {"pool": {"max": 50}}})
        self.assertEqual(merged, {"db": {"pool": {"min": 1, "max": 50}}})

    def test_merge_layers_last_wins(self):
        merged = merge_layers({"c": {"ttl": 1}}, {"c": {"ttl": 2}}, {"c": {"ttl": 3}})
        self.assertEqual(merged, {"c": {"ttl": 3}})

    def test_load_config_precedence_in_sections(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "config.json")
            with open(path, "w", encoding="utf-8") as fh:
                json.dump({"database": {"host": "db.internal", "port": 6432}, "logging": {"level": "WARNING"}}, fh)
            cfg = load_config(
                path,
                environ={"APP_DATABASE__PORT": "5433", "APP_DATABASE__POOL__MAX_SIZE": "25"},
                overrides=["logging.level=DEBUG"],
            )
        self.assertEqual(cfg["database"]["host"], "db.internal")
        self.assertEqual(cfg["database"]["port"], 5433)
        self.assertEqual(cfg["database"]["pool"], {"min_size": 1, "max_size": 25})
        self.assertEqual(cfg["logging"]["level"], "DEBUG")
        self.assertEqual(cfg["cache"], {"backend": "memory", "ttl": 300})


if __name__ == "__main__":
    unittest.main()
