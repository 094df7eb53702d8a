"""What a running app holds — its settings and its use cases — and how the HTTP layers
(api/, console/) reach them from a request's ASGI scope.

The app factory (api/app.py) makes the use cases when the app starts (they need the
store) and keeps them here; nothing reaches `app.state` by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omnicart.access import AccessService
from omnicart.config import Settings
from omnicart.services.carts import CartService
from omnicart.services.idempotency import IdempotencyService
from omnicart.services.orders import OrderService
from omnicart.webhooks import Dispatcher, HubService


@dataclass(frozen=True)
class Services:
    """The use cases of one app, made when it starts."""

    carts: CartService
    orders: OrderService
    idempotency: IdempotencyService
    access: AccessService
    hubs: HubService
    dispatcher: Dispatcher


def _state(scope: Any) -> Any:
    return scope["app"].state


def settings_of(scope: Any) -> Settings:
    settings: Settings = _state(scope).settings
    return settings


def services_of(scope: Any) -> Services:
    services: Services = _state(scope).services
    return services
