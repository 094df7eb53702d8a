"""TM Forum's TMF622 Product Ordering in the client's `tmf` namespace (`api.tmf`, beside
TMF663's calls of client/tmf.py): the same orders as the carrier's calls, in TMF622's shape
(`omnicart.wire.tmf.product_order.TmfProductOrder`). Its calls are data (`Call`), declared
here beside the methods that send them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import msgspec

from omnicart.client.base import AsyncSends, IfMatch, Sends
from omnicart.client.calls import Call, etag
from omnicart.wire.hubs import HubView
from omnicart.wire.tmf.product_order import (
    CANCEL_PRODUCT_ORDERS_PATH,
    ORDERING_HUB_PATH,
    PRODUCT_ORDERS_PATH,
    CancelProductOrder,
    TmfProductOrder,
)

MERGE_PATCH = "application/merge-patch+json"


def _body(argument: str, value: object) -> bytes:
    if isinstance(value, msgspec.Struct):
        return msgspec.json.encode(value)
    if not isinstance(value, Mapping):
        raise TypeError(f"{argument}: expected a dict (a ProductOrder's members), got a {type(value).__name__}")
    return msgspec.json.encode(dict(value))


def _one(path: str, order_id: str) -> str:
    return f"{path}/{quote(order_id, safe='')}"


def create_product_order(order: Mapping[str, Any]) -> Call[TmfProductOrder]:
    return Call("POST", PRODUCT_ORDERS_PATH, TmfProductOrder, _body("order", order))


def list_product_orders(params: Mapping[str, Any]) -> Call[list[TmfProductOrder]]:
    return Call("GET", PRODUCT_ORDERS_PATH, list[TmfProductOrder], params=params)


def get_product_order(order_id: str) -> Call[TmfProductOrder]:
    return Call("GET", _one(PRODUCT_ORDERS_PATH, order_id), TmfProductOrder)


def patch_product_order(order_id: str, patch: Mapping[str, Any], if_match: IfMatch) -> Call[TmfProductOrder]:
    return Call(
        "PATCH",
        _one(PRODUCT_ORDERS_PATH, order_id),
        TmfProductOrder,
        _body("patch", patch),
        if_match=etag(if_match),
        content_type=MERGE_PATCH,
    )


def cancel_product_order(order_id: str, reason: str | None) -> Call[CancelProductOrder]:
    body: dict[str, Any] = {"productOrder": {"id": order_id}}
    if reason is not None:
        body["cancellationReason"] = reason
    return Call("POST", CANCEL_PRODUCT_ORDERS_PATH, CancelProductOrder, _body("reason", body))


def get_cancellation(order_id: str) -> Call[CancelProductOrder]:
    return Call("GET", _one(CANCEL_PRODUCT_ORDERS_PATH, order_id), CancelProductOrder)


def register_order_listener(callback: str, query: str | None) -> Call[HubView]:
    body: dict[str, Any] = {"callback": callback, **({"query": query} if query is not None else {})}
    return Call("POST", ORDERING_HUB_PATH, HubView, _body("callback", body))


def _filters(order_id: str | None, state: str | None, offset: int, limit: int) -> dict[str, Any]:
    given = {"id": order_id, "state": state}
    return {"offset": offset, "limit": limit, **{name: value for name, value in given.items() if value is not None}}


class ProductOrderCalls:
    """TMF622 on a blocking `Client` (`api.tmf`)."""

    def __init__(self, client: Sends) -> None:
        self._client = client

    def create_product_order(self, order: Mapping[str, Any]) -> TmfProductOrder:
        """Place an order in TMF622's words (`productOrderItem` required): it is an omnicart
        order from then on, under the same id. Raises OmnicartError 400, 409.

        >>> placed = api.tmf.create_product_order({"productOrderItem": [{"id": "1", "action": "add"}]})
        >>> placed.state, api.get_order(placed.id).productOrderItem[0].productOrderItemId
        ('acknowledged', '1')
        """
        return self._client.send(create_product_order(order))

    def product_orders(
        self, *, order_id: str | None = None, state: str | None = None, offset: int = 0, limit: int = 20
    ) -> list[TmfProductOrder]:
        """One page of the partner's orders (every one, however placed), newest first;
        the `id` (`order_id`) and TMF622 `state` filters. Raises OmnicartError 400.

        >>> placed = api.tmf.create_product_order({"productOrderItem": [{"id": "1", "action": "add"}]})
        >>> [found.id for found in api.tmf.product_orders(order_id=placed.id)] == [placed.id]
        True
        """
        return self._client.send(list_product_orders(_filters(order_id, state, offset, limit)))

    def get_product_order(self, order_id: str) -> TmfProductOrder:
        """An order (express-submitted or not) as TMF622's ProductOrder. Raises OmnicartError 404.

        >>> api.tmf.get_product_order("f42b01d2-dba6-4442-a0fa-34e59639fd15")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 ...
        """
        return self._client.send(get_product_order(order_id))

    def patch_product_order(
        self, order_id: str, patch: Mapping[str, Any], *, if_match: IfMatch = None
    ) -> TmfProductOrder:
        """A JSON merge patch of the order's descriptive attributes (description, priority,
        note…; null removes one; what the order placed keeps is ignored). Raises OmnicartError
        400, 404, 412.

        >>> placed = api.tmf.create_product_order({"productOrderItem": [{"id": "1", "action": "add"}]})
        >>> api.tmf.patch_product_order(placed.id, {"priority": "1"}, if_match=1).priority
        '1'
        """
        return self._client.send(patch_product_order(order_id, patch, if_match))

    def cancel_product_order(self, order_id: str, reason: str | None = None) -> CancelProductOrder:
        """Cancel the order (TMF622's cancelProductOrder task, named by the order's id).
        Raises OmnicartError 404, 409 (a final order).

        >>> placed = api.tmf.create_product_order({"productOrderItem": [{"id": "1", "action": "add"}]})
        >>> api.tmf.cancel_product_order(placed.id, "changed plans").productOrder.id == placed.id
        True
        """
        return self._client.send(cancel_product_order(order_id, reason))

    def get_cancellation(self, order_id: str) -> CancelProductOrder:
        """The order's cancellation task. Raises OmnicartError 404 (never asked for)."""
        return self._client.send(get_cancellation(order_id))

    def register_order_listener(self, callback: str, query: str | None = None) -> HubView:
        """Register a listener of the ProductOrder events (TMF622's hub; `query` chooses
        others); answers its `secret`, this once. `delete_listener` unregisters it.

        >>> hub = api.tmf.register_order_listener("http://127.0.0.1:9/events")
        >>> hub.query
        'eventType=ProductOrderCreateEvent,ProductOrderStateChangeEvent,ProductOrderAttributeValueChangeEvent,CancelProductOrderCreateEvent'
        >>> api.tmf.delete_listener(hub.id)
        """
        return self._client.send(register_order_listener(callback, query))


