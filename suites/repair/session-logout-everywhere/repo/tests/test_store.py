import itertools
import unittest
from datetime import datetime, timedelta, timezone

from sessions.account import AuthError, change_password, hash_password
from sessions.store import SessionStore


class Clock:
    def __init__(self):
        self.now = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


def make_store(clock=None):
    counter = itertools.count(1)
    return SessionStore(clock or Clock(), lifetime=timedelta(hours=1), token_factory=lambda: "s%d" % next(counter))


def make_users():
    salt, digest = hash_password("correct horse", salt=b"0123456789abcdef")
    return {"u1": {"salt": salt, "hash": digest}}


class TestStore(unittest.TestCase):
    def test_create_get_touch(self):
        clock = Clock()
        store = make_store(clock)
        s = store.create("u1", "Firefox")
        clock.now += timedelta(minutes=50)
        self.assertIs(store.get(s.sid), s)
        clock.now += timedelta(minutes=50)
        self.assertIs(store.get(s.sid), s)  # sliding expiry
        clock.now += timedelta(minutes=61)
        self.assertIsNone(store.get(s.sid))
        self.assertEqual(store.sessions_for_user("u1"), [])

    def test_prune_expired(self):
        clock = Clock()
        store = make_store(clock)
        store.create("u1")
        clock.now += timedelta(minutes=30)
        store.create("u2")
        clock.now += timedelta(minutes=40)
        self.assertEqual(store.prune_expired(), 1)
        self.assertEqual((len(store), store.sessions_for_user("u2")), (1, ["s2"]))

    def test_logout_everywhere_with_single_session(self):
        store = make_store()
        s = store.create("u1")
        self.assertEqual(store.destroy_user_sessions("u1", keep=s.sid), 0)
        self.assertEqual(store.destroy_user_sessions("nobody"), 0)
        self.assertIs(store.get(s.sid), s)


class TestAccount(unittest.TestCase):
    def test_wrong_password(self):
        store = make_store()
        s = store.create("u1")
        with self.assertRaises(AuthError):
            change_password(make_users(), store, "u1", s.sid, "wrong", "new password 1")

    def test_change_password_only_session(self):
        store, users = make_store(), make_users()
        s = store.create("u1")
        self.assertEqual(change_password(users, store, "u1", s.sid, "correct horse", "battery staple"), 0)
        self.assertEqual(store.sessions_for_user("u1"), ["s1"])
