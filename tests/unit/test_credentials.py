"""Credentials and their settings, without a database: key format, hashing, scopes,
partner names, the rate-limit bucket and the OMNICART_* access settings."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from omnicart.api.ratelimit import TokenBuckets
from omnicart.config import RateLimitSettings, Settings, parse_api_keys
from omnicart.domain.credentials import (
    ALL_SCOPES,
    InvalidScope,
    check_partner,
    format_scopes,
    hash_secret,
    issue_key,
    parse_scopes,
    split_key,
)

NOW = datetime(2026, 11, 28, tzinfo=UTC)


class TestApiKeys:
    def test_a_key_is_its_id_a_dot_and_a_256_bit_secret(self):
        key, plaintext = issue_key("acme", ALL_SCOPES, NOW)
        key_id, secret = plaintext.split(".")
        assert key.id == key_id and key_id.startswith("ock_") and len(key_id) == 20
        assert len(secret) == 43  # 32 random bytes, base64url
        # docs/security.md: only the secret's SHA-256 hash is kept.
        assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in repr(key)

    def test_the_hash_of_a_secret_is_its_sha256_in_hex(self):
        # Known answer: `printf '%s' abc | sha256sum`.
        assert hash_secret("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    def test_two_keys_share_nothing(self):
        (a, pa), (b, pb) = issue_key("acme", ALL_SCOPES, NOW), issue_key("acme", ALL_SCOPES, NOW)
        assert a.id != b.id and pa.split(".")[1] != pb.split(".")[1]

    def test_only_the_right_secret_of_an_active_key_matches(self):
        key, plaintext = issue_key("acme", ALL_SCOPES, NOW)
        secret = plaintext.split(".")[1]
        assert key.matches(secret)
        assert not key.matches(secret[:-1]) and not key.matches(secret + "x") and not key.matches("")
        revoked = type(key)(**{**key.__dict__, "revoked_at": NOW})
        assert not revoked.matches(secret)

    @pytest.mark.parametrize(
        "token",
        [
            "ock_0123456789abcdef",
            "ock_0123456789abcdef.",
            "ock_XYZ.secret",
            "ock_0123456789abcde.secret",
            "key.secret",
            "",
        ],
    )
    def test_only_the_issued_shape_splits(self, token):
        assert split_key(token) is None

    def test_an_issued_key_splits(self):
        assert split_key("ock_0123456789abcdef.s3cr.et") == ("ock_0123456789abcdef", "s3cr.et")


class TestScopes:
    def test_spaces_or_commas_separate_scopes(self):
        assert parse_scopes("carts:read, carts:write") == {"carts:read", "carts:write"}
        assert parse_scopes("carts:read orders:submit") == {"carts:read", "orders:submit"}

    def test_an_unknown_scope_is_refused(self):
        with pytest.raises(InvalidScope, match="admin"):
            parse_scopes("carts:read admin")

    def test_scopes_are_shown_in_the_documented_order(self):
        assert format_scopes({"orders:submit", "carts:read"}) == "carts:read orders:submit"


class TestPartnerNames:
    @pytest.mark.parametrize("name", ["acme", "BestBuy.IND", "dealer_G5MGG", "web-shop@eu", "a" * 128])
    def test_plain_names_are_accepted(self, name):
        assert check_partner(name) == name

    @pytest.mark.parametrize("name", ["", "-acme", "a b", "acme\n", "a" * 129, "ock_abc", "ac:me", "é"])
    def test_anything_else_is_refused(self, name):
        with pytest.raises(ValueError):
            check_partner(name)


class TestSettings:
    def test_api_keys_from_the_environment_format(self):
        assert parse_api_keys("partnerA:keyA, partnerB:k.e-y_~+/=,") == (
            ("partnerA", "keyA"),
            ("partnerB", "k.e-y_~+/="),
        )
        assert parse_api_keys("") == ()
        # A key must be sendable as a bearer token (RFC 6750 b64token).
        for bad in ["partnerA", "partnerA:", "bad name:key", "partnerA:key:colon", "partnerA:k ey"]:
            with pytest.raises(ValueError):
                parse_api_keys(bad)

    @pytest.mark.parametrize(
        ("text", "limit"),
        [
            ("100/60s", RateLimitSettings(100, 60)),
            ("100/60", RateLimitSettings(100, 60)),
            ("20/1m", RateLimitSettings(20, 60)),
            ("5/0.5s", RateLimitSettings(5, 0.5)),
            ("1000/1h", RateLimitSettings(1000, 3600)),
            ("off", None),
        ],
    )
    def test_rate_limits_are_written_requests_per_period(self, text, limit):
        assert RateLimitSettings.parse(text) == limit

    @pytest.mark.parametrize("text", ["fast", "100", "0/60s", "100/0s", "-1/60s"])
    def test_a_malformed_rate_limit_is_refused(self, text):
        with pytest.raises(ValueError):
            RateLimitSettings.parse(text)

    def test_rate_limit_defaults_on_and_off_in_the_sandbox(self, monkeypatch):
        monkeypatch.delenv("OMNICART_RATE_LIMIT", raising=False)
        monkeypatch.delenv("OMNICART_SANDBOX", raising=False)
        assert Settings.from_env().rate_limit == RateLimitSettings(3000, 60)  # docs/security.md: 3000/60s
        monkeypatch.setenv("OMNICART_SANDBOX", "1")
        assert Settings.from_env().rate_limit is None
        monkeypatch.setenv("OMNICART_RATE_LIMIT", "10/1s")
        assert Settings.from_env().rate_limit == RateLimitSettings(10, 1)

    def test_access_settings_from_the_environment(self, monkeypatch):
        monkeypatch.setenv("OMNICART_API_KEYS", "a:k1,b:k2")
        monkeypatch.setenv("OMNICART_JWT_SECRET", "s" * 32)
        monkeypatch.setenv("OMNICART_CORS_ORIGINS", "https://a.example, https://b.example")
        monkeypatch.setenv("OMNICART_SANDBOX_PARTNER", "demo")
        monkeypatch.setenv("OMNICART_TOKEN_LIFETIME", "300")
        monkeypatch.setenv("OMNICART_KEY_CACHE_SECONDS", "5")
        settings = Settings.from_env()
        assert settings.api_keys == (("a", "k1"), ("b", "k2")) and settings.jwt_secret == "s" * 32
        assert settings.cors_origins == ("https://a.example", "https://b.example")
        assert (settings.sandbox_partner, settings.token_lifetime, settings.key_cache_seconds) == ("demo", 300, 5)

    def test_a_short_jwt_secret_is_refused_at_start(self):
        with pytest.raises(ValueError, match="32"):
            Settings(jwt_secret="short")


class TestTokenBucket:
    def test_the_bucket_holds_the_burst_and_refills_evenly(self):
        now = [0.0]
        buckets = TokenBuckets(RateLimitSettings(3, 3), clock=lambda: now[0])
        assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
        assert buckets.take("a") == pytest.approx(1.0)
        now[0] = 0.5
        assert buckets.take("a") == pytest.approx(0.5)
        now[0] = 1.0
        assert buckets.take("a") == 0
        now[0] = 100.0
        assert [buckets.take("a") for _ in range(4)][-1] > 0  # never more than the burst

    def test_no_limit_never_waits(self):
        assert TokenBuckets(None).take("a") == 0
