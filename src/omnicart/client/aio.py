"""`AsyncClient`: the partner API for asyncio (httpx.AsyncClient); the same methods as
`Client` (client/sync.py), awaited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, TypeVar

import httpx

from omnicart.client import calls, core
from omnicart.client.calls import Call
from omnicart.wire.cart import ProductOrderView
from omnicart.wire.catalog import ProductOfferingView
from omnicart.wire.hubs import HubView
from omnicart.wire.order_query import GraphQLResponse
from omnicart.wire.orders import CheckoutView, OrderView, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsResult

T = TypeVar("T")
IfMatch = str | int | None


class AsyncClient:
    """`AsyncClient(base_url, api_key=…)` or with `client_id=…, client_secret=…`; use it with
    `async with`.
    `scenario`: a sandbox mock-scenario sent with every call (each method takes one too)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        scope: str | None = None,
        scenario: str | None = None,
        retry: core.Retry = core.DEFAULT_RETRY,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.credentials = core.Credentials(api_key, client_id, client_secret, scope)
        self.scenario = scenario
        self.retry = retry
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport, headers={"User-Agent": core.USER_AGENT}
        )

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    # -- the one place calls are sent ----------------------------------------------------

    async def _bearer(self) -> str | None:
        bearer = self.credentials.current()
        if bearer is None and self.credentials.oauth:
            answered = await self.http.post("/oauth/token", **self.credentials.token_request())
            bearer = self.credentials.took(answered)
        return bearer

    async def _response(self, call: Call[Any], scenario: str | None) -> httpx.Response:
        key = core.idempotency_key(call)
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            sent = core.headers(call, await self._bearer(), scenario or self.scenario, key)
            try:
                response = await self.http.request(
                    call.method, call.path, content=call.body, params=call.params, headers=sent
                )
            except httpx.TransportError as exc:
                if attempt >= self.retry.attempts or not core.retryable(call, None, exc):
                    raise core.unreachable(exc) from exc
                await asyncio.sleep(self.retry.wait(attempt, None))
                continue
            if response.status_code == 401 and self.credentials.oauth and not refreshed:
                self.credentials.forget()  # revoked or expired early: one fresh token, once
                refreshed = True
                continue
            if attempt < self.retry.attempts and core.retryable(call, response, None):
                await asyncio.sleep(self.retry.wait(attempt, response))
                continue
            return response

    async def send(self, call: Call[T], scenario: str | None = None) -> T:
        return core.answer(call, await self._response(call, scenario))

    async def _pages(self, page: Any, scenario: str | None) -> AsyncIterator[Any]:
        offset = 0
        while True:
            call = page(offset)
            response = await self._response(call, scenario)
            found = core.answer(call, response)
            for entry in found:
                yield entry
            # X-Result-Count: how many this page held; a short page is the last one.
            count = int(response.headers.get("x-result-count", len(found)))
            if count < calls.PAGE_SIZE:
                return
            offset += count

    # -- carts --------------------------------------------------------------------------

    async def create_cart(
        self,
        channel: Any,
        related_party: Iterable[Any],
        items: Iterable[Any] = (),
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> ProductOrderView:
        return await self.send(calls.create_cart(channel, related_party, list(items), extra or {}), scenario)

    async def get_cart(self, cart_id: str, *, scenario: str | None = None) -> ProductOrderView:
        return await self.send(calls.get_cart(cart_id), scenario)

    def carts(self, *, scenario: str | None = None) -> AsyncIterator[ProductOrderView]:
        """Every cart of the partner, most recently changed first, page after page."""
        return self._pages(lambda offset: calls.list_carts(offset, calls.PAGE_SIZE), scenario)

    async def add_items(
        self, cart_id: str, items: Iterable[Any], *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        return await self.send(calls.add_items(cart_id, items, if_match), scenario)

    async def update_item(
        self, cart_id: str, item_id: str, patch: Any, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        return await self.send(calls.update_item(cart_id, item_id, patch, if_match), scenario)

    async def remove_item(
        self, cart_id: str, item_id: str, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        return await self.send(calls.remove_item(cart_id, item_id, if_match), scenario)

    async def abandon_cart(self, cart_id: str, *, if_match: IfMatch = None, scenario: str | None = None) -> None:
        await self.send(calls.abandon_cart(cart_id, if_match), scenario)

    # -- ordering -----------------------------------------------------------------------

    async def checkout(
        self, cart_id: str, *, fulfillment_address_id: str | None = None, scenario: str | None = None
    ) -> CheckoutView:
        return await self.send(calls.checkout(cart_id, fulfillment_address_id), scenario)

    async def payment_methods(self, request: Any, *, scenario: str | None = None) -> PaymentMethodsResult:
        """Register payment methods (the carrier's body: `{"paymentMethods": [{..., "cartId": …}]}`),
        with the customer's consent to the terms: completes the cart's payment and terms."""
        return await self.send(calls.payment_methods(request), scenario)

    async def express_submit(
        self, cart_id: str, submission: Any = None, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> SubmittedOrder:
        return await self.send(calls.express_submit(cart_id, submission, if_match), scenario)

    async def get_order(self, order_id: str, *, scenario: str | None = None) -> OrderView:
        return await self.send(calls.get_order(order_id), scenario)

    def orders(self, *, scenario: str | None = None, **filters: Any) -> AsyncIterator[OrderView]:
        """Every order of the partner (`state=` to filter), newest first, page after page."""
        return self._pages(lambda offset: calls.list_orders(offset, calls.PAGE_SIZE, filters), scenario)

    async def query_orders(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        scenario: str | None = None,
    ) -> GraphQLResponse:
        """The carrier's orders query (GraphQL, `getOrders`): `data` and `errors` as answered,
        also when the query failed before running (a 400: `errors` only); any other failure
        raises OmnicartError."""
        return await self.send(calls.query_orders(query, variables, operation_name), scenario)

    async def cancel_order(self, order_id: str, reason: str | None = None, *, scenario: str | None = None) -> OrderView:
        return await self.send(calls.cancel_order(order_id, reason), scenario)

    async def product_offerings(self, type: str | None = None) -> list[ProductOfferingView]:
        return await self.send(calls.product_offerings(type))

    # -- event listeners ----------------------------------------------------------------

    async def register_hub(self, callback: str, query: str | None = None) -> HubView:
        """Answers the hub with its `secret`, this once: keep it to verify deliveries."""
        return await self.send(calls.register_hub(callback, query))

    async def hubs(self) -> list[HubView]:
        return await self.send(calls.list_hubs())

    async def get_hub(self, hub_id: str) -> HubView:
        return await self.send(calls.get_hub(hub_id))

    async def delete_hub(self, hub_id: str) -> None:
        await self.send(calls.delete_hub(hub_id))
