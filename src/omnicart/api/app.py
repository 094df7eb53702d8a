"""The application factory: settings in, ASGI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware

from omnicart import simulator
from omnicart.api import carts, health, openapi, orders, product_offerings
from omnicart.api.auth import Authentication
from omnicart.api.errors import handlers
from omnicart.api.idempotency import Idempotency
from omnicart.api.middleware import RequestContext
from omnicart.api.scenarios import MockScenario
from omnicart.config import Settings
from omnicart.domain.catalog import load_catalog, load_default_catalog
from omnicart.domain.fulfilment import FulfilmentPolicy
from omnicart.domain.pricing import load_default_tax_table, load_tax_table
from omnicart.ordering import OrderService
from omnicart.services import CartService, IdempotencyService
from omnicart.store import open_store


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    # A broken catalog or tax file stops start-up here, with the file, path and reason.
    catalog = load_catalog(settings.catalog_path) if settings.catalog_path else load_default_catalog()
    taxes = load_tax_table(settings.tax_table_path) if settings.tax_table_path else load_default_tax_table()
    fulfilment = FulfilmentPolicy(timedelta(seconds=settings.fulfilment_step_seconds),
                                  settings.fulfilment_failure_rate)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await open_store(settings.database_url, pool_size=settings.pool_size,
                                 busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        app.state.service = CartService(store, catalog=catalog, taxes=taxes, limits=settings.limits)
        app.state.idempotency = IdempotencyService(store, retention=settings.idempotency_retention)
        app.state.orders = OrderService(store, app.state.service, policy=fulfilment,  # type: ignore[arg-type]
                                        simulate=settings.fulfilment_enabled)
        try:
            async with simulator.running(app.state.orders, settings.fulfilment_poll_seconds,
                                         settings.fulfilment_enabled):
                yield
        finally:
            await store.close()

    app = Starlette(
        routes=[*carts.routes, *orders.routes, *product_offerings.routes, *health.routes, *openapi.routes()],
        middleware=[Middleware(RequestContext), Middleware(Authentication), Middleware(MockScenario),
                    Middleware(Idempotency)],
        exception_handlers=handlers,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app
