"""Settings from the environment (OMNICART_*), read once at start-up."""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta

from omnicart.domain.credentials import BEARER_TOKEN, check_partner
from omnicart.wire.limits import RequestLimits

DEFAULT_DATABASE_URL = "sqlite:///./omnicart.db"
SANDBOX_PARTNER = "sandbox"
MIN_JWT_SECRET_LENGTH = 32  # HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


def _list(name: str) -> tuple[str, ...]:
    """A comma-separated setting, blanks dropped."""
    return tuple(entry.strip() for entry in os.environ.get(name, "").split(",") if entry.strip())


def _switch(name: str) -> bool | None:
    """An on/off setting that may be left unset (None: decided by another setting)."""
    raw = os.environ.get(name)
    if raw in (None, ""):
        return None
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class RateLimitSettings:
    """A token bucket per partner (and per worker process): `requests` may come at once,
    and they are refilled evenly over `per_seconds`."""

    requests: int
    per_seconds: float

    @classmethod
    def parse(cls, text: str) -> RateLimitSettings | None:
        """`100/60s`, `100/60`, `20/1s`, `6000/1m`, or `off`."""
        if text.strip().lower() in {"off", "none", "0"}:
            return None
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*", text)
        if not match or int(match[1]) < 1 or float(match[2]) <= 0:
            raise ValueError(f"OMNICART_RATE_LIMIT must look like 100/60s or off, got {text!r}")
        unit = {"s": 1, "m": 60, "h": 3600}[match[3] or "s"]
        return cls(int(match[1]), float(match[2]) * unit)


DEFAULT_RATE_LIMIT = RateLimitSettings(3000, 60.0)
# Tries at a secret (/oauth/token, the console's sign-in), per client id: tokens last 15
# minutes, so a client needs few; a guesser of one client's secret gets 20 tries a minute.
DEFAULT_TOKEN_RATE_LIMIT = RateLimitSettings(20, 60.0)
# The same tries per client address, whatever the ids: many partners may share one
# address (a proxy, an egress NAT), so ten clients' worth; inventing ids buys no more.
DEFAULT_TOKEN_ADDRESS_RATE_LIMIT = RateLimitSettings(200, 60.0)


def _rate_limit(sandbox: bool) -> RateLimitSettings | None:
    configured = os.environ.get("OMNICART_RATE_LIMIT")
    if configured:
        return RateLimitSettings.parse(configured)
    # A sandbox serves one developer: no limit unless asked for.
    return None if sandbox else DEFAULT_RATE_LIMIT


