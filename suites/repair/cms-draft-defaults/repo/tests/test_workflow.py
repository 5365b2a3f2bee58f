import unittest
from datetime import datetime, timezone

from cms.models import Article, WorkflowError
from cms.tags import normalize_tag, slugify
from cms.workflow import archive, create_draft, publish


class TestTags(unittest.TestCase):
    def test_normalize(self):
        self.assertEqual(normalize_tag("  Machine Learning "), "machine-learning")
        self.assertEqual(normalize_tag("C++_tips"), "c-tips")
        with self.assertRaises(ValueError):
            normalize_tag(" !! ")

    def test_slugify(self):
        self.assertEqual(slugify("Hello, World 2024"), "hello-world-2024")


class TestDrafts(unittest.TestCase):
    def test_explicit_tags_and_metadata(self):
        a = create_draft("Budget 2025", "alice", tags=["Politics", "Economy"], metadata={"desk": "news"})
        self.assertEqual(a.tags, ["politics", "economy"])
        self.assertEqual(a.metadata, {"desk": "news", "created_by": "alice"})
        self.assertEqual(a.slug, "budget-2025")

    def test_add_and_remove_tag(self):
        a = Article("T", "bob")
        a.add_tag("Sports")
        a.add_tag("sports")
        self.assertEqual(a.tags, ["sports"])
        a.remove_tag("SPORTS")
        self.assertEqual(a.tags, [])


class TestPublishing(unittest.TestCase):
    def test_publish_and_archive(self):
        a = create_draft("Launch", "carol", tags=["news"])
        a.body = "We launched."
        when = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)
        publish(a, when)
        self.assertEqual((a.status, a.published_at), ("published", when))
        archive(a)
        self.assertEqual(a.status, "archived")

    def test_cannot_publish_empty_or_twice(self):
        a = create_draft("Empty", "carol", tags=[])
        with self.assertRaises(WorkflowError):
            publish(a, None)
        a.body = "text"
        publish(a, None)
        with self.assertRaises(WorkflowError):
            publish(a, None)
