"""Who may call, and what they may do: partners, scopes and API keys.

Pure rules, no HTTP, no SQL, no token format: issuing a key, checking a presented secret
against the stored hash, naming partners and scopes. The service layer decides where keys
are stored and how bearer tokens are signed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# Scopes: what a credential allows. Documented in docs/security.md.
CARTS_READ = "carts:read"  # list and read carts
CARTS_WRITE = "carts:write"  # create, change, abandon carts and their items
ORDERS_SUBMIT = "orders:submit"  # check out and submit a cart as an order
CUSTOMERS_READ = "customers:read"  # find and authenticate customers, qualify their addresses
SCOPES: tuple[str, ...] = (CARTS_READ, CARTS_WRITE, ORDERS_SUBMIT, CUSTOMERS_READ)
SCOPE_DESCRIPTIONS = {
    CARTS_READ: "List and read the partner's carts",
    CARTS_WRITE: "Create carts, add, change and remove items, abandon carts, run credit applications",
    ORDERS_SUBMIT: "Check out and submit carts as orders",
    CUSTOMERS_READ: "Find and authenticate customers and qualify their service addresses (personal data)",
}
ALL_SCOPES = frozenset(SCOPES)

# An API key is `<key id>.<secret>`. The id is public (listed, logged, the OAuth
# client_id); the secret is 256 random bits, shown once and stored only as its SHA-256.
# A fast hash is right here: with that much entropy there is nothing to brute-force, and
# a slow password hash would cost milliseconds on every uncached request.
KEY_PREFIX = "ock_"
_KEY_ID = re.compile(r"ock_[0-9a-f]{16}")
# What a bearer token may look like (RFC 6750 §2.1 b64token); keys from the environment too.
BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]{1,4096}={0,8}")
_PARTNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")


class CredentialsRejected(Exception):
    """The presented credential proves nothing: unknown, malformed, revoked, expired."""


class TokenExpired(CredentialsRejected):
    """A well-formed, correctly signed access token whose lifetime is over."""


class InvalidClient(CredentialsRejected):
    """OAuth client authentication failed (RFC 6749 §5.2 `invalid_client`)."""


class InvalidScope(ValueError):
    """A scope that does not exist, or that the credential was not granted."""


def check_partner(name: str) -> str:
    """Partner names become cart owners and appear in logs: a short, plain charset."""
    if not _PARTNER.fullmatch(name) or name.startswith(KEY_PREFIX):
        raise ValueError(
            f"invalid partner name {name!r}: 1-128 characters of A-Z a-z 0-9 . _ @ -,"
            f" starting with a letter or digit, not with {KEY_PREFIX!r}"
        )
    return name


def parse_scopes(text: str | Iterable[str]) -> frozenset[str]:
    """Scopes separated by spaces or commas (OAuth uses spaces, the CLI commas)."""
    names = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    unknown = sorted(set(names) - ALL_SCOPES)
    if unknown:
        raise InvalidScope(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    return frozenset(names)


def format_scopes(scopes: Iterable[str]) -> str:
    """Space-separated, in the documented order, as OAuth's `scope` parameter."""
    granted = set(scopes)
    return " ".join(scope for scope in SCOPES if scope in granted)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    id: str
    partner: str
    secret_hash: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def matches(self, secret: str) -> bool:
        """Constant-time: the comparison takes as long whatever the secret shares with
        the real one."""
        return hmac.compare_digest(self.secret_hash, hash_secret(secret)) and self.active


def issue_key(partner: str, scopes: Iterable[str], now: datetime) -> tuple[ApiKey, str]:
    """A new key and its plaintext `<id>.<secret>`, which exists only in the return value."""
    key_id = KEY_PREFIX + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(key_id, check_partner(partner), hash_secret(secret), parse_scopes(scopes), now)
    return key, f"{key_id}.{secret}"


def split_key(token: str) -> tuple[str, str] | None:
    """`(key id, secret)` when `token` has the shape of an issued API key, else None."""
    key_id, dot, secret = token.partition(".")
    if not dot or not secret or not _KEY_ID.fullmatch(key_id):
        return None
    return key_id, secret


def is_key_id(text: str) -> bool:
    return bool(_KEY_ID.fullmatch(text))


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    partner: str
    scopes: frozenset[str]
    credential: str  # which credential: a key id, "env:<partner>" or "sandbox"; never a secret
