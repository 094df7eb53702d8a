"""The application factory: settings in, ASGI app out."""

from __future__ import annotations

import dataclasses
import functools
import gc
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from omnicart import console, jobs
from omnicart.access import SignInAttempts
from omnicart.api import docs, routing
from omnicart.api.edge import Edge
from omnicart.api.errors import handlers
from omnicart.api.hosts import default_allowed_hosts
from omnicart.api.metrics import refresher
from omnicart.api.openapi import build_document
from omnicart.api.operations import OPERATIONS, is_public
from omnicart.api.profiles import profile_named
from omnicart.api.ratelimit import RedisBuckets, limiter
from omnicart.config import Settings
from omnicart.domain.catalog import load_catalog, load_default_catalog
from omnicart.domain.pricing import load_default_tax_table, load_tax_table
from omnicart.observability import metrics, tracing
from omnicart.providers import open_providers
from omnicart.runtime import Services, make_services
from omnicart.store import open_store

log = logging.getLogger("omnicart")


def create_app(settings: Settings | None = None, *, tracer_provider: Any = None) -> Starlette:
    """`tracer_provider`: where spans go when settings.otel is on (default: the OTEL_* settings)."""
    settings = settings or Settings.from_env()
    tracer = tracing.setup(settings.otel, tracer_provider)
    # A broken catalog or tax file stops start-up here, with the file, path and reason.
    catalog = load_catalog(settings.catalog_path) if settings.catalog_path else load_default_catalog()
    taxes = load_tax_table(settings.tax_table_path) if settings.tax_table_path else load_default_tax_table()
    providers = open_providers(settings.providers_name, settings.world_path)
    settings = _with_jwt_secret(settings)
    rate_limiter = limiter(settings.rate_limit, settings.redis_url, workers=settings.workers)
    token_limiter = limiter(settings.token_rate_limit, settings.redis_url, "oauth-client", workers=settings.workers)
    address_limiter = limiter(
        settings.token_address_rate_limit, settings.redis_url, "oauth-address", workers=settings.workers
    )
    profile = profile_named(settings.profile)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await open_store(
            settings.database_url, pool_size=settings.pool_size, busy_timeout_ms=settings.sqlite_busy_timeout_ms
        )
        if tracer is not None:
            store = tracing.traced_store(store, settings.database_url)
        services = make_services(store, settings, catalog=catalog, taxes=taxes, providers=providers)
        app.state.services = services
        _out_of_the_collectors_way()
        _warn_about_access(settings)
        try:
            async with jobs.running(background_jobs(services, settings)):
                yield
        finally:
            await services.dispatcher.close()
            await store.close()
            metrics.process_exited()
            for shared in (rate_limiter, token_limiter, address_limiter):
                if isinstance(shared, RedisBuckets):
                    await shared.close()

    app = Starlette(
        routes=[*routing.routes(OPERATIONS), docs.assets, console.mount()],
        middleware=[
            # The whole edge, one ASGI call per request (api/edge.py says what it does, in order).
            Middleware(
                Edge,
                proxies=settings.trusted_networks,
                metrics=settings.metrics,
                tracer=tracer,
                hosts=settings.allowed_hosts or default_allowed_hosts(settings.public_base_url),
                profile=profile,
                is_public=is_public,
                buckets=rate_limiter,
                operations=OPERATIONS,
                cors=_cors(settings),
            ),
        ],
        exception_handlers=handlers,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.rate_limiter = rate_limiter
    app.state.sign_in_attempts = SignInAttempts(token_limiter, address_limiter)
    app.state.paths = {operation.id: operation.path for operation in OPERATIONS}
    # Built at its first request, not with the app: most apps (a test's, a worker that is
    # never asked) never serve it, and building it is most of an app's start-up (~70 ms).
    app.state.openapi = functools.cache(
        lambda: msgspec.json.encode(
            build_document(OPERATIONS, profile, sandbox=settings.sandbox, limits=settings.limits)
        )
    )
    return app


def _with_jwt_secret(settings: Settings) -> Settings:
    if settings.jwt_secret is not None:
        return settings
    # `omnicart serve` shares one generated secret with all its workers; an app built any
    # other way without OMNICART_JWT_SECRET can only check its own tokens.
    if not settings.sandbox:
        log.warning(
            "OMNICART_JWT_SECRET is not set: this process signs access tokens with a random"
            " secret of its own; tokens die with it and other processes reject them"
        )
    return dataclasses.replace(settings, jwt_secret=secrets.token_urlsafe(32), jwt_secret_generated=settings.sandbox)


def _out_of_the_collectors_way() -> None:
    # What start-up made (modules, the catalog, the tax table) lives as long as the
    # process: out of the collector's way, so a full collection under load scans only
    # what requests made (a shorter pause, a lower p99).
    gc.collect()
    gc.freeze()
    # Full collections ten times rarer: each scans every object still alive (the kept
    # carts, their memos), a pause every request in flight waits for; requests free
    # their own objects by reference counting, the collector only finds cycles.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


def background_jobs(services: Services, settings: Settings) -> list[jobs.Job]:
    """What every worker runs next to the API (each is safe to run in all of them)."""

    async def purge() -> None:
        await services.carts.purge_expired_carts()
        await services.idempotency.purge()
        await services.dispatcher.purge(settings.event_retention)

    running = [
        jobs.Job("event-delivery", settings.webhook_poll_seconds, services.dispatcher.run_once),
        jobs.Job("purge", settings.purge_every_seconds, purge),
    ]
    if settings.metrics:
        running.append(jobs.Job("metrics", settings.metrics_refresh_seconds, refresher(services.carts.store)))
    if settings.fulfilment_enabled:
        running.append(jobs.Job("fulfilment", settings.fulfilment_poll_seconds, services.orders.advance_due_orders))
    return running


def _cors(settings: Settings) -> Callable[[ASGIApp], ASGIApp] | None:
    """Off unless OMNICART_CORS_ORIGINS names the browser origins that may call.
    Outside authentication, so preflight requests (which carry no credentials) pass."""
    if not settings.cors_origins:
        return None
    return functools.partial(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "If-Match",
            "If-None-Match",
            "Idempotency-Key",
            "X-Request-Id",
        ],
        expose_headers=["ETag", "Location", "Retry-After", "X-Request-Id", "X-Result-Count"],
        allow_credentials=False,  # bearer tokens, never cookies
        max_age=600,
    )


def _warn_about_access(settings: Settings) -> None:
    if settings.sandbox:
        log.warning(
            "SANDBOX MODE: requests without credentials act as partner %r with every scope."
            " Never expose this server to a network you do not trust.",
            settings.sandbox_partner,
            extra={"sandbox_partner": settings.sandbox_partner},
        )
    weak = sorted({partner for partner, key in settings.api_keys if len(key) < 24})
    if weak:
        log.warning(
            "OMNICART_API_KEYS holds short keys (under 24 characters) for %s: fine for tests,"
            " guessable in production; issue keys with `omnicart keys create`",
            ", ".join(weak),
        )
