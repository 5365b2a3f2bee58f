import unittest

from sessions.account import change_password
from tests.test_store import make_store, make_users


class TestLogoutEverywhere(unittest.TestCase):
    def test_change_password_signs_out_other_devices(self):
        store, users = make_store(), make_users()
        laptop = store.create("u1", "Firefox")
        store.create("u1", "iPhone")
        store.create("u1", "iPad")
        other = store.create("u2", "Chrome")
        self.assertEqual(change_password(users, store, "u1", laptop.sid, "correct horse", "battery staple"), 2)
        self.assertEqual(store.sessions_for_user("u1"), [laptop.sid])
        self.assertIs(store.get(laptop.sid), laptop)
        self.assertIs(store.get(other.sid), other)
        self.assertEqual(len(store), 2)

    def test_logout_everywhere_without_keep(self):
        store = make_store()
        for ua in ("a", "b", "c"):
            store.create("u1", ua)
        self.assertEqual(store.destroy_user_sessions("u1"), 3)
        self.assertEqual(store.sessions_for_user("u1"), [])
        self.assertEqual(len(store), 0)

    def test_keep_session_in_the_middle(self):
        store = make_store()
        sids = [store.create("u1").sid for _ in range(4)]
        self.assertEqual(store.destroy_user_sessions("u1", keep=sids[2]), 3)
        self.assertEqual(store.sessions_for_user("u1"), [sids[2]])
        self.assertIsNone(store.get(sids[0]))


if __name__ == "__main__":
    unittest.main()
