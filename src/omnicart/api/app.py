"""The application factory: settings in, ASGI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware

from omnicart.api import carts, health, openapi
from omnicart.api.auth import Authentication
from omnicart.api.errors import handlers
from omnicart.api.middleware import RequestContext
from omnicart.config import Settings
from omnicart.services import CartService
from omnicart.store import open_store


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await open_store(settings.database_url, pool_size=settings.pool_size)
        app.state.service = CartService(store, limits=settings.limits)
        try:
            yield
        finally:
            await store.close()

    app = Starlette(
        routes=[*carts.routes, *health.routes, *openapi.routes()],
        middleware=[Middleware(RequestContext), Middleware(Authentication)],
        exception_handlers=handlers,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app
