"""A single login session."""

from datetime import timedelta


class Session:
    def __init__(self, sid, user_id, created_at, lifetime, user_agent=""):
        self.sid = sid
        self.user_id = user_id
        self.created_at = created_at
        self.lifetime = lifetime
        self.last_seen = created_at
        self.user_agent = user_agent
        self.data = {}

    @property
    def expires_at(self):
        return self.last_seen + self.lifetime

    def is_expired(self, now):
        return now >= self.expires_at

    def touch(self, now):
        """Sliding expiry: every request extends the session."""
        self.last_seen = now


DEFAULT_LIFETIME = timedelta(days=14)
