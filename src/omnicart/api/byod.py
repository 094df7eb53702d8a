"""The carrier's older "order" flavour (BYOD add-a-line 1.0.0, reference §4.1):
`/omni-svcs/v1/order/create` and `/omni-svcs/v1/order/{orderId}/items`. An order of this
flavour is a cart in every sense; its id is the cart's second name, its customer order id
(docs/byod.md). Translation only, as api/carts.py, whose use cases these are."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.carts import add_items_to, cart_answer
from omnicart.api.context import carts_of, partner_of
from omnicart.api.idempotency import reply_for
from omnicart.api.requests import decode_body
from omnicart.api.responses import respond
from omnicart.api.scenarios import scenarios_of
from omnicart.wire.cart import CartCreate


async def create_order(request: Request) -> Response:
    """A new draft cart named from birth; the answer is the carrier's `{"id": "NN-…"}`,
    with the cart's Location and ETag."""
    carts = carts_of(request)
    body = await decode_body(request, CartCreate, carts.limits)
    answer = cart_answer(request, 201, by_name=True)
    cart = await carts.create_cart(
        partner_of(request),
        body,
        reply=reply_for(request, answer),
        named=True,
        rejection=scenarios_of(request).cart_rejection,
    )
    return respond(answer.render(cart))


async def add_order_items(request: Request) -> Response:
    return await add_items_to(request, request.path_params["orderId"])
