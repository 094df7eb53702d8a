"""Cart resource: `/omni-svcs/v1/carts` and its items. Translation only: HTTP in, use
case call, HTTP out."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of, partner_of, query_of, url_of
from omnicart.api.idempotency import reply_for
from omnicart.api.requests import decode_body, warnings_of
from omnicart.api.responses import given, page_response, respond
from omnicart.api.scenarios import scenarios_of
from omnicart.services.answers import CartAnswer
from omnicart.store import CartFilter
from omnicart.wire.cart import CartCreate, ItemsAdd
from omnicart.wire.decoding import convert
from omnicart.wire.errors import invalid_field
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.limits import check_limits
from omnicart.wire.merge_patch import merge_patch
from omnicart.wire.open import flatten


def cart_answer(request: Request, status: int = 200, *, body: bytes | None = None, by_name: bool = False) -> CartAnswer:
    """How this request's cart answer looks: where the service's carts are reached, the
    status, (201) a Location naming the new cart, and (`by_name`) an answer that is only
    the cart's second name (services/answers.py)."""
    carts_url = url_of(request, "listCarts")
    return CartAnswer(
        carts_url, status, location=status == 201, body=body, by_name=by_name, warning=warnings_of(request)
    )


def _if_match(request: Request) -> str | None:
    return request.headers.get("if-match")


async def create_cart(request: Request) -> Response:
    carts = carts_of(request)
    body = await decode_body(request, CartCreate, carts.limits)
    answer = cart_answer(request, 201)
    cart = await carts.create_cart(
        partner_of(request), body, reply=reply_for(request, answer), rejection=scenarios_of(request).cart_rejection
    )
    return respond(answer.render(cart))


async def list_carts(request: Request) -> Response:
    query = query_of(request)
    found = CartFilter(
        state=given(query.state),
        customer_id=given(query.customerId),
        updated_from=given(query.updatedFrom),
        updated_to=given(query.updatedTo),
    )
    carts, total = await carts_of(request).find_carts(
        partner_of(request), found, limit=query.limit, offset=query.offset
    )
    answer = cart_answer(request)
    documents = [(cart.wire, cart.id, answer.href(cart.id)) for cart in carts]
    return page_response(request, query.offset, query.limit, documents, total)


async def get_cart(request: Request) -> Response:
    cart = await carts_of(request).read_cart(partner_of(request), request.path_params["cartId"])
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and cart.etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers={"ETag": cart.etag})
    return respond(cart_answer(request).render(cart))


async def abandon_cart(request: Request) -> Response:
    await carts_of(request).abandon_cart(
        partner_of(request), request.path_params["cartId"], if_match=_if_match(request)
    )
    return Response(status_code=204)


async def add_items(request: Request) -> Response:
    return await add_items_to(request, request.path_params["cartId"])


async def add_items_to(request: Request, cart_id: str) -> Response:
    """Add Items to the cart named `cart_id` (its id or its second name); the answer is the
    cart. Both flavours' paths (`carts/{cartId}/items`, `order/{orderId}/items`) come here."""
    carts = carts_of(request)
    body = await decode_body(request, ItemsAdd, carts.limits)
    answer = cart_answer(request)
    cart = await carts.add_items(
        partner_of(request),
        cart_id,
        body.items,
        if_match=_if_match(request),
        reply=reply_for(request, answer),
        rejection=scenarios_of(request).cart_rejection,
    )
    return respond(answer.render(cart))


async def patch_item(request: Request) -> Response:
    """JSON merge patch (RFC 7396) of one item; the merged item is validated as a whole."""
    carts = carts_of(request)
    patch = await decode_body(request, dict, carts.limits)
    item_id = request.path_params["itemId"]
    if "productOrderItemId" in patch and patch["productOrderItemId"] != item_id:
        raise invalid_field("productOrderItemId", "cannot be changed; remove the item and add a new one")

    def merged(current: ProductOrderItem) -> ProductOrderItem:
        raw = merge_patch(flatten(msgspec.to_builtins(current)), patch)
        check_limits(raw, carts.limits)
        return convert(raw, ProductOrderItem)

    cart = await carts.update_item(
        partner_of(request), request.path_params["cartId"], item_id, merged, if_match=_if_match(request)
    )
    return respond(cart_answer(request).render(cart))


async def remove_item(request: Request) -> Response:
    cart = await carts_of(request).remove_item(
        partner_of(request),
        request.path_params["cartId"],
        request.path_params["itemId"],
        if_match=_if_match(request),
    )
    return respond(cart_answer(request).render(cart))