class AsyncProductOrderCalls:
    """`ProductOrderCalls`, awaited (`AsyncClient.tmf`)."""

    def __init__(self, client: AsyncSends) -> None:
        self._client = client

    async def create_product_order(self, order: Mapping[str, Any]) -> TmfProductOrder:
        """`Client.tmf.create_product_order`, awaited."""
        return await self._client.send(create_product_order(order))

    async def product_orders(
        self, *, order_id: str | None = None, state: str | None = None, offset: int = 0, limit: int = 20
    ) -> list[TmfProductOrder]:
        """`Client.tmf.product_orders`, awaited."""
        return await self._client.send(list_product_orders(_filters(order_id, state, offset, limit)))

    async def get_product_order(self, order_id: str) -> TmfProductOrder:
        """`Client.tmf.get_product_order`, awaited."""
        return await self._client.send(get_product_order(order_id))

    async def patch_product_order(
        self, order_id: str, patch: Mapping[str, Any], *, if_match: IfMatch = None
    ) -> TmfProductOrder:
        """`Client.tmf.patch_product_order`, awaited."""
        return await self._client.send(patch_product_order(order_id, patch, if_match))

    async def cancel_product_order(self, order_id: str, reason: str | None = None) -> CancelProductOrder:
        """`Client.tmf.cancel_product_order`, awaited."""
        return await self._client.send(cancel_product_order(order_id, reason))

    async def get_cancellation(self, order_id: str) -> CancelProductOrder:
        """`Client.tmf.get_cancellation`, awaited."""
        return await self._client.send(get_cancellation(order_id))

    async def register_order_listener(self, callback: str, query: str | None = None) -> HubView:
        """`Client.tmf.register_order_listener`, awaited."""
        return await self._client.send(register_order_listener(callback, query))
