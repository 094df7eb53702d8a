"""TMF663's listener registration (`/tmf-api/shoppingCart/v4/hub`, TMF630's hub): the
same listeners as `/omni-svcs/v1/hub` (api/hub.py), on the same signed, retried delivery
(webhooks/), listening by default to the shopping cart's events only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import partner_of
from omnicart.api.hub import hubs_of, view
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse
from omnicart.domain.events import CART_CHANGED, CART_CREATED, CART_DELETED, CART_STATE_CHANGED
from omnicart.runtime import settings_of
from omnicart.wire.hubs import HubCreate

# TMF663's events: what a listener registered here hears unless its query says otherwise.
SHOPPING_CART_EVENTS = "eventType=" + ",".join((CART_CREATED, CART_CHANGED, CART_STATE_CHANGED, CART_DELETED))
LISTENER = "unregisterShoppingCartListener"  # the operation whose path names a listener registered here


async def register_shopping_cart_listener(request: Request) -> Response:
    body = await decode_body(request, HubCreate, settings_of(request.scope).limits)
    query = body.query if body.query and body.query.strip() else SHOPPING_CART_EVENTS
    hub = await hubs_of(request).register(partner_of(request), body.callback, query)
    created = view(request, hub, with_secret=True, at=LISTENER)
    return JSONResponse(created, status_code=201, headers={"Location": created.href})


async def unregister_shopping_cart_listener(request: Request) -> Response:
    await hubs_of(request).delete(partner_of(request), request.path_params["id"])
    return Response(status_code=204)
