"""Cart resource: `/omni-svcs/v1/carts` and its items. Translation only: HTTP in, use
case call, HTTP out."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api import wire
from omnicart.api.context import partner_of, path_of, query_of, service_of
from omnicart.api.errors import invalid_field
from omnicart.api.idempotency import Rendered, reply_for
from omnicart.api.requests import check_limits, read_json, validation_error
from omnicart.api.responses import JSONResponse
from omnicart.domain.cart import ProductOrder, ProductOrderItem
from omnicart.domain.representation import cart_document, item_document
from omnicart.services import NewCart, Reply


def base_url(request: Request) -> str:
    """Where the service is reached: the configured public URL, else the request's Host."""
    base = request.app.state.settings.public_base_url
    if base is None:
        # Built from the scope directly: `request.url` parses a whole URL per call.
        host = request.headers.get("host") or "{}:{}".format(*request.scope["server"])
        base = f"{request.scope['scheme']}://{host}"
    return base.rstrip("/")


def cart_href(request: Request, cart_id: str) -> str:
    return base_url(request) + path_of(request, "getCart", cartId=cart_id)


_encode = msgspec.json.Encoder().encode


def render_cart(request: Request, cart: ProductOrder, status: int = 200) -> Rendered:
    """A cart response as sent, and as stored for an Idempotency-Key replay."""
    href = cart_href(request, cart.id)
    headers = [("content-type", "application/json"), ("etag", cart.etag)]
    if status == 201:
        headers.append(("location", href))
    return status, headers, _encode(cart_document(cart, href))


def respond(rendered: Rendered) -> Response:
    status, headers, body = rendered
    return Response(body, status_code=status, headers=dict(headers))


def cart_response(request: Request, cart: ProductOrder) -> Response:
    return respond(render_cart(request, cart))


def _reply(request: Request, status: int = 200) -> Reply | None:
    return reply_for(request, lambda cart: render_cart(request, cart, status))


def _if_match(request: Request) -> str | None:
    return request.headers.get("if-match")


async def create_cart(request: Request) -> Response:
    service = service_of(request)
    _, raw = await read_json(request, wire.CartCreate, service.limits)
    new = NewCart(
        channel=raw["channel"],
        relatedParty=raw["relatedParty"],
        items=[wire.item_from_request(item) for item in raw.get("items", [])],
        extra=wire.cart_extra(raw),
    )
    cart = await service.create_cart(partner_of(request), new, reply=_reply(request, 201))
    return respond(render_cart(request, cart, 201))


async def list_carts(request: Request) -> Response:
    page = query_of(request)
    carts = await service_of(request).list_carts(partner_of(request), limit=page.limit, offset=page.offset)
    return JSONResponse(
        [cart_document(cart, cart_href(request, cart.id)) for cart in carts],
        headers={"X-Result-Count": str(len(carts))},
    )


async def get_cart(request: Request) -> Response:
    cart = await service_of(request).get_cart(partner_of(request), request.path_params["cartId"])
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and cart.etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers={"ETag": cart.etag})
    return cart_response(request, cart)


async def abandon_cart(request: Request) -> Response:
    await service_of(request).abandon_cart(
        partner_of(request), request.path_params["cartId"], if_match=_if_match(request)
    )
    return Response(status_code=204)


async def add_items(request: Request) -> Response:
    service = service_of(request)
    _, raw = await read_json(request, wire.ItemsAdd, service.limits)
    items = [wire.item_from_request(item) for item in raw["items"]]
    cart = await service.add_items(
        partner_of(request), request.path_params["cartId"], items, if_match=_if_match(request),
        reply=_reply(request),
    )
    return cart_response(request, cart)


async def patch_item(request: Request) -> Response:
    """JSON merge patch (RFC 7396) of one item; the merged item is validated as a whole."""
    service = service_of(request)
    _, patch = await read_json(request, dict, service.limits)
    item_id = request.path_params["itemId"]
    if "productOrderItemId" in patch and patch["productOrderItemId"] != item_id:
        raise invalid_field("productOrderItemId", "cannot be changed; remove the item and add a new one")

    def merged(current: ProductOrderItem) -> ProductOrderItem:
        raw = _merge_patch(item_document(current), patch)
        raw.pop("itemPrice", None)
        check_limits(raw, service.limits)
        try:
            msgspec.convert(raw, wire.ProductOrderItemInput)
        except msgspec.ValidationError as exc:
            raise validation_error(str(exc)) from None
        return wire.item_from_request(raw)

    cart = await service.update_item(
        partner_of(request), request.path_params["cartId"], item_id, merged, if_match=_if_match(request)
    )
    return cart_response(request, cart)


def _merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


async def remove_item(request: Request) -> Response:
    cart = await service_of(request).remove_item(
        partner_of(request),
        request.path_params["cartId"],
        request.path_params["itemId"],
        if_match=_if_match(request),
    )
    return cart_response(request, cart)
