"""TMF663 Shopping Cart v4 over HTTP (`/tmf-api/shoppingCart/v4/shoppingCart`): the
carrier's carts, the same use cases, in TM Forum's shape (domain/shopping_cart.py maps
the documents; api/tmf/query.py holds TMF630's conventions). Translation only.
"""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of, partner_of, query_of, url_of
from omnicart.api.idempotency import reply_for
from omnicart.api.requests import decode_body
from omnicart.api.responses import respond
from omnicart.api.tmf.query import NOTHING, ReadQuery, TmfQuery, field_names, project, tmf_page, wanted_id
from omnicart.domain.cart import Cart
from omnicart.domain.shopping_cart import NotAShoppingCart, cart_fields, shopping_cart, tmf_path
from omnicart.services.answers import CartAnswer, shopping_cart_document
from omnicart.services.shopping_carts import Revision, revise_cart
from omnicart.store import CartFilter
from omnicart.wire.cart import CartCreate
from omnicart.wire.decoding import convert, validation_error, whole_numbers
from omnicart.wire.errors import ApiError, invalid_field
from omnicart.wire.merge_patch import merge_patch
from omnicart.wire.open import flatten
from omnicart.wire.tmf.shopping_cart import ShoppingCartCreate, ShoppingCartUpdate

COLLECTION = "listShoppingCart"


def _answer(request: Request, status: int = 200) -> CartAnswer:
    return CartAnswer(url_of(request, COLLECTION), status, location=status == 201, tmf=True)


def _if_match(request: Request) -> str | None:
    return request.headers.get("if-match")


def _as_carrier_cart(document: dict[str, object]) -> CartCreate:
    """A ShoppingCart as Create Cart's body; a problem named where it is in the
    ShoppingCart (`cartItem[0].quantity`), not in the carrier's cart."""
    try:
        return convert(cart_fields(document), CartCreate)
    except NotAShoppingCart as wrong:
        raise invalid_field(wrong.field, wrong.reason) from None
    except ApiError as refused:
        refused.message = tmf_path(refused.message)
        for error in refused.details.get("errors", ()):
            if isinstance(error, dict) and isinstance(error.get("field"), str):
                error["field"] = tmf_path(error["field"])
        raise


def _checked(body: dict[str, Any], shape: type[msgspec.Struct]) -> None:
    """Refuse a body TMF663's shape does not allow (`shape`'s types, read strictly), the
    field named where it is; what it does not declare is left to the carrier's cart."""
    whole_numbers(body)
    try:
        msgspec.convert(body, shape)
    except msgspec.ValidationError as wrong:
        raise validation_error(str(wrong), shape) from None


async def create_shopping_cart(request: Request) -> Response:
    carts = carts_of(request)
    body = await decode_body(request, dict, carts.limits)
    _checked(body, ShoppingCartCreate)
    answer = _answer(request, 201)
    cart = await carts.create_cart(partner_of(request), _as_carrier_cart(body), reply=reply_for(request, answer))
    return respond(answer.render(cart))


async def list_shopping_carts(request: Request) -> Response:
    query: TmfQuery = query_of(request)
    answer = _answer(request)
    wanted = wanted_id(query, answer.href)
    if wanted is NOTHING:
        return tmf_page(request, query, [], 0)
    found, total = await carts_of(request).find_carts(
        partner_of(request), CartFilter(cart_id=_text(wanted)), limit=query.limit, offset=query.offset
    )
    return tmf_page(request, query, [shopping_cart_document(cart, answer.href(cart.id)) for cart in found], total)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


async def retrieve_shopping_cart(request: Request) -> Response:
    query: ReadQuery = query_of(request)
    cart = await carts_of(request).read_cart(partner_of(request), request.path_params["id"])
    document = shopping_cart_document(cart, _answer(request).href(cart.id))
    return Response(
        project(document, field_names(query.fields)), media_type="application/json", headers={"ETag": cart.etag}
    )


async def patch_shopping_cart(request: Request) -> Response:
    """JSON merge patch (RFC 7396) of the whole ShoppingCart, computed on the latest
    version: an array sent (cartItem, relatedParty) replaces the one there."""
    carts = carts_of(request)
    patch = await decode_body(request, dict, carts.limits)
    _checked({name: value for name, value in patch.items() if value is not None}, ShoppingCartUpdate)
    cart_id = request.path_params["id"]
    answer = _answer(request)

    def revision(cart: Cart) -> Revision:
        if patch.get("id", cart.id) != cart.id:
            raise invalid_field("id", "cannot be changed")
        current = shopping_cart(flatten(msgspec.to_builtins(cart)), answer.href(cart.id))
        revised = _as_carrier_cart(merge_patch(current, patch))
        own = revised.extra if isinstance(revised.extra, dict) else {}
        return revised.relatedParty, revised.items, own

    cart = await revise_cart(carts, partner_of(request), cart_id, revision, if_match=_if_match(request))
    return respond(answer.render(cart))


async def delete_shopping_cart(request: Request) -> Response:
    await carts_of(request).abandon_cart(partner_of(request), request.path_params["id"], if_match=_if_match(request))
    return Response(status_code=204)
