"""The TMF facades' listener registration (TMF630's hub): `/tmf-api/shoppingCart/v4/hub`
(TMF663) and `/tmf-api/productOrderingManagement/v4/hub` (TMF622). The same listeners as
`/omni-svcs/v1/hub` (api/hub.py), on the same signed, retried delivery (webhooks/), each
listening by default to its own API's events only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import partner_of
from omnicart.api.hub import hubs_of, view
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse
from omnicart.domain.events import (
    CANCELLATION_CREATED,
    CART_CHANGED,
    CART_CREATED,
    CART_DELETED,
    CART_STATE_CHANGED,
    ORDER_ATTRIBUTE_CHANGED,
    ORDER_CREATED,
    ORDER_STATE_CHANGED,
)
from omnicart.runtime import settings_of
from omnicart.wire.hubs import HubCreate

# TMF663's events: what a listener registered here hears unless its query says otherwise.
SHOPPING_CART_EVENTS = "eventType=" + ",".join((CART_CREATED, CART_CHANGED, CART_STATE_CHANGED, CART_DELETED))
LISTENER = "unregisterShoppingCartListener"  # the operation whose path names a listener registered here
# TMF622's events, and its operation naming a listener.
PRODUCT_ORDER_EVENTS = "eventType=" + ",".join(
    (ORDER_CREATED, ORDER_STATE_CHANGED, ORDER_ATTRIBUTE_CHANGED, CANCELLATION_CREATED)
)
ORDER_LISTENER = "unregisterProductOrderListener"


async def _register(request: Request, events: str, at: str) -> Response:
    """A listener of `events` unless its query names others; `at`: the operation whose path
    names it (its href and Location)."""
    body = await decode_body(request, HubCreate, settings_of(request.scope).limits)
    query = body.query if body.query and body.query.strip() else events
    hub = await hubs_of(request).register(partner_of(request), body.callback, query)
    created = view(request, hub, with_secret=True, at=at)
    return JSONResponse(created, status_code=201, headers={"Location": created.href})


async def register_shopping_cart_listener(request: Request) -> Response:
    return await _register(request, SHOPPING_CART_EVENTS, LISTENER)


async def register_product_order_listener(request: Request) -> Response:
    return await _register(request, PRODUCT_ORDER_EVENTS, ORDER_LISTENER)


async def unregister_shopping_cart_listener(request: Request) -> Response:
    await hubs_of(request).delete(partner_of(request), request.path_params["id"])
    return Response(status_code=204)
