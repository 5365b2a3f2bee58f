import unittest

from cms.workflow import create_draft


class TestDraftIsolation(unittest.TestCase):
    def test_tags_do_not_leak_between_drafts(self):
        first = create_draft("Election night", "alice")
        first.add_tag("Politics")
        second = create_draft("Cup final", "bob")
        self.assertEqual(second.tags, [])
        self.assertEqual(first.tags, ["politics"])

    def test_created_by_is_the_author_of_each_draft(self):
        a = create_draft("Morning briefing", "alice")
        b = create_draft("Evening briefing", "bob")
        self.assertEqual(a.metadata["created_by"], "alice")
        self.assertEqual(b.metadata["created_by"], "bob")

    def test_metadata_does_not_leak_between_drafts(self):
        a = create_draft("Recipe", "dan")
        a.set_meta("seo_description", "Best lasagne")
        b = create_draft("Review", "erin")
        self.assertNotIn("seo_description", b.metadata)
        self.assertEqual(b.metadata, {"created_by": "erin"})


if __name__ == "__main__":
    unittest.main()
