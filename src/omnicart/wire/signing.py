"""The signature on every event delivery, and the check a receiver makes: the server
signs with it (webhooks/delivery.py) and the client checks with it (client/webhooks.py)."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Omnicart-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, at: int | None = None) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp is signed
    too, so a captured delivery cannot be replayed later."""
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: float = SIGNATURE_TOLERANCE_SECONDS,
) -> bool:
    """Whether `header` is the signature of `body` by `secret`, made within `tolerance`
    seconds of `now` (unix seconds)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        at = int(fields["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - at) > tolerance:
        return False
    expected = sign(secret, body, at).split("v1=", 1)[1]
    # Bytes: compare_digest refuses str with non-ASCII characters, and a header is input.
    return hmac.compare_digest(expected.encode(), fields.get("v1", "").encode())
