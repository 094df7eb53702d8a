"""`Client`: the partner API, blocking (httpx.Client)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

import httpx

from omnicart.client import calls, core
from omnicart.client.calls import Call
from omnicart.wire.billing import BillingResult
from omnicart.wire.cart import ProductOrderView
from omnicart.wire.catalog import CarrierOffering, ProductOfferingView
from omnicart.wire.credit import CreditApplicationResult
from omnicart.wire.customers import CustomerAuthResult, CustomerSearchResult
from omnicart.wire.fulfilment import FulfillmentOptionsView, FulfillmentSelectionResult
from omnicart.wire.hubs import HubView
from omnicart.wire.order_query import GraphQLResponse
from omnicart.wire.orders import CheckoutView, OrderView, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsResult
from omnicart.wire.qualification import ServiceQualificationResult
from omnicart.wire.terms import TermsConsentResult, TermsView

T = TypeVar("T")
IfMatch = str | int | None


class Client:
    """`Client(base_url, api_key=…)` or `Client(base_url, client_id=…, client_secret=…)`.
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
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.credentials = core.Credentials(api_key, client_id, client_secret, scope)
        self.scenario = scenario
        self.retry = retry
        self.http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport, headers={"User-Agent": core.USER_AGENT}
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    # -- the one place calls are sent ----------------------------------------------------

    def _bearer(self) -> str | None:
        bearer = self.credentials.current()
        if bearer is None and self.credentials.oauth:
            bearer = self.credentials.took(self.http.post("/oauth/token", **self.credentials.token_request()))
        return bearer

    def _response(self, call: Call[Any], scenario: str | None) -> httpx.Response:
        key = core.idempotency_key(call)
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            sent = core.headers(call, self._bearer(), scenario or self.scenario, key)
            try:
                response = self.http.request(
                    call.method, call.path, content=call.body, params=call.params, headers=sent
                )
            except httpx.TransportError as exc:
                if attempt >= self.retry.attempts or not core.retryable(call, None, exc):
                    raise core.unreachable(exc) from exc
                time.sleep(self.retry.wait(attempt, None))
                continue
            if response.status_code == 401 and self.credentials.oauth and not refreshed:
                self.credentials.forget()  # revoked or expired early: one fresh token, once
                refreshed = True
                continue
            if attempt < self.retry.attempts and core.retryable(call, response, None):
                time.sleep(self.retry.wait(attempt, response))
                continue
            return response

    def send(self, call: Call[T], scenario: str | None = None) -> T:
        return core.answer(call, self._response(call, scenario))

    def _pages(self, page: Any, scenario: str | None) -> Iterator[Any]:
        offset = 0
        while True:
            call = page(offset)
            response = self._response(call, scenario)
            found = core.answer(call, response)
            yield from found
            # X-Result-Count: how many this page held; a short page is the last one.
            count = int(response.headers.get("x-result-count", len(found)))
            if count < calls.PAGE_SIZE:
                return
            offset += count

    # -- carts --------------------------------------------------------------------------

    def create_cart(
        self,
        channel: Any,
        related_party: Iterable[Any],
        items: Iterable[Any] = (),
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> ProductOrderView:
        return self.send(calls.create_cart(channel, related_party, list(items), extra or {}), scenario)

    def get_cart(self, cart_id: str, *, scenario: str | None = None) -> ProductOrderView:
        return self.send(calls.get_cart(cart_id), scenario)

    def carts(self, *, scenario: str | None = None) -> Iterator[ProductOrderView]:
        """Every cart of the partner, most recently changed first, page after page."""
        return self._pages(lambda offset: calls.list_carts(offset, calls.PAGE_SIZE), scenario)

    def add_items(
        self, cart_id: str, items: Iterable[Any], *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        return self.send(calls.add_items(cart_id, items, if_match), scenario)

    def update_item(
        self, cart_id: str, item_id: str, patch: Any, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        return self.send(calls.update_item(cart_id, item_id, patch, if_match), scenario)

    def remove_item(
        self, cart_id: str, item_id: str, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        return self.send(calls.remove_item(cart_id, item_id, if_match), scenario)

    def abandon_cart(self, cart_id: str, *, if_match: IfMatch = None, scenario: str | None = None) -> None:
        self.send(calls.abandon_cart(cart_id, if_match), scenario)

    # -- the older "order" flavour (BYOD) --------------------------------------------------

    def create_order(
        self,
        channel: Any,
        related_party: Iterable[Any],
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> str:
        """The carrier's `order/create`: a draft cart named from birth; answers its name (a
        customer order id, `26-…`), which every cart method takes in place of its id."""
        return self.send(calls.create_order(channel, related_party, extra or {}), scenario).id

    def add_order_items(
        self, order_id: str, items: Iterable[Any], *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """The carrier's `order/{orderId}/items` (BYOD): `add_items` by the order's name."""
        return self.send(calls.add_order_items(order_id, items, if_match), scenario)

    # -- ordering -----------------------------------------------------------------------

    def checkout(
        self, cart_id: str, *, fulfillment_address_id: str | None = None, scenario: str | None = None
    ) -> CheckoutView:
        """The cart's checkout configuration; a fiber cart's technician slots
        (`appointmentDates`) at its service address, or at `fulfillment_address_id` (a move)."""
        return self.send(calls.checkout(cart_id, fulfillment_address_id), scenario)

    def payment_methods(self, request: Any, *, scenario: str | None = None) -> PaymentMethodsResult:
        """Register payment methods (the carrier's body: `{"paymentMethods": [{..., "cartId": …}]}`),
        with the customer's consent to the terms: completes the cart's payment and terms."""
        return self.send(calls.payment_methods(request), scenario)

    def credit_application(
        self, request: Any, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> CreditApplicationResult:
        """Run a credit application for a cart's customer (the carrier's body: `{"cartId": …,
        "userInfo": {"birthdate": …, "legalId": [...]}}`): the decision, which is recorded on
        the cart (its `creditDecision`; the cart's version + 1)."""
        return self.send(calls.credit_application(request, if_match), scenario)

    def offers_search(self, request: Any, *, scenario: str | None = None) -> list[CarrierOffering]:
        """Direct fulfilment, add a line (docs/direct-fulfilment.md): the carrier's offers
        search (`{"productOfferingTypeGroup": "mobileDevice", …}`), offerings in its price model."""
        return self.send(calls.offers_search(request), scenario)

    def fulfillment_options(
        self, order_id: str, *, placeid: str | None = None, scenario: str | None = None
    ) -> FulfillmentOptionsView:
        """The delivery options of each physical item of the order (by either of its names)."""
        return self.send(calls.fulfillment_options(order_id, placeid), scenario)

    def select_fulfillment(
        self,
        order_id: str,
        selected: Iterable[Any],
        *,
        placeid: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> FulfillmentSelectionResult:
        """Choose a delivery method per item (`selectedOptions[]` entries)."""
        return self.send(calls.select_fulfillment(order_id, selected, placeid, if_match), scenario)

    def terms(self, order_id: str, *, scenario: str | None = None) -> TermsView:
        """The agreements the order needs now."""
        return self.send(calls.terms(order_id), scenario)

    def accept_terms(
        self, order_id: str, agreements: Iterable[Any], *, if_match: IfMatch = None, scenario: str | None = None
    ) -> TermsConsentResult:
        """Record the customer's consent; the answer's `error` says what is wrong, if anything."""
        return self.send(calls.accept_terms(order_id, agreements, if_match), scenario)

    def update_billing(
        self, order_id: str, enrollment: Any, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> BillingResult:
        """AutoPay and paperless enrollment (`{"autoPay": "enrolled", "paperLess": "enrolled"}`)."""
        return self.send(calls.update_billing(order_id, enrollment, if_match), scenario)

    def express_submit(
        self,
        cart_id: str,
        submission: Any = None,
        *,
        appointment: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> SubmittedOrder:
        """Submit the cart (`submission`: the carrier's body, optional); `appointment`: the
        slot id a fiber cart books, from checkout's `appointmentDates`."""
        return self.send(calls.express_submit(cart_id, submission, if_match, appointment), scenario)

    def get_order(self, order_id: str, *, scenario: str | None = None) -> OrderView:
        return self.send(calls.get_order(order_id), scenario)

    def orders(self, *, scenario: str | None = None, **filters: Any) -> Iterator[OrderView]:
        """Every order of the partner (`state=` to filter), newest first, page after page."""
        return self._pages(lambda offset: calls.list_orders(offset, calls.PAGE_SIZE, filters), scenario)

    def query_orders(
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
        return self.send(calls.query_orders(query, variables, operation_name), scenario)

    def cancel_order(self, order_id: str, reason: str | None = None, *, scenario: str | None = None) -> OrderView:
        return self.send(calls.cancel_order(order_id, reason), scenario)

    def product_offerings(self, type: str | None = None) -> list[ProductOfferingView]:
        return self.send(calls.product_offerings(type))

    # -- fiber: customers and service qualification -------------------------------------

    def search_customers(
        self,
        service_type: str = "FIBER",
        *,
        page_size: int | None = None,
        page_offset: int | None = None,
        scenario: str | None = None,
        **filters: str,
    ) -> CustomerSearchResult:
        """One page (`page_offset`, from 1) of the customers with an account of `service_type`;
        `filters` are omnicart's own, by their wire names (`billingAccountNumber=…`, `email=…`)."""
        return self.send(calls.search_customers(service_type, page_size, page_offset, filters), scenario)

    def authenticate_customer(self, request: Any, *, scenario: str | None = None) -> CustomerAuthResult:
        """The carrier's body (`{"billingAccountNumber": …, "last4SSN": …}`): `status` "SUCCESS" or
        "FAILURE"; a customer the identifiers do not name raises OmnicartError 404."""
        return self.send(calls.authenticate_customer(request), scenario)

    def qualify_service(self, request: Any, *, scenario: str | None = None) -> ServiceQualificationResult:
        """The carrier's body (`{"geographicAddress": {…}, "customerType": …}`): the address
        validated, whether fiber can be had there, and the offers to add to a cart."""
        return self.send(calls.qualify_service(request), scenario)

    # -- event listeners ----------------------------------------------------------------

    def register_hub(self, callback: str, query: str | None = None) -> HubView:
        """Answers the hub with its `secret`, this once: keep it to verify deliveries."""
        return self.send(calls.register_hub(callback, query))

    def hubs(self) -> list[HubView]:
        return self.send(calls.list_hubs())

    def get_hub(self, hub_id: str) -> HubView:
        return self.send(calls.get_hub(hub_id))

    def delete_hub(self, hub_id: str) -> None:
        self.send(calls.delete_hub(hub_id))
