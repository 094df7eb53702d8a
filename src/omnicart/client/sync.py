"""`Client`: the partner API, blocking (httpx.Client).

The examples run as doctests against the sandbox the pytest plugin starts
(`tests/kit/test_client_doctests.py`), with these names set:

- `api`: a `Client` of that sandbox (the plugin's `omnicart_server.client`);
- `CUSTOMER`: "3f7f9189-974e-4639-8343-4a1819a98c7e", the sandbox's customer Jordan Rivera;
- `cart`: a new, empty cart, `api.create_cart({"id": "IND"}, [{"id": CUSTOMER, "role":
  "customer", "referredType": "customer"}])`;
- `LINE`: a new line from the sample catalog, a plan and its SIM card:
  `[{"productOrderItemId": "line-1", "productOfferingType": "Mobile_Offer",
  "productOfferingId": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"}, {"productOrderItemId":
  "line-1-sim", "productOfferingType": "SIM", "productOfferingId":
  "SIM_pkey80001_sku6001001", "rootBundleProductOrderItemId": "line-1"}]`.

Every method raises `OmnicartError` (`status`, `code`, `details`) for what the server
refuses, and TypeError, before anything is sent, for an argument of the wrong shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
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


class Client:
    """`Client(base_url, api_key=…)` or `Client(base_url, client_id=…, client_secret=…)`.
    `scenario`: a sandbox mock-scenario sent with every call (each method takes one too).
    `if_match`: a cart's version (3) or ETag ('"3"'); a cart changed since answers 412.

    >>> with Client(str(api.http.base_url)) as sandbox:  # the sandbox partner needs no key
    ...     sandbox.get_cart(cart.id).state
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
        """Close the connections (a `with` block does it). Raises nothing.

        >>> other = Client(str(api.http.base_url))
        >>> other.close()
        >>> other.http.is_closed
        True
        """
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
        """Send one `calls.Call` (retried as `retry` says) and decode its answer: what every
        method does. Raises OmnicartError.

        >>> send_cart = api.send(calls.get_cart(cart.id))
        >>> send_cart.id == cart.id
        True
        """
        return core.answer(call, self._response(call, scenario))

    def _pages(self, page: Callable[[int], Call[list[T]]], scenario: str | None) -> Iterator[T]:
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
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        items: Items = (),
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> ProductOrderView:
        """Create a cart (a draft ProductOrder) in `channel` for the parties, with `items`
        added at once; `extra`: top-level fields of the partner's own, kept on the cart.
        Raises OmnicartError 400 for a body the API refuses (`details["errors"]` names
        each field).

        >>> new = api.create_cart({"id": "IND"}, [{"id": CUSTOMER, "role": "customer", "referredType": "customer"}])
        >>> new.state, new.version, [m.text for m in new.validation.validationMessage]
        (<State.DRAFT: 'Draft'>, 1, ['the cart has no items yet'])
        >>> api.create_cart({"id": "IND"}, [{"id": CUSTOMER, "role": "customer"}])
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 400 ...: relatedParty[0].referredType: is required
        """
        return self.send(calls.create_cart(channel, related_party, items, extra or {}), scenario)

    def get_cart(self, cart_id: str, *, scenario: str | None = None) -> ProductOrderView:
        """The cart as it is now. Raises OmnicartError 404 for a cart the partner does not have.

        >>> api.get_cart(cart.id).version
        1
        >>> api.get_cart("no-such-cart")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 OMNICART-CART-0404: cart 'no-such-cart' was not found
        """
        return self.send(calls.get_cart(cart_id), scenario)

    def carts(self, *, scenario: str | None = None) -> Iterator[ProductOrderView]:
        """Every cart of the partner, most recently changed first, page after page (a page
        is fetched when the iteration reaches it). Raises OmnicartError.

        >>> next(api.carts()).id == cart.id
        True
        """
        return self._pages(lambda offset: calls.list_carts(offset, calls.PAGE_SIZE), scenario)

    def add_items(
        self, cart_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """Add items to the cart (`items`: the list, not the `{"items": [...]}` body), priced
        and validated: the cart as it now is. Raises TypeError for a body where the list
        belongs; OmnicartError 400 (an item refused), 404, 412 (`if_match` stale).

        >>> changed = api.add_items(cart.id, LINE, if_match=cart.version)
        >>> changed.version, [item.productOrderItemId for item in changed.productOrderItem]
        (2, ['line-1', 'line-1-sim'])
        >>> [(total.name, total.price.dutyFreeAmount.value) for total in changed.orderTotalPrice]
        [('Due today', 5.0), ('Monthly recurring', 60.99)]
        >>> api.add_items(cart.id, {"items": LINE})
        Traceback (most recent call last):
        TypeError: items: expected a list of items, got a dict with key 'items' — pass body['items']
        """
        return self.send(calls.add_items(cart_id, items, if_match), scenario)

    def update_item(
        self, cart_id: str, item_id: str, patch: ItemDict, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """Change one item by a JSON merge patch of it (only the fields to change). Raises
        OmnicartError 400, 404 (no such cart or item), 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> api.update_item(cart.id, "line-1", {"quantity": 2}).productOrderItem[0].quantity
        2
        """
        return self.send(calls.update_item(cart_id, item_id, patch, if_match), scenario)

    def remove_item(
        self, cart_id: str, item_id: str, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """Remove one item (an item bundled under it goes too). Raises OmnicartError 404, 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> [item.productOrderItemId for item in api.remove_item(cart.id, "line-1-sim").productOrderItem]
        ['line-1']
        """
        return self.send(calls.remove_item(cart_id, item_id, if_match), scenario)

    def abandon_cart(self, cart_id: str, *, if_match: IfMatch = None, scenario: str | None = None) -> None:
        """Abandon (delete) the cart. Raises OmnicartError 404, 412.

        >>> api.abandon_cart(cart.id)
        >>> api.get_cart(cart.id)
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 OMNICART-CART-0404: cart '...' was not found
        """
        self.send(calls.abandon_cart(cart_id, if_match), scenario)

    # -- the older "order" flavour (BYOD) --------------------------------------------------

    def create_order(
        self,
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> str:
        """The carrier's `order/create`: a draft cart named from birth; answers its name (a
        customer order id, `26-…`), which every cart method takes in place of its id.
        Raises OmnicartError 400.

        >>> name = api.create_order({"id": "IND"}, [{"id": CUSTOMER, "role": "customer", "referredType": "customer"}])
        >>> name
        '26-...'
        >>> api.get_cart(name).customerOrderId == name
        True
        """
        return self.send(calls.create_order(channel, related_party, extra or {}), scenario).id

    def add_order_items(
        self, order_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """The carrier's `order/{orderId}/items` (BYOD): `add_items` by the order's name.
        Raises TypeError and OmnicartError as `add_items`.

        >>> name = api.create_order({"id": "IND"}, [{"id": CUSTOMER, "role": "customer", "referredType": "customer"}])
        >>> len(api.add_order_items(name, LINE).productOrderItem)
        2
        """
        return self.send(calls.add_order_items(order_id, items, if_match), scenario)

    # -- ordering -----------------------------------------------------------------------

    def checkout(
        self, cart_id: str, *, fulfillment_address_id: str | None = None, scenario: str | None = None
    ) -> CheckoutView:
        """The cart's checkout configuration: totals, the terms to accept, what is still
        pending; a fiber cart's technician slots (`appointmentDates`) at its service address,
        or at `fulfillment_address_id` (a move). Changes nothing. Raises OmnicartError 404.

        >>> found = api.checkout(api.add_items(cart.id, LINE).id)
        >>> found.validation.readyToSubmit, [terms.id for terms in found.termsAndConditions]
        (False, ['WCA'])
        """
        return self.send(calls.checkout(cart_id, fulfillment_address_id), scenario)

    def payment_methods(
        self, request: PaymentMethodsRequest | PaymentMethodsDict, *, scenario: str | None = None
    ) -> PaymentMethodsResult:
        """Register payment methods (the whole body: `{"paymentMethods": [{..., "cartId": …}]}`),
        with the customer's consent to the terms (`storeTermsConditionConsent`): completes
        the cart's payment and terms steps. Raises TypeError for a list where the body
        belongs; OmnicartError 400, 404 (no such cart).

        >>> api.add_items(cart.id, LINE).validation.readyToSubmit
        False
        >>> method = {"id": "pm-1", "cartId": cart.id, "storeTermsConditionConsent": True}
        >>> api.payment_methods({"paymentMethods": [method]})
        PaymentMethodsResult(status='success', paymentMethodId='PM-...', paymentProfileId='')
        >>> api.get_cart(cart.id).validation.readyToSubmit
        True
        """
        return self.send(calls.payment_methods(request), scenario)

    def credit_application(
        self,
        request: CreditApplicationRequest | CreditApplicationDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> CreditApplicationResult:
        """Run a credit application for a cart's customer (`{"cartId": …, "userInfo":
        {"birthdate": …, "legalId": [...]}}`): the decision, also recorded on the cart (its
        `creditDecision`; the cart's version + 1). Raises OmnicartError 400, 404, 412.

        >>> api.credit_application({"cartId": cart.id}).creditRisk
        'LOW'
        >>> api.get_cart(cart.id).creditDecision.creditRisk
        'LOW'
        """
        return self.send(calls.credit_application(request, if_match), scenario)

    def offers_search(
        self, request: OffersSearch | OffersSearchDict, *, scenario: str | None = None
    ) -> list[CarrierOffering]:
        """Direct fulfilment, add a line (docs/direct-fulfilment.md): the carrier's offers
        search, offerings in its price model. Raises OmnicartError 400.

        >>> found = api.offers_search({"productOfferingTypeGroup": "mobileDevice", "customerType": "CONSUMER"})
        >>> found[0].name
        'iPhone 16 128GB'
        """
        return self.send(calls.offers_search(request), scenario)

    def fulfillment_options(
        self, order_id: str, *, placeid: str | None = None, scenario: str | None = None
    ) -> FulfillmentOptionsView:
        """The delivery options of each physical item of the order (by either of its names).
        Changes nothing. Raises OmnicartError 404.

        >>> found = api.fulfillment_options(api.add_items(cart.id, LINE).id)
        >>> item = found.selectedOptions[0].options[0]
        >>> item.productOrderItemId, [option.productOffering.id for option in item.fulfillmentOptions]
        ('line-1-sim', ['standard-shipping', 'express-shipping'])
        """
        return self.send(calls.fulfillment_options(order_id, placeid), scenario)

    def select_fulfillment(
        self,
        order_id: str,
        selected: Sequence[SelectedOption | SelectedOptionDict],
        *,
        placeid: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> FulfillmentSelectionResult:
        """Choose a delivery method per item (`selected`: the `selectedOptions` list).
        Raises TypeError for a body where the list belongs; OmnicartError 400 (an item or
        method the order has not), 404, 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> sim = {"productOrderItemId": "line-1-sim", "productOffering": {"id": "standard-shipping"}}
        >>> chosen = api.select_fulfillment(cart.id, [sim])
        >>> [(s.productOffering.name, s.status) for s in chosen.selectedOptions]
        [('Standard Shipping', 'success')]
        """
        return self.send(calls.select_fulfillment(order_id, selected, placeid, if_match), scenario)

    def terms(self, order_id: str, *, scenario: str | None = None) -> TermsView:
        """The agreements the order needs now. Changes nothing. Raises OmnicartError 404.

        >>> [agreement.name for agreement in api.terms(api.add_items(cart.id, LINE).id).agreements]
        ['Wireless Customer Agreement']
        """
        return self.send(calls.terms(order_id), scenario)

    def accept_terms(
        self,
        order_id: str,
        agreements: Sequence[AgreementConsent | AgreementConsentDict],
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> TermsConsentResult:
        """Record the customer's consent to the agreements (as `terms()` named them); the
        answer's `error` says what is wrong, if anything. Raises OmnicartError 400, 404, 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> accepted = api.accept_terms(cart.id, [{"name": "Wireless Customer Agreement"}])
        >>> [(step.type, step.status) for step in accepted.validation.configuration if step.type == "terms"]
        [('terms', 'complete')]
        """
        return self.send(calls.accept_terms(order_id, agreements, if_match), scenario)

    def update_billing(
        self,
        order_id: str,
        enrollment: Enrollment | EnrollmentDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> BillingResult:
        """AutoPay and paperless enrollment (`enrollment`: the object, not the
        `{"enrollment": …}` body). Raises TypeError for the body; OmnicartError 400, 404, 412.

        >>> api.update_billing(cart.id, {"autoPay": "enrolled", "paperLess": "enrolled"}).enrollment
        Enrollment(autoPay='enrolled', paperLess='enrolled', paymentProfileId=UNSET)
        """
        return self.send(calls.update_billing(order_id, enrollment, if_match), scenario)

    def express_submit(
        self,
        cart_id: str,
        submission: Submission | SubmissionDict | None = None,
        *,
        appointment: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> SubmittedOrder:
        """Submit the cart as an order (`submission`: the carrier's optional body);
        `appointment`: the slot id a fiber cart books, from checkout's `appointmentDates`.
        Submitting again answers the same order. Raises OmnicartError 404, 412, 422 (not
        ready: `details` shows the steps still pending).

        >>> api.add_items(cart.id, LINE).version
        2
        >>> api.express_submit(cart.id)
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 422 ...: ... is not ready to submit: terms is required ...
        >>> method = {"id": "pm-1", "cartId": cart.id, "storeTermsConditionConsent": True}
        >>> api.payment_methods({"paymentMethods": [method]}).status
        'success'
        >>> order = api.express_submit(cart.id)
        >>> order.state, order.customerOrderId
        ('Submitted', '26-...')
        """
        return self.send(calls.express_submit(cart_id, submission, if_match, appointment), scenario)

    def get_order(self, order_id: str, *, scenario: str | None = None) -> OrderView:
        """The order (by its id) as it is now. Raises OmnicartError 404.

        >>> api.get_order("no-such-order")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 ...
        """
        return self.send(calls.get_order(order_id), scenario)

    def orders(self, *, scenario: str | None = None, **filters: str) -> Iterator[OrderView]:
        """Every order of the partner (`state=` to filter), newest first, page after page.
        Raises OmnicartError 400 (an unknown filter).

        >>> all(order.state == "Completed" for order in api.orders(state="Completed"))
        True
        """
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
        raises OmnicartError.

        >>> query = "query($id: String) { getOrders(filter: {orderId: $id}) { orders { id } } }"
        >>> api.query_orders(query, {"id": "26-0"}).data
        {'getOrders': {'orders': []}}
        >>> [error.extensions["code"] for error in api.query_orders("{ getOrders { orders { nope } } }").errors]
        ['GRAPHQL_VALIDATION_FAILED']
        """
        return self.send(calls.query_orders(query, variables, operation_name), scenario)

    def cancel_order(self, order_id: str, reason: str | None = None, *, scenario: str | None = None) -> OrderView:
        """Ask for the order's cancellation (`reason`: the partner's words, kept). Raises
        OmnicartError 404, 409 (an order past cancelling).

        >>> method = {"cartId": api.add_items(cart.id, LINE).id, "storeTermsConditionConsent": True}
        >>> api.payment_methods({"paymentMethods": [method]}).status
        'success'
        >>> api.cancel_order(api.express_submit(cart.id).id, "changed their mind").state
        <State.PENDING_CANCEL: 'PendingCancel'>
        """
        return self.send(calls.cancel_order(order_id, reason), scenario)

    def product_offerings(self, type: str | None = None) -> list[ProductOfferingView]:
        """The catalog's offerings (`type`: a productOfferingType, e.g. "Mobile_Offer").
        Raises OmnicartError.

        >>> "Value Plus VL" in [offering.name for offering in api.product_offerings("Mobile_Offer")]
        True
        """
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
        `filters` are omnicart's own, by their wire names (`billingAccountNumber=…`, `email=…`).
        Raises OmnicartError 400.

        >>> [(c.givenName, c.familyName) for c in api.search_customers(billingAccountNumber="556165899574").individuals]
        [('Jordan', 'Rivera')]
        """
        return self.send(calls.search_customers(service_type, page_size, page_offset, filters), scenario)

    def authenticate_customer(
        self, request: CustomerAuthRequest | CustomerAuthDict, *, scenario: str | None = None
    ) -> CustomerAuthResult:
        """Check a customer's credential (`{"billingAccountNumber": …, "last4SSN": …}`):
        `status` "SUCCESS" or "FAILURE". Raises OmnicartError 400, 404 (no customer by those
        identifiers).

        >>> api.authenticate_customer({"partnerCustomerUUID": CUSTOMER, "last4SSN": "1234"}).status
        'SUCCESS'
        """
        return self.send(calls.authenticate_customer(request), scenario)

    def qualify_service(
        self, request: ServiceQualificationRequest | ServiceQualificationDict, *, scenario: str | None = None
    ) -> ServiceQualificationResult:
        """The address validated, whether fiber can be had there, and the offers to add to a
        cart. Raises OmnicartError 400, 503 (the address service is down).

        >>> street = {"name": "addressLine1", "value": "208 S Akard St"}
        >>> found = api.qualify_service({"geographicAddress": {"postcode": "75202", "addressCharacteristic": [street]}})
        >>> found.addressValidation.validGeographicAddress.id, found.serviceQualification[0].qualificationResult
        ('00000NG3XH', 'qualified')
        """
        return self.send(calls.qualify_service(request), scenario)

    # -- event listeners ----------------------------------------------------------------

    def register_hub(self, callback: str, query: str | None = None) -> HubView:
        """Register a listener URL for the partner's events; answers the hub with its
        `secret`, this once: keep it to verify deliveries (`verify_webhook`). Raises
        OmnicartError 400 (a callback refused).

        >>> hub = api.register_hub("http://127.0.0.1:9/events")
        >>> hub.secret
        'whsec_...'
        >>> api.delete_hub(hub.id)
        """
        return self.send(calls.register_hub(callback, query))

    def hubs(self) -> list[HubView]:
        """The partner's listeners (without their secrets). Raises OmnicartError.

        >>> hub = api.register_hub("http://127.0.0.1:9/events")
        >>> hub.id in [found.id for found in api.hubs()]
        True
        >>> api.delete_hub(hub.id)
        """
        return self.send(calls.list_hubs())

    def get_hub(self, hub_id: str) -> HubView:
        """One listener. Raises OmnicartError 404.

        >>> hub = api.register_hub("http://127.0.0.1:9/events")
        >>> api.get_hub(hub.id).callback
        'http://127.0.0.1:9/events'
        >>> api.delete_hub(hub.id)
        """
        return self.send(calls.get_hub(hub_id))

    def delete_hub(self, hub_id: str) -> None:
        """Stop deliveries to a listener. Raises OmnicartError 404.

        >>> api.delete_hub("no-such-hub")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 ...
        """
        self.send(calls.delete_hub(hub_id))