def parse_api_keys(text: str) -> tuple[tuple[str, str], ...]:
    """`partnerA:keyA,partnerB:keyB` (OMNICART_API_KEYS) as (partner, key) pairs."""
    pairs = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        partner, colon, key = entry.partition(":")
        if not colon or not BEARER_TOKEN.fullmatch(key.strip()):
            raise ValueError(
                "OMNICART_API_KEYS must look like partnerA:keyA,partnerB:keyB,"
                " each key of the characters A-Z a-z 0-9 - . _ ~ + / (then = padding)"
            )
        pairs.append((check_partner(partner.strip()), key.strip()))
    return tuple(pairs)


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    pool_size: int = 10
    sqlite_busy_timeout_ms: int = 10_000
    public_base_url: str | None = None
    log_level: str = "info"
    sandbox: bool = False
    idempotency_retention: timedelta = timedelta(hours=24)
    catalog_path: str | None = None  # None: the sample catalog shipped in the package
    tax_table_path: str | None = None
    limits: RequestLimits = field(default_factory=RequestLimits)
    # Access control; docs/security.md. Secrets stay out of repr(), hence out of logs.
    sandbox_partner: str = SANDBOX_PARTNER
    api_keys: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    jwt_secret: str | None = field(default=None, repr=False)
    # A sandbox's secret made up for this run (no OMNICART_JWT_SECRET): the first token
    # issued says so, once, so a sandbox that never issues one never warns.
    jwt_secret_generated: bool = False
    jwt_issuer: str = "omnicart"
    jwt_audience: str = "omni-svcs"
    token_lifetime: int = 900
    # How long a worker trusts what it read of an API key: a key revoked elsewhere (the
    # `omnicart keys revoke` command, another worker) is refused at most this long after.
    key_cache_seconds: float = 2.0
    rate_limit: RateLimitSettings | None = DEFAULT_RATE_LIMIT
    cors_origins: tuple[str, ...] = ()
    token_rate_limit: RateLimitSettings | None = DEFAULT_TOKEN_RATE_LIMIT
    token_address_rate_limit: RateLimitSettings | None = DEFAULT_TOKEN_ADDRESS_RATE_LIMIT
    # Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (api/clients.py):
    # addresses or networks; none by default.
    trusted_proxies: tuple[str, ...] = ()
    redis_url: str | None = None  # shared rate-limit buckets (api/ratelimit.py)
    # How many workers share the rate limits (`omnicart serve --workers` sets it; on several
    # hosts, all of theirs): while Redis fails each limits on its own to its share.
    workers: int = 1
    max_hubs_per_partner: int = 20
    max_draft_carts_per_partner: int = 100_000
    max_idempotency_keys_per_partner: int = 100_000
    # Host headers answered (api/hosts.py); None: the loopback names and the host of
    # public_base_url. "*.example.com" allows subdomains, "*" any host (behind a proxy
    # that checks Host itself).
    allowed_hosts: tuple[str, ...] | None = None
    # Status codes: omnicart's ("omnicart") or the carrier's ("carrier"); api/profiles.py.
    profile: str = "omnicart"
    # Providers of address validation, customers, credit and scheduling (docs/providers.md):
    # None: "sandbox" (the sandbox world) in sandbox mode, "none" (501) otherwise.
    providers: str | None = None
    world_path: str | None = None  # None: the sandbox world shipped in the package

    @property
    def trusted_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """OMNICART_TRUSTED_PROXIES as networks (`10.0.0.5`, `10.0.0.0/8`, `::1`)."""
        networks = []
        for entry in self.trusted_proxies:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(f"OMNICART_TRUSTED_PROXIES: {entry!r} is not an address or a network") from None
        return tuple(networks)

    @property
    def providers_name(self) -> str:
        if self.providers is not None:
            return self.providers
        return "sandbox" if self.sandbox else "none"

    def __post_init__(self) -> None:
        check_partner(self.sandbox_partner)
        if self.profile not in ("omnicart", "carrier"):
            raise ValueError(f"OMNICART_PROFILE must be omnicart or carrier, got {self.profile!r}")
        self.trusted_networks  # noqa: B018  (a bad entry stops start-up, naming it)
        if self.jwt_secret is not None and len(self.jwt_secret) < MIN_JWT_SECRET_LENGTH:
            raise ValueError(f"OMNICART_JWT_SECRET must be at least {MIN_JWT_SECRET_LENGTH} characters")

    # Simulated fulfilment of orders (docs/orders.md); None: on exactly in sandbox mode.
    fulfilment: bool | None = None
    fulfilment_step_seconds: float = 5.0
    fulfilment_failure_rate: float = 0.0
    fulfilment_poll_seconds: float = 1.0

    @property
    def fulfilment_enabled(self) -> bool:
        return self.sandbox if self.fulfilment is None else self.fulfilment

    # Draft expiry and purges (docs/events.md); a TTL of 0 keeps drafts for ever.
    cart_ttl: timedelta = timedelta(days=30)
    # Cart items a worker keeps of the carts it wrote last (services/writer.py, RecentCarts).
    cart_cache_items: int = 2_000
    purge_every_seconds: float = 60.0
    event_retention: timedelta = timedelta(days=7)

    # Event delivery to hubs (docs/events.md). Private callbacks: None, allowed exactly in
    # sandbox mode (a developer's receiver on localhost).
    webhook_poll_seconds: float = 1.0
    webhook_timeout_seconds: float = 10.0
    webhook_retry_base_seconds: float = 10.0
    webhook_retry_cap_seconds: float = 3600.0
    webhook_max_attempts: int = 12
    webhook_concurrency: int = 10  # connections open to listeners at once, per worker
    # Of those, how many one partner may hold (webhooks/slots.py); None: half of them.
    webhook_partner_concurrency: int | None = None
    webhook_private_callbacks: bool | None = None

    @property
    def private_callbacks_allowed(self) -> bool:
        return self.sandbox if self.webhook_private_callbacks is None else self.webhook_private_callbacks

    # Observability (docs/metrics.md): GET /metrics is open unless a token is set; the
    # gauges of whole-database counts are refreshed by a job in every worker.
    metrics: bool = True  # off: no counting at the edge, no refresh job, /metrics answers 404
    metrics_token: str | None = field(default=None, repr=False)
    metrics_refresh_seconds: float = 30.0
    otel: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        limits = RequestLimits(
            max_body_bytes=_int("OMNICART_MAX_BODY_BYTES", RequestLimits.max_body_bytes),
            max_items_per_cart=_int("OMNICART_MAX_ITEMS_PER_CART", RequestLimits.max_items_per_cart),
            max_items_per_request=_int("OMNICART_MAX_ITEMS_PER_REQUEST", RequestLimits.max_items_per_request),
            max_quantity=_int("OMNICART_MAX_QUANTITY", RequestLimits.max_quantity),
            max_extensions=_int("OMNICART_MAX_EXTENSIONS", RequestLimits.max_extensions),
            max_related_parties=_int("OMNICART_MAX_RELATED_PARTIES", RequestLimits.max_related_parties),
            max_string_length=_int("OMNICART_MAX_STRING_LENGTH", RequestLimits.max_string_length),
        )
        sandbox = _bool("OMNICART_SANDBOX")
        return cls(
            database_url=os.environ.get("OMNICART_DATABASE_URL") or DEFAULT_DATABASE_URL,
            pool_size=_int("OMNICART_POOL_SIZE", 10),
            sqlite_busy_timeout_ms=_int("OMNICART_SQLITE_BUSY_TIMEOUT_MS", 10_000),
            public_base_url=os.environ.get("OMNICART_PUBLIC_BASE_URL") or None,
            log_level=os.environ.get("OMNICART_LOG_LEVEL", "info"),
            sandbox=sandbox,
            idempotency_retention=timedelta(seconds=_int("OMNICART_IDEMPOTENCY_RETENTION_SECONDS", 86400)),
            catalog_path=os.environ.get("OMNICART_CATALOG") or None,
            tax_table_path=os.environ.get("OMNICART_TAX_TABLE") or None,
            limits=limits,
            rate_limit=_rate_limit(sandbox),
            token_rate_limit=RateLimitSettings.parse(os.environ.get("OMNICART_TOKEN_RATE_LIMIT") or "20/60s"),
            token_address_rate_limit=RateLimitSettings.parse(
                os.environ.get("OMNICART_TOKEN_ADDRESS_RATE_LIMIT") or "200/60s"
            ),
            trusted_proxies=_list("OMNICART_TRUSTED_PROXIES"),
            redis_url=os.environ.get("OMNICART_REDIS_URL") or None,
            workers=max(1, _int("OMNICART_WORKERS", 1)),
            max_hubs_per_partner=_int("OMNICART_MAX_HUBS_PER_PARTNER", 20),
            max_draft_carts_per_partner=_int("OMNICART_MAX_DRAFT_CARTS_PER_PARTNER", 100_000),
            max_idempotency_keys_per_partner=_int("OMNICART_MAX_IDEMPOTENCY_KEYS_PER_PARTNER", 100_000),
            sandbox_partner=os.environ.get("OMNICART_SANDBOX_PARTNER") or SANDBOX_PARTNER,
            api_keys=parse_api_keys(os.environ.get("OMNICART_API_KEYS", "")),
            jwt_secret=os.environ.get("OMNICART_JWT_SECRET") or None,
            jwt_secret_generated=bool(os.environ.get("OMNICART_JWT_SECRET_GENERATED")),
            jwt_issuer=os.environ.get("OMNICART_JWT_ISSUER") or "omnicart",
            jwt_audience=os.environ.get("OMNICART_JWT_AUDIENCE") or "omni-svcs",
            token_lifetime=_int("OMNICART_TOKEN_LIFETIME", 900),
            key_cache_seconds=float(os.environ.get("OMNICART_KEY_CACHE_SECONDS") or 2),
            profile=(os.environ.get("OMNICART_PROFILE") or "omnicart").strip().lower(),
            cors_origins=tuple(
                origin.strip() for origin in os.environ.get("OMNICART_CORS_ORIGINS", "").split(",") if origin.strip()
            ),
            allowed_hosts=tuple(
                host.strip() for host in os.environ.get("OMNICART_ALLOWED_HOSTS", "").split(",") if host.strip()
            )
            or None,
            fulfilment=_switch("OMNICART_FULFILMENT"),
            fulfilment_step_seconds=_float("OMNICART_FULFILMENT_STEP_SECONDS", 5.0),
            fulfilment_failure_rate=_float("OMNICART_FULFILMENT_FAILURE_RATE", 0.0),
            fulfilment_poll_seconds=_float("OMNICART_FULFILMENT_POLL_SECONDS", 1.0),
            cart_ttl=timedelta(seconds=_int("OMNICART_CART_TTL_SECONDS", 30 * 86400)),
            cart_cache_items=_int("OMNICART_CART_CACHE_ITEMS", 2_000),
            purge_every_seconds=_float("OMNICART_PURGE_EVERY_SECONDS", 60.0),
            event_retention=timedelta(seconds=_int("OMNICART_EVENT_RETENTION_SECONDS", 7 * 86400)),
            webhook_poll_seconds=_float("OMNICART_WEBHOOK_POLL_SECONDS", 1.0),
            webhook_timeout_seconds=_float("OMNICART_WEBHOOK_TIMEOUT_SECONDS", 10.0),
            webhook_retry_base_seconds=_float("OMNICART_WEBHOOK_RETRY_BASE_SECONDS", 10.0),
            webhook_retry_cap_seconds=_float("OMNICART_WEBHOOK_RETRY_CAP_SECONDS", 3600.0),
            webhook_max_attempts=_int("OMNICART_WEBHOOK_MAX_ATTEMPTS", 12),
            webhook_concurrency=_int("OMNICART_WEBHOOK_CONCURRENCY", 10),
            webhook_partner_concurrency=_int("OMNICART_WEBHOOK_PARTNER_CONCURRENCY", 0) or None,
            webhook_private_callbacks=_switch("OMNICART_WEBHOOK_PRIVATE_CALLBACKS"),
            metrics=_bool("OMNICART_METRICS", True),
            metrics_token=os.environ.get("OMNICART_METRICS_TOKEN") or None,
            metrics_refresh_seconds=_float("OMNICART_METRICS_REFRESH_SECONDS", 30.0),
            otel=_bool("OMNICART_OTEL"),
            providers=(os.environ.get("OMNICART_PROVIDERS") or "").strip() or None,
            world_path=os.environ.get("OMNICART_WORLD") or None,
        )
