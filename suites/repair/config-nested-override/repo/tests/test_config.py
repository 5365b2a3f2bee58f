import json
import os
import tempfile
import unittest

from appconfig import load_config
from appconfig.defaults import DEFAULTS
from appconfig.merge import deep_merge
from appconfig.sources import coerce, from_environ, from_overrides


class TestSources(unittest.TestCase):
    def test_coerce(self):
        self.assertEqual([coerce("true"), coerce("Off"), coerce("8"), coerce("0.5"), coerce("db1")], [True, False, 8, 0.5, "db1"])

    def test_environ(self):
        env = {"APP_DEBUG": "1", "APP_DATABASE__POOL__MAX_SIZE": "20", "PATH": "/bin", "APP_": "x"}
        self.assertEqual(from_environ(env), {"debug": 1, "database": {"pool": {"max_size": 20}}})

    def test_overrides(self):
        self.assertEqual(from_overrides(["cache.ttl=60", "name=api"]), {"cache": {"ttl": 60}, "name": "api"})
        with self.assertRaises(ValueError):
            from_overrides(["nonsense"])


class TestMerge(unittest.TestCase):
    def test_top_level_and_new_keys(self):
        merged = deep_merge({"a": 1, "s": {"x": 1}}, {"a": 2, "s": {"y": 2}, "b": 3})
        self.assertEqual(merged, {"a": 2, "s": {"x": 1, "y": 2}, "b": 3})

    def test_inputs_untouched(self):
        base = {"s": {"x": 1}}
        deep_merge(base, {"s": {"y": 2}})
        self.assertEqual(base, {"s": {"x": 1}})


class TestLoad(unittest.TestCase):
    def test_defaults_only(self):
        self.assertEqual(load_config(environ={}), DEFAULTS)
        self.assertIsNot(load_config(environ={})["database"], DEFAULTS["database"])

    def test_file_and_env_top_level(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "config.json")
            with open(path, "w", encoding="utf-8") as fh:
                json.dump({"workers": 8, "database": {"name": "shop"}}, fh)
            cfg = load_config(path, environ={"APP_DEBUG": "true"}, overrides=["workers=2"])
        self.assertEqual((cfg["debug"], cfg["workers"], cfg["database"]["name"]), (True, 2, "shop"))
        self.assertEqual(cfg["database"]["host"], "localhost")
