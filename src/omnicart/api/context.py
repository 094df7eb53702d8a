"""What a handler needs besides its body: who calls, and the use cases, typed.

Everything the app holds is reached through the functions here, never through
`app.state` by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.types import Scope

from omnicart.access import AccessService
from omnicart.config import Settings
from omnicart.domain.credentials import Principal
from omnicart.services import CartService, IdempotencyService, OrderService
from omnicart.webhooks import Dispatcher, HubService

if TYPE_CHECKING:
    from omnicart.api.ratelimit import TokenBuckets

PARTNER_KEY = "omnicart.partner"  # the partner of the principal, for handlers and the access log
PRINCIPAL_KEY = "omnicart.principal"
QUERY_KEY = "omnicart.query"
ROUTE_KEY = "omnicart.route"  # the matched operation's path template, for metrics and traces


@dataclass(frozen=True)
class Services:
    """The use cases of one app, made when it starts (they need the store)."""

    carts: CartService
    orders: OrderService
    idempotency: IdempotencyService
    access: AccessService
    hubs: HubService
    dispatcher: Dispatcher


def _state(scope: Scope) -> Any:
    return scope["app"].state


def settings_of(scope: Scope) -> Settings:
    settings: Settings = _state(scope).settings
    return settings


def services_of(scope: Scope) -> Services:
    services: Services = _state(scope).services
    return services


def rate_limiter_of(scope: Scope) -> TokenBuckets:
    buckets: TokenBuckets = _state(scope).rate_limiter
    return buckets


def partner_of(request: Request) -> str:
    """The partner the request acts for, set by the authentication middleware."""
    partner: str = request.scope[PARTNER_KEY]
    return partner


def principal_of(request: Request) -> Principal:
    """The authenticated caller: partner, granted scopes, which credential."""
    principal: Principal = request.scope[PRINCIPAL_KEY]
    return principal


def carts_of(request: Request) -> CartService:
    return services_of(request.scope).carts


def orders_of(request: Request) -> OrderService:
    return services_of(request.scope).orders


def query_of(request: Request) -> Any:
    """The query string as the operation's query struct (api/queries.py), decoded and
    checked by the dispatcher before the handler runs."""
    return request.scope[QUERY_KEY]


def path_of(request: Request, operation_id: str, **params: str) -> str:
    """The path of an operation of the table (api/operations.py), e.g. a resource's href:
    `path_of(request, "getCart", cartId=cart.id)`."""
    template: str = _state(request.scope).paths[operation_id]
    return template.format_map(params)
