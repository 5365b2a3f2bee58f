"""Webhook signatures.

The provider sends ``Payhook-Signature: t=<unix time>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256 with the endpoint secret over ``"<unix time>." + <request body>``. The body must be
used exactly as received.
"""

import hashlib
import hmac

DEFAULT_TOLERANCE = 300  # seconds


class SignatureError(ValueError):
    pass


def compute_signature(secret, timestamp, payload):
    signed = "%d.%s" % (timestamp, payload)
    return hmac.new(secret.encode("utf-8"), signed.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_header(header):
    """``"t=1700000000,v1=abc,v1=def"`` -> ``(1700000000, ["abc", "def"])``."""
    timestamp, signatures = None, []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError("malformed signature header")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureError("malformed timestamp") from None
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("signature header lacks t or v1")
    return timestamp, signatures


def verify(secret, payload, header, now, tolerance=DEFAULT_TOLERANCE):
    """Raise SignatureError unless ``header`` is a valid, recent signature of ``payload``."""
    timestamp, signatures = parse_header(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance window")
    expected = compute_signature(secret, timestamp, payload)
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise SignatureError("no matching signature")
    return timestamp
