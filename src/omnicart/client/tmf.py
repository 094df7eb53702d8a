"""TM Forum's TMF663 Shopping Cart, the client's `tmf` namespace (`api.tmf`, on `Client`
and `AsyncClient`, with TMF622's calls of client/tmf_ordering.py: `TmfCalls`): the same
carts as the carrier's calls, in TMF663's shape (`omnicart.wire.tmf.shopping_cart.ShoppingCart`).
Its calls are data (`Call`), declared here beside the namespace, as client/calls.py
declares the carrier's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import msgspec

from omnicart.client.base import AsyncSends, IfMatch, Sends
from omnicart.client.calls import Call, etag
from omnicart.client.tmf_ordering import AsyncProductOrderCalls, ProductOrderCalls
from omnicart.wire.hubs import HubView
from omnicart.wire.tmf.shopping_cart import HUB_PATH, SHOPPING_CARTS_PATH, ShoppingCart

SHOPPING_CARTS = SHOPPING_CARTS_PATH
HUB = HUB_PATH
MERGE_PATCH = "application/merge-patch+json"


def _body(argument: str, value: object) -> bytes:
    if isinstance(value, msgspec.Struct):
        return msgspec.json.encode(value)
    if not isinstance(value, Mapping):
        raise TypeError(f"{argument}: expected a dict (a ShoppingCart's members), got a {type(value).__name__}")
    return msgspec.json.encode(dict(value))


def _segment(value: str) -> str:
    return quote(value, safe="")


def create_shopping_cart(cart: Mapping[str, Any] | None) -> Call[ShoppingCart]:
    return Call("POST", SHOPPING_CARTS, ShoppingCart, _body("cart", {} if cart is None else cart))


def list_shopping_carts(params: Mapping[str, Any]) -> Call[list[ShoppingCart]]:
    return Call("GET", SHOPPING_CARTS, list[ShoppingCart], params=params)


def get_shopping_cart(cart_id: str, fields: str | None) -> Call[ShoppingCart]:
    params = {"fields": fields} if fields is not None else {}
    return Call("GET", f"{SHOPPING_CARTS}/{_segment(cart_id)}", ShoppingCart, params=params)


def patch_shopping_cart(cart_id: str, patch: Mapping[str, Any], if_match: IfMatch) -> Call[ShoppingCart]:
    return Call(
        "PATCH",
        f"{SHOPPING_CARTS}/{_segment(cart_id)}",
        ShoppingCart,
        _body("patch", patch),
        if_match=etag(if_match),
        content_type=MERGE_PATCH,
    )


def delete_shopping_cart(cart_id: str, if_match: IfMatch) -> Call[None]:
    return Call("DELETE", f"{SHOPPING_CARTS}/{_segment(cart_id)}", None, if_match=etag(if_match))


def register_listener(callback: str, query: str | None) -> Call[HubView]:
    body: dict[str, Any] = {"callback": callback, **({"query": query} if query is not None else {})}
    return Call("POST", HUB, HubView, _body("callback", body))


def delete_listener(hub_id: str) -> Call[None]:
    return Call("DELETE", f"{HUB}/{_segment(hub_id)}", None)


def _filters(fields: str | None, cart_id: str | None, href: str | None, offset: int, limit: int) -> dict[str, Any]:
    given = {"fields": fields, "id": cart_id, "href": href}
    return {"offset": offset, "limit": limit, **{name: value for name, value in given.items() if value is not None}}


class ShoppingCartCalls:
    """TMF663 on a blocking `Client` (`api.tmf`)."""

    def __init__(self, client: Sends) -> None:
        self._client = client

    def create_shopping_cart(self, cart: Mapping[str, Any] | None = None) -> ShoppingCart:
        """Create a ShoppingCart (`{}`, the default, is an empty cart). Raises OmnicartError 400.

        >>> sim = {"id": "sim-1", "productOffering": {"id": "SIM_pkey80001_sku6001001"}}
        >>> made = api.tmf.create_shopping_cart({"cartItem": [sim]})
        >>> made.cartItem[0].itemTotalPrice[0].price.dutyFreeAmount.value
        5.0
        >>> api.get_cart(made.id).productOrderItem[0].productOfferingId  # the same cart, the carrier's shape
        'SIM_pkey80001_sku6001001'
        """
        return self._client.send(create_shopping_cart(cart))

    def shopping_carts(
        self,
        *,
        fields: str | None = None,
        cart_id: str | None = None,
        href: str | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> list[ShoppingCart]:
        """One page of the partner's ShoppingCarts, most recently changed first; TMF630's
        `fields`, and the `id` (`cart_id`) and `href` filters. Raises OmnicartError 400.

        >>> [found.id for found in api.tmf.shopping_carts(cart_id=cart.id)] == [cart.id]
        True
        """
        return self._client.send(list_shopping_carts(_filters(fields, cart_id, href, offset, limit)))

    def get_shopping_cart(self, cart_id: str, *, fields: str | None = None) -> ShoppingCart:
        """A cart (made on either path) as TMF663's ShoppingCart. Raises OmnicartError 404.

        >>> api.tmf.get_shopping_cart(cart.id).relatedParty[0].referredType
        'customer'
        """
        return self._client.send(get_shopping_cart(cart_id, fields))

    def patch_shopping_cart(self, cart_id: str, patch: Mapping[str, Any], *, if_match: IfMatch = None) -> ShoppingCart:
        """A JSON merge patch of the ShoppingCart (an array sent replaces the one there).
        Raises OmnicartError 400, 404, 409, 412.

        >>> api.tmf.patch_shopping_cart(cart.id, {"contactMedium": [{"mediumType": "email"}]}, if_match=1).contactMedium
        [{'mediumType': 'email'}]
        """
        return self._client.send(patch_shopping_cart(cart_id, patch, if_match))

    def delete_shopping_cart(self, cart_id: str, *, if_match: IfMatch = None) -> None:
        """Abandon the draft cart. Raises OmnicartError 404, 409, 412.

        >>> api.tmf.delete_shopping_cart(cart.id)
        >>> api.tmf.get_shopping_cart(cart.id)
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 ...
        """
        self._client.send(delete_shopping_cart(cart_id, if_match))

    def register_listener(self, callback: str, query: str | None = None) -> HubView:
        """Register a listener of the ShoppingCart events (TMF663's hub; `query` chooses
        others); answers its `secret`, this once. Raises OmnicartError 400.

        >>> hub = api.tmf.register_listener("http://127.0.0.1:9/events")
        >>> hub.query
        'eventType=ShoppingCartCreateEvent,ShoppingCartAttributeValueChangeEvent,ShoppingCartStateChangeEvent,ShoppingCartDeleteEvent'
        >>> api.tmf.delete_listener(hub.id)
        """
        return self._client.send(register_listener(callback, query))

    def delete_listener(self, hub_id: str) -> None:
        """Stop deliveries to a listener. Raises OmnicartError 404.

        >>> api.tmf.delete_listener("no-such-hub")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 ...
        """
        self._client.send(delete_listener(hub_id))


class AsyncShoppingCartCalls:
    """`ShoppingCartCalls`, awaited (`AsyncClient.tmf`)."""

    def __init__(self, client: AsyncSends) -> None:
        self._client = client

    async def create_shopping_cart(self, cart: Mapping[str, Any] | None = None) -> ShoppingCart:
        """`Client.tmf.create_shopping_cart`, awaited."""
        return await self._client.send(create_shopping_cart(cart))

    async def shopping_carts(
        self,
        *,
        fields: str | None = None,
        cart_id: str | None = None,
        href: str | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> list[ShoppingCart]:
        """`Client.tmf.shopping_carts`, awaited."""
        return await self._client.send(list_shopping_carts(_filters(fields, cart_id, href, offset, limit)))

    async def get_shopping_cart(self, cart_id: str, *, fields: str | None = None) -> ShoppingCart:
        """`Client.tmf.get_shopping_cart`, awaited."""
        return await self._client.send(get_shopping_cart(cart_id, fields))

    async def patch_shopping_cart(
        self, cart_id: str, patch: Mapping[str, Any], *, if_match: IfMatch = None
    ) -> ShoppingCart:
        """`Client.tmf.patch_shopping_cart`, awaited."""
        return await self._client.send(patch_shopping_cart(cart_id, patch, if_match))

    async def delete_shopping_cart(self, cart_id: str, *, if_match: IfMatch = None) -> None:
        """`Client.tmf.delete_shopping_cart`, awaited."""
        await self._client.send(delete_shopping_cart(cart_id, if_match))

    async def register_listener(self, callback: str, query: str | None = None) -> HubView:
        """`Client.tmf.register_listener`, awaited."""
        return await self._client.send(register_listener(callback, query))

    async def delete_listener(self, hub_id: str) -> None:
        """`Client.tmf.delete_listener`, awaited."""
        await self._client.send(delete_listener(hub_id))


class TmfCalls(ShoppingCartCalls, ProductOrderCalls):
    """`api.tmf`: TMF663's calls (above) and TMF622's (client/tmf_ordering.py), one namespace."""


class AsyncTmfCalls(AsyncShoppingCartCalls, AsyncProductOrderCalls):
    """`AsyncClient.tmf`: `TmfCalls`, awaited."""
