"""`AsyncClient`: the partner API for asyncio (httpx.AsyncClient); the same methods as
`Client` (client/sync.py), awaited: their arguments, answers, errors and examples are
documented there once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from omnicart.client import calls, core
from omnicart.client.calls import Call, Items
from omnicart.client.shapes import (
    AgreementConsentDict,
    ChannelDict,
    CreditApplicationDict,
    CustomerAuthDict,
    EnrollmentDict,
    ItemDict,
    OffersSearchDict,
    PaymentMethodsDict,
    RelatedPartyDict,
    SelectedOptionDict,
    ServiceQualificationDict,
    SubmissionDict,
)
from omnicart.wire.billing import BillingResult
from omnicart.wire.cart import Channel, Enrollment, ProductOrderView, RelatedParty
from omnicart.wire.catalog import CarrierOffering, ProductOfferingView
from omnicart.wire.credit import CreditApplicationRequest, CreditApplicationResult
from omnicart.wire.customers import CustomerAuthRequest, CustomerAuthResult, CustomerSearchResult
from omnicart.wire.fulfilment import FulfillmentOptionsView, FulfillmentSelectionResult, SelectedOption
from omnicart.wire.hubs import HubView
from omnicart.wire.offers import OffersSearch
from omnicart.wire.order_query import GraphQLResponse
from omnicart.wire.orders import CheckoutView, OrderView, Submission, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult
from omnicart.wire.qualification import ServiceQualificationRequest, ServiceQualificationResult
from omnicart.wire.terms import AgreementConsent, TermsConsentResult, TermsView

T = TypeVar("T")
IfMatch = str | int | None


class AsyncClient:
    """`AsyncClient(base_url, api_key=…)` or with `client_id=…, client_secret=…`; use it with
    `async with`. `scenario`: a sandbox mock-scenario sent with every call (each method
    takes one too). Each method is `Client`'s of the same name, awaited.

    >>> async def state(cart_id: str) -> str:
    ...     async with AsyncClient(str(api.http.base_url)) as sandbox:
    ...         return (await sandbox.get_cart(cart_id)).state
    >>> asyncio.run(state(cart.id))
    <State.DRAFT: 'Draft'>
    """

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
        """`Client.close`, awaited."""
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
        """`Client.send`, awaited."""
        return core.answer(call, await self._response(call, scenario))

    async def _pages(self, page: Callable[[int], Call[list[T]]], scenario: str | None) -> AsyncIterator[T]:
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
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        items: Items = (),
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> ProductOrderView:
        """`Client.create_cart`, awaited."""
        return await self.send(calls.create_cart(channel, related_party, items, extra or {}), scenario)

    async def get_cart(self, cart_id: str, *, scenario: str | None = None) -> ProductOrderView:
        """`Client.get_cart`, awaited."""
        return await self.send(calls.get_cart(cart_id), scenario)

    def carts(self, *, scenario: str | None = None) -> AsyncIterator[ProductOrderView]:
        """`Client.carts`, as an async iterator (`async for`)."""
        return self._pages(lambda offset: calls.list_carts(offset, calls.PAGE_SIZE), scenario)

    async def add_items(
        self, cart_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.add_items`, awaited."""
        return await self.send(calls.add_items(cart_id, items, if_match), scenario)

    async def update_item(
        self, cart_id: str, item_id: str, patch: ItemDict, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.update_item`, awaited."""
        return await self.send(calls.update_item(cart_id, item_id, patch, if_match), scenario)

    async def remove_item(
        self, cart_id: str, item_id: str, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.remove_item`, awaited."""
        return await self.send(calls.remove_item(cart_id, item_id, if_match), scenario)

    async def abandon_cart(self, cart_id: str, *, if_match: IfMatch = None, scenario: str | None = None) -> None:
        """`Client.abandon_cart`, awaited."""
        await self.send(calls.abandon_cart(cart_id, if_match), scenario)

    # -- the older "order" flavour (BYOD) --------------------------------------------------

    async def create_order(
        self,
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> str:
        """`Client.create_order`, awaited."""
        return (await self.send(calls.create_order(channel, related_party, extra or {}), scenario)).id

    async def add_order_items(
        self, order_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.add_order_items`, awaited."""
        return await self.send(calls.add_order_items(order_id, items, if_match), scenario)

    # -- ordering -----------------------------------------------------------------------

    async def checkout(
        self, cart_id: str, *, fulfillment_address_id: str | None = None, scenario: str | None = None
    ) -> CheckoutView:
        """`Client.checkout`, awaited."""
        return await self.send(calls.checkout(cart_id, fulfillment_address_id), scenario)

    async def payment_methods(
        self, request: PaymentMethodsRequest | PaymentMethodsDict, *, scenario: str | None = None
    ) -> PaymentMethodsResult:
        """`Client.payment_methods`, awaited."""
        return await self.send(calls.payment_methods(request), scenario)

    async def credit_application(
        self,
        request: CreditApplicationRequest | CreditApplicationDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> CreditApplicationResult:
        """`Client.credit_application`, awaited."""
        return await self.send(calls.credit_application(request, if_match), scenario)

    async def offers_search(
        self, request: OffersSearch | OffersSearchDict, *, scenario: str | None = None
    ) -> list[CarrierOffering]:
        """`Client.offers_search`, awaited."""
        return await self.send(calls.offers_search(request), scenario)

    async def fulfillment_options(
        self, order_id: str, *, placeid: str | None = None, scenario: str | None = None
    ) -> FulfillmentOptionsView:
        """`Client.fulfillment_options`, awaited."""
        return await self.send(calls.fulfillment_options(order_id, placeid), scenario)

    async def select_fulfillment(
        self,
        order_id: str,
        selected: Sequence[SelectedOption | SelectedOptionDict],
        *,
        placeid: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> FulfillmentSelectionResult:
        """`Client.select_fulfillment`, awaited."""
        return await self.send(calls.select_fulfillment(order_id, selected, placeid, if_match), scenario)

    async def terms(self, order_id: str, *, scenario: str | None = None) -> TermsView:
        """`Client.terms`, awaited."""
        return await self.send(calls.terms(order_id), scenario)

    async def accept_terms(
        self,
        order_id: str,
        agreements: Sequence[AgreementConsent | AgreementConsentDict],
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> TermsConsentResult:
        """`Client.accept_terms`, awaited."""
        return await self.send(calls.accept_terms(order_id, agreements, if_match), scenario)

    async def update_billing(
        self,
        order_id: str,
        enrollment: Enrollment | EnrollmentDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> BillingResult:
        """`Client.update_billing`, awaited."""
        return await self.send(calls.update_billing(order_id, enrollment, if_match), scenario)

    async def express_submit(
        self,
        cart_id: str,
        submission: Submission | SubmissionDict | None = None,
        *,
        appointment: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> SubmittedOrder:
        """`Client.express_submit`, awaited."""
        return await self.send(calls.express_submit(cart_id, submission, if_match, appointment), scenario)

    async def get_order(self, order_id: str, *, scenario: str | None = None) -> OrderView:
        """`Client.get_order`, awaited."""
        return await self.send(calls.get_order(order_id), scenario)

    def orders(self, *, scenario: str | None = None, **filters: str) -> AsyncIterator[OrderView]:
        """`Client.orders`, as an async iterator (`async for`)."""
        return self._pages(lambda offset: calls.list_orders(offset, calls.PAGE_SIZE, filters), scenario)

    async def query_orders(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        scenario: str | None = None,
    ) -> GraphQLResponse:
        """`Client.query_orders`, awaited."""
        return await self.send(calls.query_orders(query, variables, operation_name), scenario)

    async def cancel_order(self, order_id: str, reason: str | None = None, *, scenario: str | None = None) -> OrderView:
        """`Client.cancel_order`, awaited."""
        return await self.send(calls.cancel_order(order_id, reason), scenario)

    async def product_offerings(self, type: str | None = None) -> list[ProductOfferingView]:
        """`Client.product_offerings`, awaited."""
        return await self.send(calls.product_offerings(type))

    # -- fiber: customers and service qualification -------------------------------------

    async def search_customers(
        self,
        service_type: str = "FIBER",
        *,
        page_size: int | None = None,
        page_offset: int | None = None,
        scenario: str | None = None,
        **filters: str,
    ) -> CustomerSearchResult:
        """`Client.search_customers`, awaited."""
        return await self.send(calls.search_customers(service_type, page_size, page_offset, filters), scenario)

    async def authenticate_customer(
        self, request: CustomerAuthRequest | CustomerAuthDict, *, scenario: str | None = None
    ) -> CustomerAuthResult:
        """`Client.authenticate_customer`, awaited."""
        return await self.send(calls.authenticate_customer(request), scenario)

    async def qualify_service(
        self, request: ServiceQualificationRequest | ServiceQualificationDict, *, scenario: str | None = None
    ) -> ServiceQualificationResult:
        """`Client.qualify_service`, awaited."""
        return await self.send(calls.qualify_service(request), scenario)

    # -- event listeners ----------------------------------------------------------------

    async def register_hub(self, callback: str, query: str | None = None) -> HubView:
        """`Client.register_hub`, awaited."""
        return await self.send(calls.register_hub(callback, query))

    async def hubs(self) -> list[HubView]:
        """`Client.hubs`, awaited."""
        return await self.send(calls.list_hubs())

    async def get_hub(self, hub_id: str) -> HubView:
        """`Client.get_hub`, awaited."""
        return await self.send(calls.get_hub(hub_id))

    async def delete_hub(self, hub_id: str) -> None:
        """`Client.delete_hub`, awaited."""
        await self.send(calls.delete_hub(hub_id))
