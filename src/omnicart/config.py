"""Settings from the environment (OMNICART_*), read once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

DEFAULT_DATABASE_URL = "sqlite:///./omnicart.db"


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


def _switch(name: str) -> bool | None:
    """An on/off setting that may be left unset (None: decided by another setting)."""
    raw = os.environ.get(name)
    if raw in (None, ""):
        return None
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Limits:
    """Input limits; each is documented in docs/limits.md and configurable."""

    max_body_bytes: int = 1024 * 1024
    max_items_per_cart: int = 200
    max_items_per_request: int = 100
    max_quantity: int = 10
    max_extensions: int = 50
    max_related_parties: int = 20
    max_string_length: int = 1024


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
    limits: Limits = field(default_factory=Limits)
    # Simulated fulfilment of orders (docs/orders.md); None: on exactly in sandbox mode.
    fulfilment: bool | None = None
    fulfilment_step_seconds: float = 5.0
    fulfilment_failure_rate: float = 0.0
    fulfilment_poll_seconds: float = 1.0

    @property
    def fulfilment_enabled(self) -> bool:
        return self.sandbox if self.fulfilment is None else self.fulfilment

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        limits = Limits(
            max_body_bytes=_int("OMNICART_MAX_BODY_BYTES", Limits.max_body_bytes),
            max_items_per_cart=_int("OMNICART_MAX_ITEMS_PER_CART", Limits.max_items_per_cart),
            max_items_per_request=_int("OMNICART_MAX_ITEMS_PER_REQUEST", Limits.max_items_per_request),
            max_quantity=_int("OMNICART_MAX_QUANTITY", Limits.max_quantity),
            max_extensions=_int("OMNICART_MAX_EXTENSIONS", Limits.max_extensions),
            max_related_parties=_int("OMNICART_MAX_RELATED_PARTIES", Limits.max_related_parties),
            max_string_length=_int("OMNICART_MAX_STRING_LENGTH", Limits.max_string_length),
        )
        values: dict[str, object] = {
            "database_url": os.environ.get("OMNICART_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "pool_size": _int("OMNICART_POOL_SIZE", 10),
            "sqlite_busy_timeout_ms": _int("OMNICART_SQLITE_BUSY_TIMEOUT_MS", 10_000),
            "public_base_url": os.environ.get("OMNICART_PUBLIC_BASE_URL") or None,
            "log_level": os.environ.get("OMNICART_LOG_LEVEL", "info"),
            "sandbox": _bool("OMNICART_SANDBOX"),
            "idempotency_retention": timedelta(seconds=_int("OMNICART_IDEMPOTENCY_RETENTION_SECONDS", 86400)),
            "catalog_path": os.environ.get("OMNICART_CATALOG") or None,
            "tax_table_path": os.environ.get("OMNICART_TAX_TABLE") or None,
            "limits": limits,
            "fulfilment": _switch("OMNICART_FULFILMENT"),
            "fulfilment_step_seconds": _float("OMNICART_FULFILMENT_STEP_SECONDS", 5.0),
            "fulfilment_failure_rate": _float("OMNICART_FULFILMENT_FAILURE_RATE", 0.0),
            "fulfilment_poll_seconds": _float("OMNICART_FULFILMENT_POLL_SECONDS", 1.0),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
