"""In-memory session store (the Redis implementation mirrors this interface)."""

import secrets

from .session import DEFAULT_LIFETIME, Session


class SessionStore:
    def __init__(self, clock, lifetime=DEFAULT_LIFETIME, token_factory=None):
        self.clock = clock
        self.lifetime = lifetime
        self._token = token_factory or (lambda: secrets.token_urlsafe(24))
        self._sessions = {}
        self._by_user = {}  # user_id -> {sid: created_at}, oldest first

    def create(self, user_id, user_agent=""):
        now = self.clock()
        session = Session(self._token(), user_id, now, self.lifetime, user_agent)
        self._sessions[session.sid] = session
        self._by_user.setdefault(user_id, {})[session.sid] = now
        return session

    def get(self, sid):
        """Return the live session for ``sid`` (and extend it), or None."""
        session = self._sessions.get(sid)
        if session is None:
            return None
        now = self.clock()
        if session.is_expired(now):
            self.destroy(sid)
            return None
        session.touch(now)
        return session

    def destroy(self, sid):
        session = self._sessions.pop(sid, None)
        if session is None:
            return False
        user_sessions = self._by_user.get(session.user_id, {})
        user_sessions.pop(sid, None)
        if not user_sessions:
            self._by_user.pop(session.user_id, None)
        return True

    def sessions_for_user(self, user_id):
        """Session ids of a user, oldest first (shown on the "your devices" page)."""
        return list(self._by_user.get(user_id, {}))

    def destroy_user_sessions(self, user_id, keep=None):
        """Log a user out everywhere, e.g. after a password change; ``keep`` spares one session."""
        count = 0
        for sid in self._by_user.get(user_id, {}):
            if sid != keep:
                self.destroy(sid)
                count += 1
        return count

    def prune_expired(self):
        now = self.clock()
        expired = [sid for sid, s in self._sessions.items() if s.is_expired(now)]
        for sid in expired:
            self.destroy(sid)
        return len(expired)

    def __len__(self):
        return len(self._sessions)
