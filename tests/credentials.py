"""The test partners and their credentials, shared by the in-process app, the live
server and the CLI tests. Two partners, so every test can check isolation."""

from __future__ import annotations

PARTNER = "partner-a"
KEY = "test-key-partner-a-0123456789abcdef"
OTHER_PARTNER = "partner-b"
OTHER_KEY = "test-key-partner-b-fedcba9876543210"

API_KEYS = ((PARTNER, KEY), (OTHER_PARTNER, OTHER_KEY))
API_KEYS_ENV = ",".join(f"{partner}:{key}" for partner, key in API_KEYS)  # OMNICART_API_KEYS
JWT_SECRET = "test-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz"

AUTH = {"Authorization": f"Bearer {KEY}"}
OTHER_AUTH = {"Authorization": f"Bearer {OTHER_KEY}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
