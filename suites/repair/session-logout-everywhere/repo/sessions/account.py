"""Account operations that affect sessions."""

import hashlib
import hmac
import os


class AuthError(Exception):
    pass


def hash_password(password, salt=None, rounds=1000):
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, rounds)
    return salt, digest


def verify_password(password, salt, digest, rounds=1000):
    return hmac.compare_digest(hash_password(password, salt, rounds)[1], digest)


def change_password(users, store, user_id, current_sid, old_password, new_password):
    """Change the password and sign out every other session of the user."""
    user = users[user_id]
    if not verify_password(old_password, user["salt"], user["hash"]):
        raise AuthError("wrong password")
    if len(new_password) < 8:
        raise AuthError("password too short")
    user["salt"], user["hash"] = hash_password(new_password)
    return store.destroy_user_sessions(user_id, keep=current_sid)
